"""Docstrings and comments cite files inside the repository (docs/…), never a path outside it
or an issue number, which a reader of a clone cannot follow."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = re.compile(r"\.\./shared|(?<![\w/.])ogi-spec\b(?!\.md)|\bissues? #?\d+\b", re.IGNORECASE)


def outside_citations(paths, root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_source_cites_only_files_in_the_repository() -> None:
    paths = [p for p in (ROOT / "src").rglob("*") if p.suffix in {".py", ".html", ".md"}]
    assert len(paths) > 100
    assert outside_citations(paths) == []


def test_cited_documents_are_in_the_repository() -> None:
    for name in ("docs/spec/annual-report-json.md", "docs/law/ogi-spec.md"):
        assert (ROOT / name).is_file(), name
    cited = set()
    for path in (ROOT / "src").rglob("*.py"):
        cited |= set(re.findall(r"docs/[\w/.-]+\.md", path.read_text(encoding="utf-8")))
    missing = sorted(name for name in cited if not (ROOT / name).is_file())
    assert missing == []


def test_the_check_catches_outside_citations(tmp_path) -> None:
    bad = tmp_path / "planted.py"
    bad.write_text(
        '"""Keys of ../shared/spec/annual-report-json.md (issue 4), see ogi-spec §3.7;\n'
        'fine: docs/law/ogi-spec.md §3.7 and docs/spec/annual-report-json.md."""\n',
        encoding="utf-8",
    )
    (line,) = outside_citations([bad], root=tmp_path)
    assert line.startswith("planted.py:1: ")
    for cited in ("../shared/x.md", "issue 4", "Issue #12", "see ogi-spec §4"):
        assert OUTSIDE.search(cited), cited
    for fine in ("docs/law/ogi-spec.md §4", "an issue with it", "tissue 4"):
        assert not OUTSIDE.search(fine), fine
