"""The pure core (gongkai.law, gongkai.annual) never imports Django, so it reads like the statute
and its tests run in milliseconds (DEVELOPERS.md, "Layout"; the layers: tests/test_layers.py)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "gongkai"
CORE_PACKAGES = ("law", "annual")
FORBIDDEN = ("django", "ninja", "django_tasks")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _core_files() -> list[Path]:
    return [p for package in CORE_PACKAGES for p in sorted((SRC / package).rglob("*.py"))]


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_does_not_import_django(path: Path) -> None:
    bad = [name for name in _imports(path) if name.split(".")[0] in FORBIDDEN]
    assert not bad, f"{path.relative_to(SRC)} imports {bad}; the core must stay free of Django"


def test_core_modules_are_checked() -> None:
    assert _core_files(), "no core modules found: the boundary test would check nothing"


def test_boundary_check_catches_a_django_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from django.db import models\nimport os\n", encoding="utf-8")
    assert _imports(module) == ["django.db", "os"]
