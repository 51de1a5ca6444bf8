"""Demo step ``staff``: one demo account per role, all with the shared :data:`DEMO_PASSWORD`.

The accounts are fictitious. An existing account's password is left alone, so a person who
changed it keeps their change when the demo is loaded again. Accounts and roles are made
through :mod:`gongkai.accounts.services` as the command line, so the audit log shows them.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from gongkai.accounts import rules, second_factor, services
from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency

DEMO_PASSWORD = "gongkai-demo"

#: (username, display name, role, agency slug)
STAFF: list[tuple[str, str, str, str]] = [
    ("admin", "系统管理员（演示）", Role.ADMIN, "county-government"),
    ("supervisor", "政务公开办 周敏（演示）", Role.SUPERVISOR, "county-government"),
    ("clerk", "县政府办公室 李静（演示）", Role.CLERK, "county-office"),
    ("approver", "县政府办公室 陈刚（演示）", Role.APPROVER, "county-office"),
    ("head", "县政府办公室 王强（演示）", Role.HEAD, "county-office"),
    ("gaj-clerk", "县公安局 赵丽（演示）", Role.CLERK, "gaj"),
    ("gecheng-clerk", "葛城街道 刘洋（演示）", Role.CLERK, "gecheng"),
]


def load(*, out) -> None:
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in={row[3] for row in STAFF})}
    created = 0
    password_hash = None  # hashed once: a strong hash takes a noticeable fraction of a second
    for username, display_name, role, slug in STAFF:
        is_admin = role == Role.ADMIN
        user = User.objects.filter(username=username).first()
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User(username=username, password=password_hash)
            created += 1
        fields = {"display_name": display_name, "is_staff": is_admin, "is_superuser": is_admin}
        if user.pk is None or any(getattr(user, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(user, key, value)
            services.save_user(actor=rules.COMMAND_LINE, user=user)
        if role not in rules.roles_in(user, agencies[slug]):
            services.grant_role(
                actor=rules.COMMAND_LINE, user=user, agency=agencies[slug], role=role
            )
    out(f"工作人员 / staff: {len(STAFF)} 个（{created} 个新建 / created）")
    # The accounts that must log in with a second factor get an authenticator secret, printed
    # by `gongkai demo` (demo_second_factors) like the demo password.
    for user in User.objects.filter(username__in=[row[0] for row in STAFF]).order_by("pk"):
        if rules.must_use_second_factor(user):
            second_factor.enrol_for(actor=rules.COMMAND_LINE, user=user)


def demo_second_factors() -> list[tuple[str, str]]:
    """Return (username, TOTP secret in base32) of the demo accounts that need a second factor."""
    names = [row[0] for row in STAFF]
    found = []
    for user in User.objects.filter(username__in=names):
        if rules.must_use_second_factor(user):
            device = second_factor.enrol_for(actor=rules.COMMAND_LINE, user=user)
            found.append((user.username, second_factor.secret_text(device)))
    return sorted(found, key=lambda pair: names.index(pair[0]))


def demo_logins() -> list[tuple[str, str, str]]:
    """Return (username, role label, agency name) for every demo account, in :data:`STAFF` order."""
    slugs = {row[3] for row in STAFF}
    names = dict(Agency.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return [
        (username, Role(role).label, names.get(slug) or slug)
        for username, _name, role, slug in STAFF
    ]
