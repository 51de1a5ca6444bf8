"""Where the corpus of published reports lives, for the parser's tests.

The vendored copy (tests/corpus) first, then $GONGKAI_SHARED_DIR/corpus and ../shared/corpus
relative to the repository root when they exist; files are deduplicated by name, so reports
added to the shared corpus are picked up without touching the tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RAW_SUFFIXES = (".txt", ".html", ".htm", ".md", ".pdf", ".docx")


def corpus_dirs() -> list[Path]:
    dirs = [ROOT / "tests" / "corpus"]
    shared = os.environ.get("GONGKAI_SHARED_DIR")
    if shared:
        dirs.append(Path(shared) / "corpus")
    dirs.append(ROOT.parent / "shared" / "corpus")
    return [d for d in dirs if d.is_dir()]


def corpus_files() -> list[tuple[Path, Path]]:
    """(raw report, expected JSON) for every report in the corpus, by file name."""
    seen: dict[str, tuple[Path, Path]] = {}
    for directory in corpus_dirs():
        for path in sorted(directory.iterdir()):
            name = path.name
            if name in seen or name.endswith(".expected.json") or not name.endswith(RAW_SUFFIXES):
                continue
            stem = name.split(".", 1)[0]
            expected = directory / f"{stem}.expected.json"
            if expected.exists():
                seen[name] = (path, expected)
    return [seen[name] for name in sorted(seen)]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def is_extraction(path: Path) -> bool:
    """A converter's text of a PDF stored beside it (``.extracted.txt``)."""
    return path.name.endswith(".extracted.txt")
