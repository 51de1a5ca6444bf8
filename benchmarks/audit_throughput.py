"""How many published reports per second ``gongkai audit`` reads and checks, by kind of input.

Reads every report of the corpus (tests/corpus) ``--repeat`` times through
:func:`gongkai.annual.parse.parse_path` in one process and prints reports/second and the mean
milliseconds per report, separately for text/HTML (.txt, .md, .html) and PDF. Run:

    uv run python benchmarks/audit_throughput.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gongkai.annual.parse import parse_path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
KINDS = {"text/HTML": (".txt", ".md", ".html", ".htm"), "PDF": (".pdf",)}


def measure(files: list[Path], repeat: int) -> tuple[float, float, float]:
    """Return (reports per second, mean ms, slowest ms) over ``repeat`` passes."""
    for path in files:  # warm up imports and caches
        parse_path(path)
    slowest = 0.0
    start = time.perf_counter()
    for _ in range(repeat):
        for path in files:
            one = time.perf_counter()
            parse_path(path)
            slowest = max(slowest, time.perf_counter() - one)
    elapsed = time.perf_counter() - start
    count = repeat * len(files)
    return count / elapsed, 1000 * elapsed / count, 1000 * slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for kind, suffixes in KINDS.items():
        files = sorted(
            p for p in CORPUS.iterdir() if p.suffix in suffixes and not p.name.startswith("README")
        )
        repeat = args.repeat if kind != "PDF" else max(1, args.repeat // 10)
        rate, mean, slowest = measure(files, repeat)
        print(
            f"{kind:10} {len(files):3} files x {repeat:3}: {rate:8.1f} reports/s, "
            f"mean {mean:7.1f} ms, slowest {slowest:7.1f} ms"
        )


if __name__ == "__main__":
    main()
