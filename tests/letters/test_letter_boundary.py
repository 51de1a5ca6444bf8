"""The rendering half of the letters app is plain Python: only compose.py, apps.py and the
storing half (models, store, admin: issued letters with their 文号) may use Django, so the
renderers can run in a worker, a CLI or a test without settings."""

import ast
from pathlib import Path

import pytest

LETTERS = Path(__file__).resolve().parents[2] / "src" / "gongkai" / "letters"
DJANGO_ALLOWED = {"compose.py", "apps.py", "models.py", "store.py", "admin.py"}


def _top_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


PURE = sorted(p for p in LETTERS.glob("*.py") if p.name not in DJANGO_ALLOWED)


def test_there_are_pure_modules_to_check() -> None:
    assert {p.name for p in PURE} >= {"model.py", "docx.py", "html.py", "pdf.py", "parse.py"}


@pytest.mark.parametrize("path", PURE, ids=lambda p: p.name)
def test_rendering_module_does_not_import_django(path: Path) -> None:
    assert "django" not in _top_imports(path)
