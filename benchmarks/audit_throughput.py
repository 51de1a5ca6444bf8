"""How many published reports per second ``gongkai audit`` reads and checks, by kind of input.

Reads, in one process on one core, ``--repeat`` times through
:func:`gongkai.annual.parse.parse_path` (checks included):

- every report of the corpus (tests/corpus): text/HTML (.txt, .md, .html) and PDF;
- generated reports of every layout the round-trip tests render — the corpus's expected
  documents (both formats) rendered as each layout, text/HTML and PDF (printed by WeasyPrint).

Prints reports/second, the mean and the slowest milliseconds per report, per layout and for
text/HTML and PDF as a whole. Run:

    uv run python benchmarks/audit_throughput.py [--repeat N] [--only corpus|generated]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from gongkai.annual.parse import parse_path
from gongkai.annual.render import (
    perturb,
    to_crawler_text,
    to_html,
    to_layout_text,
    to_markdown,
    to_pipe_text,
)
from gongkai.annual.render import variants as v
from gongkai.annual.render.converter import to_converter_markdown

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
TEXT = (".txt", ".md", ".html", ".htm")

#: Generated layouts: name -> (file suffix, renderer of a document).
LAYOUTS: dict[str, tuple[str, Callable[[dict], str]]] = {
    "pipe (one cell per line, ` |`)": (".txt", to_pipe_text),
    "markdown": (".md", to_markdown),
    "html": (".html", to_html),
    "crawler (glued digits)": (".txt", to_crawler_text),
    "column-aligned PDF text": (".txt", to_layout_text),
    "converter/OCR markdown": (".md", to_converter_markdown),
    "html in a script literal": (".html", v.to_script_html),
    "one cell per line, split": (".txt", v.to_cell_lines),
    "merged identical lines": (".txt", lambda d: v.merge_identical_lines(to_pipe_text(d))),
    "table 二 fewer columns": (
        ".md",
        lambda d: v.to_proactive_variant(d, drop=("本年增/减", "本年废止件数")),
    ),
    "headings worded otherwise": (".md", lambda d: perturb.reword_headings(to_markdown(d))),
    "signed changes, units": (
        ".md",
        lambda d: to_markdown(d, cell_text=v.unit_cell_text()),
    ),
}


def measure(files: list[Path], repeat: int) -> tuple[float, float, float]:
    """Return (reports per second, mean ms, slowest ms) over ``repeat`` passes."""
    for path in files:  # warm up imports and caches
        parse_path(path)
    slowest = 0.0
    start = time.process_time()
    for _ in range(repeat):
        for path in files:
            one = time.process_time()
            parse_path(path)
            slowest = max(slowest, time.process_time() - one)
    elapsed = time.process_time() - start
    count = repeat * len(files)
    return count / elapsed, 1000 * elapsed / count, 1000 * slowest


def report(name: str, files: list[Path], repeat: int) -> None:
    rate, mean, slowest = measure(files, repeat)
    print(
        f"  {name:34} {len(files):3} x {repeat:3}: {rate:8.1f} reports/s, "
        f"mean {mean:6.2f} ms, slowest {slowest:7.2f} ms"
    )


def generated(directory: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """Render every expected document of the corpus in every layout, and print it to PDF."""
    docs = []
    for path in sorted(CORPUS.glob("*.expected.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.pop("about_this_file", None)
        docs.append((path.name.split(".")[0], doc))
    by_layout: dict[str, list[Path]] = {}
    for index, (name, (suffix, render)) in enumerate(LAYOUTS.items()):
        for stem, doc in docs:
            path = directory / f"{index:02d}-{stem}{suffix}"
            path.write_text(render(doc), encoding="utf-8")
            by_layout.setdefault(name, []).append(path)
    pdfs = []
    try:
        import weasyprint
    except ImportError:  # pragma: no cover - a dependency, but say so rather than fail
        print("  (WeasyPrint missing: no generated PDFs)")
        return by_layout, pdfs
    for stem, doc in docs:
        path = directory / f"{stem}.pdf"
        weasyprint.HTML(string=to_html(doc)).write_pdf(path)
        pdfs.append(path)
    return by_layout, pdfs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", choices=("corpus", "generated"))
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (CPU time measured)")
    pdf_repeat = max(1, args.repeat // 5)
    if args.only != "generated":
        print("corpus:")
        files = sorted(
            p for p in CORPUS.iterdir() if p.suffix in TEXT and not p.name.startswith("README")
        )
        report("text/HTML", files, args.repeat)
        report("PDF", sorted(CORPUS.glob("*.pdf")), pdf_repeat)
    if args.only != "corpus":
        print("generated reports (the corpus's documents in every layout):")
        with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
            by_layout, pdfs = generated(Path(tmp))
            for name, files in by_layout.items():
                report(name, files, max(1, args.repeat // 4))
            report("text/HTML, every layout", [p for f in by_layout.values() for p in f], 2)
            if pdfs:
                report("PDF (WeasyPrint)", pdfs, pdf_repeat)


if __name__ == "__main__":
    main()
