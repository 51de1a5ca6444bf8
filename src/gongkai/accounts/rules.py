"""Who may do what, for which agency: written once, used by views, the API and services.

Roles (:class:`gongkai.accounts.models.Role`):

- clerk 公开专员: handles the agency's work (applications, publications) — ``can_handle``.
- approver 公开工作机构负责人 and head 机关负责人: handle, and approve extensions and replies
  (《政府信息公开条例》第三十三条第二款) — ``can_approve``.
- supervisor 政务公开办: sees and supervises every agency in the subtree of its agency
  (条例第三条、第四条: the 政府信息公开工作主管部门 guides and supervises) — ``can_supervise``.
  Supervising is not handling: a supervisor does not reply in another agency's name.
- admin 系统管理员 (or a Django superuser): sees everything and runs the back office (accounts,
  roles, API tokens, the agency tree, the holiday calendar, the audit log), but does not
  handle or approve cases unless also given one of the roles above. Django's ``is_staff`` and
  model permissions decide nothing: the back office asks :func:`may_administer`.
- :data:`COMMAND_LINE`, the operator at the installation's command line (``gongkai manage …``),
  who holds the database itself and so may administer too.

Every permission decision of the workbench, the API, the back office, the auditor and the
CLI is one of these functions; no other module queries roles (tests/test_layers.py fails if
one does). Reading the annual-report auditor (:func:`audit_rights`): any staff member may
audit published reports; a supervisor anywhere and a system admin see every batch (the
reports are public documents, 《政府信息公开条例》第五十条). Reading the audit log
(docs/audit-log.md): a supervisor reads the rows of its subtree, not the whole county.

Inactive and anonymous users may do nothing here. Each predicate runs at most one query;
for a per-row check in a long list, fetch :func:`visible_agency_ids` once instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet

from gongkai.accounts.models import Membership, Role, User
from gongkai.agencies.models import Agency
from gongkai.agencies.tree import ancestors, descendants

HANDLING_ROLES = (Role.CLERK, Role.APPROVER, Role.HEAD)
APPROVING_ROLES = (Role.APPROVER, Role.HEAD)


class CommandLine:
    """The operator at the command line: not a user account, but may administer.

    Services take it as ``actor`` when a ``gongkai manage`` command runs them; the audit row
    then names no account and says the change came from the command line.
    """

    is_authenticated = False
    is_active = False
    is_superuser = False
    pk = None

    def __str__(self) -> str:
        return "命令行"

    def __repr__(self) -> str:
        return "COMMAND_LINE"


COMMAND_LINE = CommandLine()


def is_active_user(user) -> bool:
    """Return whether ``user`` is signed in and active (nobody else may do anything here)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user, roles) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, role__in=roles)


def _agency_id(agency: Agency | int) -> int:
    return agency if isinstance(agency, int) else agency.pk


def is_system_admin(user) -> bool:
    """Return whether ``user`` runs the installation (superuser or the 系统管理员 role)."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser) or _memberships(user, [Role.ADMIN]).exists()


def may_administer(actor) -> bool:
    """Return whether ``actor`` may run the back office: accounts and roles, API tokens, the
    agency tree, the holiday calendar and the audit log (a system admin, or the command line).
    """
    return actor is COMMAND_LINE or is_system_admin(actor)


def visible_agencies(user) -> QuerySet[Agency]:
    """Return the agencies ``user`` may see: own agencies, plus subtrees of supervised ones.

    System admins see every agency. The result is a lazy QuerySet (one query when evaluated),
    usable as ``agency__in=visible_agencies(user)`` in any list.
    """
    if not is_active_user(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    mine = Membership.objects.filter(user=user)
    supervised = mine.filter(role=Role.SUPERVISOR).values("agency_id")
    return Agency.objects.filter(
        Q(Exists(mine.filter(role=Role.ADMIN)))
        | Q(pk__in=mine.filter(role__in=HANDLING_ROLES).values("agency_id"))
        | Q(pk__in=descendants(supervised).values("pk"))
    )


def handled_agencies(user) -> QuerySet[Agency]:
    """Return the agencies ``user`` handles (clerk, approver or head): :func:`can_handle` as a set.

    Lazy, one query when evaluated.
    """
    if not is_active_user(user):
        return Agency.objects.none()
    return Agency.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=HANDLING_ROLES).values("agency_id")
    )


def visible_agency_ids(user) -> frozenset[int]:
    """Return the ids of :func:`visible_agencies` (one query), for per-row checks in lists."""
    return frozenset(visible_agencies(user).values_list("pk", flat=True))


def can_view(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may see ``agency``'s internal records."""
    if not is_active_user(user):
        return False
    return visible_agencies(user).filter(pk=_agency_id(agency)).exists()


def can_handle(user, agency: Agency | int) -> bool:
    """Return whether ``user`` is a clerk, approver or head of ``agency`` itself."""
    if not is_active_user(user):
        return False
    return _memberships(user, HANDLING_ROLES).filter(agency_id=_agency_id(agency)).exists()


def can_approve(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may approve for ``agency`` (approver or head).

    Approval covers extensions (《政府信息公开条例》第三十三条第二款「经政府信息公开工作机构负责人同意」)
    and replies.
    """
    if not is_active_user(user):
        return False
    return _memberships(user, APPROVING_ROLES).filter(agency_id=_agency_id(agency)).exists()


def can_supervise(user, agency: Agency | int) -> bool:
    """Return whether ``user`` is a supervisor of ``agency`` or of an agency above it."""
    if not is_active_user(user):
        return False
    return (
        _memberships(user, [Role.SUPERVISOR])
        .filter(agency_id__in=ancestors(_agency_id(agency)).values("pk"))
        .exists()
    )


def roles_in(user, agency: Agency | int) -> set[str]:
    """Return the roles ``user`` holds directly in ``agency`` (for display; decide with can_*)."""
    if not is_active_user(user):
        return set()
    return set(
        Membership.objects.filter(user=user, agency_id=_agency_id(agency)).values_list(
            "role", flat=True
        )
    )


def memberships_of(user) -> QuerySet[Membership]:
    """Return ``user``'s roles, agency by agency in tree order (for display; decide with can_*)."""
    if not is_active_user(user):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("agency")
        .order_by("agency__sort_order", "agency__name", "agency_id", "role")
    )


def supervises_any(user) -> bool:
    """Return whether ``user`` is a supervisor (政务公开办) of some agency."""
    if not is_active_user(user):
        return False
    return _memberships(user, [Role.SUPERVISOR]).exists()


def handlers_of(agency_ids: Iterable[int]) -> QuerySet[User]:
    """Return the active users who handle any of ``agency_ids`` (as :func:`can_handle`), lazy."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            agency_id__in=list(agency_ids), role__in=HANDLING_ROLES
        ).values("user_id"),
    )


def handler_pairs(agency_ids: Iterable[int]) -> list[tuple[User, int]]:
    """Return (user, agency id) for every active handler of each of ``agency_ids``, once each
    (a person with two handling roles in one agency is listed once), by user then agency."""
    rows = (
        Membership.objects.filter(
            agency_id__in=list(agency_ids), role__in=HANDLING_ROLES, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id", "agency_id")
    )
    pairs: dict[tuple[int, int], tuple[User, int]] = {}
    for row in rows:
        pairs.setdefault((row.user_id, row.agency_id), (row.user, row.agency_id))
    return list(pairs.values())


@dataclass(frozen=True)
class AuditRights:
    """What ``user`` may do in the annual-report auditor (年报审核)."""

    may_audit: bool  # upload and check published reports
    sees_all: bool  # see every batch, not only their own uploads


def audit_rights(user) -> AuditRights:
    """Return whether ``user`` may audit and whether they see every batch, in one query.

    Any staff role in some agency (or a superuser) may audit published reports; a supervisor
    anywhere (who supervises the reports, 条例第四十九条) or a system admin sees every batch.
    """
    if not is_active_user(user):
        return AuditRights(False, False)
    if user.is_superuser:
        return AuditRights(True, True)
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    return AuditRights(bool(roles), bool(roles & {Role.SUPERVISOR, Role.ADMIN}))


def can_audit(user) -> bool:
    """Return whether ``user`` may upload reports to audit (any staff role, or a superuser)."""
    return audit_rights(user).may_audit


def sees_all_audits(user) -> bool:
    """Return whether ``user`` sees every audit batch (a supervisor anywhere, or a system admin)."""
    return audit_rights(user).sees_all


# --- 主动公开 (gongkai.publications) ---------------------------------------------------------
# 「谁起草、谁认定」「谁审查、谁负责」: the drafter proposes the 公开属性, the agency's office
# (its clerks, approvers and head) reviews it, the approver decides it and signs off the
# 保密审查 (《政府信息公开条例》第十七条) before anything is published.


def can_draft_publication(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may draft and edit ``agency``'s publications (clerk, approver, head)."""
    return can_handle(user, agency)


def can_review_publication(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may review a draft's 公开属性 for ``agency``'s office."""
    return can_handle(user, agency)


def can_approve_publication(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may decide a draft's 公开属性 and approve it (approver, head)."""
    return can_approve(user, agency)


def can_clear_secrecy(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may sign off the 保密审查 of ``agency``'s items (approver, head)."""
    return can_approve(user, agency)


def can_publish(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may publish, correct or withdraw ``agency``'s items."""
    return can_handle(user, agency)


# --- normative documents and the 第二十条 figures (gongkai.normative, docs/normative.md) -------


def _reporting_partners(agency_ids) -> QuerySet:
    """The ids of agencies that report together with any of ``agency_ids`` (a ReportingUnit)."""
    through = Agency.reporting_units.through
    units = through.objects.filter(agency_id__in=agency_ids).values("reportingunit_id")
    return through.objects.filter(reportingunit_id__in=units).values("agency_id")


def can_keep_normative(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may record ``agency``'s normative documents, their steps and
    cleanup campaigns, and its 第二十条 figures.

    A handler (clerk, approver, head) of the agency, or of an agency that reports together with
    it: the county government's documents are kept by its office (「城口县人民政府机关」 is
    one reporting unit). The command line may too (loading records from an old register).
    """
    if actor_is_command_line(user):
        return True
    if not is_active_user(user):
        return False
    agency_id = _agency_id(agency)
    return (
        _memberships(user, HANDLING_ROLES)
        .filter(Q(agency_id=agency_id) | Q(agency_id__in=_reporting_partners([agency_id])))
        .exists()
    )


def normative_keeping_agencies(user) -> QuerySet[Agency]:
    """Return the agencies :func:`can_keep_normative` accepts for ``user``, as a lazy set."""
    if actor_is_command_line(user):
        return Agency.objects.all()
    if not is_active_user(user):
        return Agency.objects.none()
    handled = Membership.objects.filter(user=user, role__in=HANDLING_ROLES).values("agency_id")
    through = Agency.reporting_units.through
    units = through.objects.filter(agency_id__in=handled).values("reportingunit_id")
    partners = through.objects.filter(reportingunit_id__in=units).values("agency_id")
    return Agency.objects.filter(Q(pk__in=handled) | Q(pk__in=partners))


def actor_is_command_line(actor) -> bool:
    """Return whether ``actor`` is :data:`COMMAND_LINE`."""
    return actor is COMMAND_LINE


# --- 公开信箱 (gongkai.mailbox) and 复议/诉讼台账 (gongkai.appeals) ----------------------------


def can_sort_letters(user, mailbox_agency: Agency | int) -> bool:
    """Return whether ``user`` sorts, assigns and transfers the letters of a mailbox that
    ``mailbox_agency`` runs (its clerks, approvers and heads), and publishes them."""
    return can_handle(user, mailbox_agency)


def can_approve_letter_reply(
    user, letter_agency: Agency | int, mailbox_agency: Agency | int
) -> bool:
    """Return whether ``user`` may approve a letter's reply: an approver or head of the
    agency answering it, or of the agency that runs the mailbox (县政府办 reviews the
    departments' replies to letters to the 县长信箱). One query."""
    if not is_active_user(user):
        return False
    ids = {_agency_id(letter_agency), _agency_id(mailbox_agency)}
    return _memberships(user, APPROVING_ROLES).filter(agency_id__in=ids).exists()


def can_keep_appeals(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may enter and update review and litigation cases against
    ``agency`` (《政府信息公开条例》第五十一条): its handlers, or a supervisor above it."""
    return can_handle(user, agency) or can_supervise(user, agency)


# --- the standard catalogue, training register and assessment (catalogue, training, assessment)


def handles_or_supervises(user, agency: Agency | int) -> bool:
    """Return whether ``user`` handles ``agency`` or supervises it (from it or above), in one query.

    Who keeps an agency's 基层政务公开标准目录 and its training register: its own staff, and
    the 政务公开办 that compiles the county's catalogue with them.
    """
    if not is_active_user(user):
        return False
    agency_id = _agency_id(agency)
    return (
        Membership.objects.filter(user=user)
        .filter(
            Q(agency_id=agency_id, role__in=HANDLING_ROLES)
            | Q(role=Role.SUPERVISOR, agency_id__in=ancestors(agency_id).values("pk"))
        )
        .exists()
    )


def can_edit_catalogue(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may import, edit and evidence ``agency``'s standard catalogue."""
    return handles_or_supervises(user, agency)


def can_record_training(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may record trainings and meetings ``agency`` organises or attends."""
    return handles_or_supervises(user, agency)


def can_manage_domains(user) -> bool:
    """Return whether ``user`` may edit the list of pilot domains (a supervisor anywhere, or a
    system admin): the list is shared by every agency's catalogue."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser) or _memberships(user, [Role.SUPERVISOR, Role.ADMIN]).exists()


def can_manage_assessment(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may set the scorecard (items, weights) of an assessment run by
    ``agency``: a supervisor of it (the 政务公开办 assesses the agencies under it)."""
    return can_supervise(user, agency)


# --- monitoring (网站自查): supervisors see their subtree, handlers their agency -----------------


def monitoring_agencies(user) -> QuerySet[Agency]:
    """The agencies whose monitoring findings ``user`` sees (:func:`visible_agencies`)."""
    return visible_agencies(user)


def can_view_monitoring(user) -> bool:
    """Any staff member with an agency may open the monitoring dashboard."""
    return is_active_user(user) and (user.is_superuser or memberships_of(user).exists())


def sees_portal_findings(user) -> bool:
    """Findings on the portal's own pages (no agency) are for supervisors and system admins."""
    return is_active_user(user) and (is_system_admin(user) or supervises_any(user))


def can_run_monitoring(user) -> bool:
    """Starting a run from the dashboard: supervisors and system admins (or the command line)."""
    return actor_is_command_line(user) or sees_portal_findings(user)


def must_use_second_factor(user) -> bool:
    """Return whether ``user`` may reach no staff page before a second factor (TOTP or a
    recovery code) confirmed this session: system admins and supervisors always (等级保护 2.0
    asks two-factor login of administrators); every staff member too when the installation
    sets ``GONGKAI_2FA_ALL_STAFF``. Someone who enrolled a device of their own accord needs
    it as well (gongkai.accounts.second_factor checks that).
    """
    from django.conf import settings

    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    if roles & {Role.ADMIN, Role.SUPERVISOR}:
        return True
    return bool(getattr(settings, "GONGKAI_2FA_ALL_STAFF", False) and (roles or user.is_staff))


def can_keep_new_media(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may register and update ``agency``'s 政务新媒体 accounts (the
    cluster's sites and columns are the system admin's, :func:`may_administer`, who may keep
    these too)."""
    return may_administer(user) or handles_or_supervises(user, agency)


def can_keep_publication_validity(user, agency: Agency | int) -> bool:
    """Return whether ``user`` may set the 效力 (validity) of ``agency``'s published items: one
    who publishes them, or the keeper of the normative register whose 废止/失效/修订 steps decide it
    (gongkai.normative keeps a linked item in step with the document)."""
    return can_publish(user, agency) or can_keep_normative(user, agency)


def approved_agencies(user) -> QuerySet[Agency]:
    """Return the agencies ``user`` approves for (approver or head): :func:`can_approve` as a set.

    Lazy, one query when evaluated.
    """
    if not is_active_user(user):
        return Agency.objects.none()
    return Agency.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=APPROVING_ROLES).values("agency_id")
    )


def holds_tracking_code(user, agency: Agency | int) -> bool:
    """Whether a public step may be taken by whoever presented the application's 查询码.

    The 查询码 is the applicant's key (docs/security.md): the status views check it (rate
    limited) and keep the application in that browser's session before any such step — the
    applicant's own 补正 upload — runs, so there is nothing left to decide here.
    """
    return True


@dataclass(frozen=True)
class Standing:
    """What a user's memberships allow, read in one query (for pages that ask several things)."""

    handled: frozenset[int]  # agencies :func:`can_handle` accepts
    approved: frozenset[int]  # agencies :func:`can_approve` accepts
    supervises: bool  # :func:`supervises_any`
    admin: bool  # :func:`is_system_admin`

    @property
    def may_oversee(self) -> bool:
        """The supervisor's overview: a supervisor anywhere, or a system admin."""
        return self.supervises or self.admin


def standing(user) -> Standing:
    """Return the user's :class:`Standing` (one query)."""
    if not is_active_user(user):
        return Standing(frozenset(), frozenset(), False, False)
    pairs = list(Membership.objects.filter(user=user).values_list("agency_id", "role"))
    return Standing(
        handled=frozenset(a for a, role in pairs if role in HANDLING_ROLES),
        approved=frozenset(a for a, role in pairs if role in APPROVING_ROLES),
        supervises=any(role == Role.SUPERVISOR for _a, role in pairs),
        admin=bool(user.is_superuser) or any(role == Role.ADMIN for _a, role in pairs),
    )


def approvers_of(agency_ids: Iterable[int]) -> QuerySet[User]:
    """Return the active users who approve for any of ``agency_ids`` (as :func:`can_approve`)."""
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(
            agency_id__in=list(agency_ids), role__in=APPROVING_ROLES
        ).values("user_id"),
    )
