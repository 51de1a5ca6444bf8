"""Changes to staff accounts, their roles and their API tokens: one audited service each.

Only those :func:`gongkai.accounts.rules.may_administer` allows (a system admin, or the
operator at the command line) may make them. Each writes one row of the audit log
(docs/audit-log.md) in the same transaction: a role's row belongs to the role's agency (so the
agency's supervisors read it), an account's or a token's is installation-wide. The back office
and ``gongkai manage create_api_token`` call these; nothing else creates or changes the rows.
A token's text is never logged: only its prefix.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.accounts.models import ApiToken, Membership, Role, User
from gongkai.accounts.tokens import fill_new_token
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot

__all__ = [
    "change_role",
    "grant_role",
    "issue_api_token",
    "revoke_api_token",
    "revoke_role",
    "save_user",
    "log_password_change",
]

DENIED = "只有系统管理员可以管理账号、岗位和令牌 / only a system admin may manage accounts, roles and tokens"
ROLE_FIELDS = ("user", "agency", "role")
USER_FIELDS = ("username", "display_name", "email", "is_active", "is_superuser")
TOKEN_FIELDS = ("user", "name", "prefix", "revoked")


def _check(actor: Any) -> None:
    if not rules.may_administer(actor):
        raise PermissionDenied(DENIED)


def _via(actor: Any) -> dict[str, str]:
    return {"via": "command_line"} if actor is rules.COMMAND_LINE else {}


def _role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError(
            {"role": f"没有角色“{role}” / no such role {role!r}"}, code="invalid_role"
        )
    return role


def grant_role(*, actor: Any, user: User, agency: Any, role: str) -> Membership:
    """Give ``user`` ``role`` in ``agency``; refuse a role the user already holds there."""
    _check(actor)
    role = _role(role)
    with transaction.atomic():
        if Membership.objects.filter(user=user, agency=agency, role=role).exists():
            raise ValidationError(
                "该用户在该机关已有此角色 / this user already has this role in this agency",
                code="duplicate_role",
            )
        membership = Membership.objects.create(user=user, agency=agency, role=role)
        audit(
            actor=actor,
            action="role.granted",
            obj=membership,
            label=f"授予岗位：{membership.get_role_display()}",
            after=snapshot(membership, ROLE_FIELDS),
            data={"username": user.get_username(), **_via(actor)},
        )
    return membership


def change_role(*, actor: Any, membership: Membership, agency: Any, role: str) -> Membership:
    """Move the role row ``membership`` to ``agency`` and/or ``role`` (a revoke and a grant)."""
    _check(actor)
    role = _role(role)
    with transaction.atomic():
        row = Membership.objects.select_for_update().get(pk=membership.pk)
        before = snapshot(row, ROLE_FIELDS)
        agency_id = agency if isinstance(agency, int) else agency.pk
        if (row.agency_id, row.role) == (agency_id, role):
            return row
        clash = Membership.objects.filter(user_id=row.user_id, agency_id=agency_id, role=role)
        if clash.exclude(pk=row.pk).exists():
            raise ValidationError(
                "该用户在该机关已有此角色 / this user already has this role in this agency",
                code="duplicate_role",
            )
        old_agency = row.agency_id
        row.agency_id, row.role = agency_id, role
        row.save(update_fields=["agency", "role"])
        audit(
            actor=actor,
            action="role.changed",
            obj=row,
            label=f"变更岗位：{row.get_role_display()}",
            before=before,
            after=snapshot(row, ROLE_FIELDS),
            data={"username": row.user.get_username(), "from_agency": old_agency, **_via(actor)},
        )
        membership.agency_id, membership.role = agency_id, role
    return row


def revoke_role(*, actor: Any, membership: Membership) -> None:
    """Take the role row ``membership`` away (the user keeps their other roles)."""
    _check(actor)
    with transaction.atomic():
        row = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        audit(
            actor=actor,
            action="role.revoked",
            obj=row,
            label=f"撤销岗位：{row.get_role_display()}",
            before=snapshot(row, ROLE_FIELDS),
            data={"username": row.user.get_username(), **_via(actor)},
        )
        row.delete()


def save_user(*, actor: Any, user: User) -> User:
    """Create ``user`` (unsaved) or save changes to it, logging the account fields that changed.

    The password is never logged: only that one was set.
    """
    _check(actor)
    with transaction.atomic():
        old = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
        before = snapshot(old, USER_FIELDS) if old is not None else {}
        user.save()
        after = snapshot(user, USER_FIELDS)
        password_set = old is None or old.password != user.password
        if old is not None and before == after and not password_set:
            return user
        audit(
            actor=actor,
            action="user.created" if old is None else "user.changed",
            obj=user,
            label="新建账号" if old is None else "修改账号",
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
            data={"password_set": password_set, **_via(actor)},
        )
    return user


def log_password_change(*, actor: Any, user: User) -> None:
    """Log that ``user``'s password was just set (inside the change's transaction); the password
    itself, or its hash, never reaches the log."""
    _check(actor)
    audit(
        actor=actor,
        action="user.password_set",
        obj=user,
        label="设置密码" if user.has_usable_password() else "停用密码登录",
        data=_via(actor),
    )


def issue_api_token(*, actor: Any, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a REST API token for ``user``; return the row and the token text (shown once)."""
    _check(actor)
    if not user.is_active:
        raise ValidationError(
            f"用户 {user.get_username()} 已停用 / user {user.get_username()!r} is inactive",
            code="inactive_user",
        )
    with transaction.atomic():
        row = ApiToken(user=user, name=name)
        token = fill_new_token(row)
        row.save()
        audit(
            actor=actor,
            action="token.issued",
            obj=row,
            label="签发 API 令牌",
            after=snapshot(row, TOKEN_FIELDS),
            data={"username": user.get_username(), **_via(actor)},
        )
    return row, token


def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop ``token`` from working (it stays listed, revoked, for the record)."""
    _check(actor)
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked:
            return row
        before = snapshot(row, TOKEN_FIELDS)
        row.revoked = True
        row.save(update_fields=["revoked"])
        audit(
            actor=actor,
            action="token.revoked",
            obj=row,
            label="停用 API 令牌",
            before=before,
            after=snapshot(row, TOKEN_FIELDS),
            data=_via(actor),
        )
        token.revoked = True
    return row
