"""The layers of src/gongkai, pinned (the checker is tests/layering.py; DEVELOPERS.md, "Layout").

``law`` imports only itself; ``annual`` itself and ``law``; platform apps never import domain
apps; no module takes another's ``_private`` names; module-level imports form no cycle; and no
module outside ``accounts`` queries roles — every permission decision is a function of
``gongkai.accounts.rules``. Each check is shown to catch a planted breach.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests import layering

#: Upward imports tolerated for now ("importer -> target": why). Each must still exist (a stale
#: entry fails). None today.
KNOWN_UPWARD: dict[str, str] = {}
#: Private names still taken across modules, each with a plan to remove it. None today.
KNOWN_PRIVATE: set[str] = set()
#: Modules outside accounts that may touch Membership rows: test factories create them directly.
ROLE_ROWS_ALLOWED = ("gongkai.testing.factories",)


@pytest.fixture(scope="module")
def tree():
    known = layering.modules()
    return known, layering.imports(known)


def _key(breach: layering.Breach) -> str:
    return f"{breach.where.rsplit(':', 1)[0]}: {breach.what}"


def test_the_checker_sees_the_whole_tree(tree):
    known, found = tree
    assert {"gongkai.law.clock", "gongkai.accounts.rules", "gongkai.auditor.views"} <= set(known)
    assert len(found) > 300, "the checker found too few imports to be reading the tree"


def test_layers_are_kept(tree):
    _known, found = tree
    breaches = layering.layer_breaches(found, KNOWN_UPWARD)
    assert not breaches, "\n".join(map(str, breaches))
    present = {f"{i.module} -> {i.target}" for i in found}
    stale = set(KNOWN_UPWARD) - present
    assert not stale, f"remove from KNOWN_UPWARD, the import is gone: {stale}"


def test_no_private_names_cross_modules(tree):
    known, found = tree
    breaches = {_key(b) for b in layering.private_breaches(found, known)}
    assert breaches - KNOWN_PRIVATE == set()
    assert KNOWN_PRIVATE - breaches == set(), "remove from KNOWN_PRIVATE: fixed"


def test_no_import_cycles(tree):
    _known, found = tree
    assert layering.cycles(found) == []


def test_role_queries_stay_in_accounts(tree):
    known, _found = tree
    breaches = layering.role_queries(known, allowed=ROLE_ROWS_ALLOWED)
    assert not breaches, "\n".join(map(str, breaches))


# --- the checker catches what it should -----------------------------------------------------


def plant(root: Path, files: dict[str, str]) -> dict[str, Path]:
    """Write ``files`` (path under root -> source) and return the modules the checker sees."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            if str(parent) != ".":
                (root / parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return layering.modules(root)


def test_a_planted_upward_import_fails(tmp_path):
    known = plant(
        tmp_path,
        {
            "gongkai/law/clock.py": "from gongkai.law import calendar\n",
            "gongkai/law/calendar.py": "",
            "gongkai/law/bad.py": "from gongkai.annual.formats import get_format\n",
            "gongkai/annual/formats.py": "from gongkai.law.clock import x\n",
            "gongkai/annual/bad.py": "import gongkai.holidays.models\n",
            "gongkai/holidays/models.py": "",
            "gongkai/letters/bad.py": (
                "def later():\n    from gongkai.applications.models import Application\n"
            ),
            "gongkai/applications/models.py": "from gongkai.letters import bad\n",
            "gongkai/records/fine.py": "from gongkai.accounts import rules\n",
            "gongkai/accounts/rules.py": "",
            "gongkai/intake/bad.py": "from ..mailbox import forms\n",
            "gongkai/mailbox/forms.py": "",
        },
    )
    breaches = {_key(b) for b in layering.layer_breaches(layering.imports(known))}
    assert breaches == {
        "gongkai.law.bad: law may not import gongkai.annual.formats",
        "gongkai.annual.bad: annual may not import gongkai.holidays.models",
        "gongkai.letters.bad: platform app letters imports domain app gongkai.applications.models",
        "gongkai.intake.bad: platform app intake imports domain app gongkai.mailbox.forms",
    }


def test_a_planted_cycle_fails(tmp_path):
    known = plant(
        tmp_path,
        {
            "gongkai/applications/views/staff.py": "from .extras import HandlerForm\n",
            "gongkai/applications/views/extras.py": (
                "from gongkai.applications.views.staff import get_visible\n"
            ),
            "gongkai/applications/services/a.py": "from gongkai.applications.services import b\n",
            "gongkai/applications/services/b.py": "import gongkai.applications.services.c\n",
            "gongkai/applications/services/c.py": (
                "from gongkai.applications.services.a import x\n"
            ),
            # deferred into a function, or for type checkers only: not a cycle at import time
            "gongkai/portal/one.py": "from gongkai.portal.two import y\n",
            "gongkai/portal/two.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from gongkai.portal.one import z\n"
                "def f():\n    from gongkai.portal.one import z\n"
            ),
        },
    )
    assert layering.cycles(layering.imports(known)) == [
        [
            "gongkai.applications.services.a",
            "gongkai.applications.services.b",
            "gongkai.applications.services.c",
        ],
        ["gongkai.applications.views.extras", "gongkai.applications.views.staff"],
    ]


def test_a_planted_private_import_fails(tmp_path):
    known = plant(
        tmp_path,
        {
            "gongkai/auditor/access.py": "def _rights():\n    pass\n",
            "gongkai/auditor/views.py": "from gongkai.auditor.access import _rights\n",
            "gongkai/auditor/other.py": (
                "from gongkai.auditor import access\nx = access._rights\ny = access.__name__\n"
            ),
            "gongkai/auditor/_hidden.py": "",
            "gongkai/portal/views.py": "from gongkai.auditor import _hidden\n",
        },
    )
    found = layering.imports(known)
    breaches = {_key(b) for b in layering.private_breaches(found, known)}
    assert breaches == {
        "gongkai.auditor.views: imports private gongkai.auditor.access._rights",
        "gongkai.auditor.other: uses private gongkai.auditor.access._rights",
        "gongkai.portal.views: imports private module gongkai.auditor._hidden",
    }


def test_a_planted_role_query_fails(tmp_path):
    known = plant(
        tmp_path,
        {
            "gongkai/portal/views.py": """\
                from gongkai.accounts.models import Membership

                def home(user):
                    return Membership.objects.filter(user=user)
            """,
            "gongkai/applications/views/extras.py": """\
                def handlers(User, agency_id, HANDLING):
                    return User.objects.filter(
                        memberships__agency_id=agency_id, memberships__role__in=HANDLING
                    )
            """,
            "gongkai/applications/services/reminders.py": """\
                def people(model, ids):
                    return model.objects.filter(agency_id__in=ids, role__in=["clerk"])
            """,
            "gongkai/auditor/access.py": """\
                def roles(user):
                    return set(user.memberships.values_list("role", flat=True))
            """,
            "gongkai/accounts/rules.py": """\
                from gongkai.accounts.models import Membership
                def can(user):
                    return Membership.objects.filter(user=user, role__in=["clerk"]).exists()
            """,
        },
    )
    breaches = layering.role_queries(known)
    where = {b.where.rsplit(":", 1)[0] for b in breaches}
    assert where == {
        "gongkai.portal.views",
        "gongkai.applications.views.extras",
        "gongkai.applications.services.reminders",
        "gongkai.auditor.access",
    }
    assert {b.what.split(":")[0] for b in breaches} == {
        "imports the Membership model",
        "uses the Membership model",
        "filters on memberships__agency_id",
        "filters on memberships__role__in",
        "filters on role__in",
        "follows the memberships relation",
    }
