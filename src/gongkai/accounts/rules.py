"""Who may do what, for which agency: written once, used by views, the API and services.

Roles (:class:`gongkai.accounts.models.Role`):

- clerk 公开专员: handles the agency's work (applications, publications) — ``can_handle``.
- approver 公开工作机构负责人 and head 机关负责人: handle, and approve extensions and replies
  (《政府信息公开条例》第三十三条第二款) — ``can_approve``.
- supervisor 政务公开办: sees and supervises every agency in the subtree of its agency
  (条例第三条、第四条: the 政府信息公开工作主管部门 guides and supervises) — ``can_supervise``.
  Supervising is not handling: a supervisor does not reply in another agency's name.
- admin 系统管理员 (or a Django superuser): sees everything and runs the back office, but does
  not handle or approve cases unless also given one of the roles above.

Inactive and anonymous users may do nothing here. Each predicate runs at most one query;
for a per-row check in a long list, fetch :func:`visible_agency_ids` once instead.
"""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet

from gongkai.accounts.models import Membership, Role
from gongkai.agencies.models import Agency
from gongkai.agencies.tree import ancestors, descendants

HANDLING_ROLES = (Role.CLERK, Role.APPROVER, Role.HEAD)
APPROVING_ROLES = (Role.APPROVER, Role.HEAD)


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
