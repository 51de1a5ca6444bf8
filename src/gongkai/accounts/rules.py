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
