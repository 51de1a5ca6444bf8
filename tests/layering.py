"""Read the imports of src/gongkai and say where they break the layers (tests/test_layers.py).

The layers, bottom up (DEVELOPERS.md, "Layout"):

- ``law``: the pure core, the statute as code; imports nothing of gongkai but itself.
- ``annual``: the annual report as data; imports itself and ``law`` only.
- the platform: :data:`PLATFORM` (accounts and rules, agencies, the audit log, the record base
  and steps, the holiday tables, stored letters, the intake kit); never imports a domain app.
- the domain apps: :data:`DOMAIN`, each built on the platform and the core.

Also checked: no module imports another module's ``_private`` name, the module-level imports
between modules of src/gongkai form no cycle, and nobody outside ``accounts`` queries roles
(Membership, ``memberships__…``, ``role__in``): the permission rules are written once, in
:mod:`gongkai.accounts.rules`. Run ``uv run python -m tests.layering`` for a report, including
the imports deferred into functions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

CORE = ("law", "annual")
PLATFORM = (
    "accounts",
    "agencies",
    "auditlog",
    "records",
    "holidays",
    "letters",
    "intake",
    "personaldata",
    "worker",
)
DOMAIN = (
    "applications",
    "auditor",
    "portal",
    "demo",
    "commands",
    "publications",
    "mailbox",
    "appeals",
    "monitoring",
    "catalogue",
    "annualreports",
    "normative",
)
ROLE_HOME = "accounts"


@dataclass(frozen=True)
class Import:
    """One import statement's target, as found in ``module``."""

    module: str  # the importing module, dotted
    target: str  # the imported module, dotted (resolved: a submodule if the name is one)
    names: tuple[str, ...]  # names taken from it (``from x import a, b``); () for ``import x``
    line: int
    deferred: bool  # inside a function body (runs when called, not at import time)
    type_only: bool  # under ``if TYPE_CHECKING:`` (never runs)

    def where(self) -> str:
        return f"{self.module}:{self.line}"


@dataclass(frozen=True)
class Breach:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def module_name(path: Path, root: Path) -> str:
    """Return the dotted module name of ``path`` under the source ``root``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = SRC, package: str = "gongkai") -> dict[str, Path]:
    """Return every module of ``package`` under ``root`` (migrations left out) by name."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found[module_name(path, root)] = path
    return found


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(path):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _walk(tree: ast.AST):
    """Yield (node, deferred, type_only) for every import in ``tree``."""

    def visit(node: ast.AST, deferred: bool, type_only: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, deferred, type_only
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from visit(child, True, type_only)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for inner in child.body:
                    yield from visit(ast.Module(body=[inner], type_ignores=[]), deferred, True)
                for inner in child.orelse:
                    yield from visit(ast.Module(body=[inner], type_ignores=[]), deferred, type_only)
            else:
                yield from visit(child, deferred, type_only)

    yield from visit(tree, False, False)


def imports(known: dict[str, Path], package: str = "gongkai") -> list[Import]:
    """Return every import of a ``package`` module made by the modules in ``known``."""
    found = []
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, deferred, type_only in _walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == package or alias.name.startswith(package + "."):
                        found.append(
                            Import(module, alias.name, (), node.lineno, deferred, type_only)
                        )
                continue
            target = _resolve(module, path, node)
            if not (target == package or target.startswith(package + ".")):
                continue
            plain = []
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:  # ``from pkg import submodule``: an import of the submodule
                    found.append(Import(module, sub, (), node.lineno, deferred, type_only))
                else:
                    plain.append(alias.name)
            if plain or not node.names:
                found.append(Import(module, target, tuple(plain), node.lineno, deferred, type_only))
    return found


def top_package(module: str) -> str:
    """Return the part of gongkai a module belongs to: ``gongkai.law.clock`` -> ``law``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def allowed_targets(source: str) -> tuple[str, ...] | None:
    """Return the parts ``source`` may import, or None where only the platform rule applies."""
    if source == "law":
        return ("law",)
    if source == "annual":
        return ("annual", "law")
    return None


def layer_breaches(found: Iterable[Import], known_upward: dict[str, str] | None = None):
    """Return the imports that cross a layer the wrong way.

    ``known_upward`` maps ``"importer -> target"`` to the reason it is tolerated for now.
    """
    known_upward = known_upward or {}
    breaches = []
    for imp in found:
        source, target = top_package(imp.module), top_package(imp.target)
        if imp.type_only or not target:
            continue
        allowed = allowed_targets(source)
        if allowed is not None and target not in allowed:
            breaches.append(Breach(imp.where(), f"{source} may not import {imp.target}"))
        elif source in PLATFORM and target in DOMAIN:
            if f"{imp.module} -> {imp.target}" in known_upward:
                continue
            breaches.append(
                Breach(imp.where(), f"platform app {source} imports domain app {imp.target}")
            )
    return breaches


def private_breaches(found: Iterable[Import], known: dict[str, Path]):
    """Return imports of another module's ``_private`` names, and uses of ``module._private``."""
    breaches = []
    for imp in found:
        if imp.module == imp.target:
            continue
        for name in imp.names:
            if name.startswith("_") and not name.startswith("__"):
                breaches.append(Breach(imp.where(), f"imports private {imp.target}.{name}"))
        last = imp.target.rsplit(".", 1)[-1]
        if last.startswith("_") and not last.startswith("__"):
            breaches.append(Breach(imp.where(), f"imports private module {imp.target}"))
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = _module_aliases(tree, module, path, known)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and aliases[node.value.id] != module
            ):
                where = f"{module}:{node.lineno}"
                breaches.append(Breach(where, f"uses private {aliases[node.value.id]}.{node.attr}"))
    return breaches


def _module_aliases(tree: ast.AST, module: str, path: Path, known: dict[str, Path]):
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in known:
                    aliases[alias.asname] = alias.name
    return aliases


def cycles(found: Iterable[Import]) -> list[list[str]]:
    """Return the import cycles among module-level imports, each as a sorted list of modules.

    Tarjan's strongly connected components; a module importing itself counts too.
    """
    graph: dict[str, set[str]] = {}
    for imp in found:
        if imp.deferred or imp.type_only or imp.module == imp.target:
            continue
        graph.setdefault(imp.module, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[current] = min(low[current], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[current])
            if low[current] == index[current]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == current:
                        break
                if len(component) > 1:
                    out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(out)


ROLE_KEYWORDS = ("role__", "memberships__")


def role_queries(known: dict[str, Path], allowed: Iterable[str] = ()) -> list[Breach]:
    """Return the places outside ``accounts`` that query roles instead of asking the rules.

    A role query is any use of the ``Membership`` model, a ``memberships`` relation
    (``user.memberships``, ``memberships__role``…) or a ``role__…`` lookup. ``allowed``
    names modules that may (test factories making rows).
    """
    breaches = []
    allowed = set(allowed)
    for module, path in known.items():
        if top_package(module) == ROLE_HOME or module in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            what = None
            if isinstance(node, ast.Name) and node.id == "Membership":
                what = "uses the Membership model"
            elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] == "Membership":
                what = "imports the Membership model"
            elif isinstance(node, ast.Attribute) and node.attr == "memberships":
                what = "follows the memberships relation"
            elif isinstance(node, ast.keyword) and (node.arg or "").startswith(ROLE_KEYWORDS):
                what = f"filters on {node.arg}"
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(ROLE_KEYWORDS)
            ):
                what = f"names the lookup {node.value!r}"
            if what:
                line = getattr(node, "lineno", 0)
                breaches.append(Breach(f"{module}:{line}", f"{what}: ask gongkai.accounts.rules"))
    return breaches


def report(root: Path = SRC) -> str:
    """Return a plain-text report of the layers, cycles and deferred imports."""
    known = modules(root)
    found = imports(known)
    lines = [f"{len(known)} modules, {len(found)} imports of gongkai modules"]
    lines += ["", "Deferred imports (inside functions):"]
    lines += [f"  {i.where()} -> {i.target}" for i in found if i.deferred]
    lines += ["", "Cycles:"] + ([f"  {' <-> '.join(c)}" for c in cycles(found)] or ["  none"])
    hidden = cycles([replace(i, deferred=False) for i in found])
    lines += ["", "Cycles that deferring imports into functions hides:"]
    lines += [f"  {' <-> '.join(c)}" for c in hidden] or ["  none"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
