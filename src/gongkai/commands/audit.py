"""``gongkai audit``: read published annual reports and check them (the auditor).

Each file (.html/.htm, .txt, .md, .docx, .pdf; directories are searched) is read into the
report document of docs/spec/annual-report-json.md and checked with the same checks as
the report engine (《政府信息公开条例》第五十条). Pure core only: this command never sets up
Django, so it starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from gongkai.annual.document import Document
from gongkai.annual.pairing import previous_year_index, year_order
from gongkai.annual.parse import KNOWN_SUFFIXES, Parsed, ReportUnreadable, finish
from gongkai.annual.parse.bounded import Limits, read_file_bounded, shutdown_workers
from gongkai.annual.parse.fetch import MAX_BYTES, TIMEOUT, FetchError, fetch, is_url
from gongkai.commands import UsageError
from gongkai.commands.audit_output import compare_documents, render_comparison, render_report
from gongkai.env import env_int

HELP = (
    "审核已公开的政府信息公开工作年度报告（网页、文本、Word、PDF）/ audit published annual reports"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="报告文件、目录或 http(s) 网址 / files, directories or http(s) addresses",
    )
    parser.add_argument(
        "--format",
        choices=("json", "table"),
        default="json",
        help="json：每份报告一个文档；table：中文摘要 / one JSON document per report, or a summary",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="并行进程数 / parallel processes"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="有错误级别的问题时退出码为1 / exit 1 when any report has an error-severity finding",
    )
    parser.add_argument(
        "--download-dir",
        default="gongkai-downloads",
        metavar="DIR",
        help="网址下载的报告保存在此目录（默认 ./gongkai-downloads）"
        " / where reports fetched from addresses are kept",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"每个网址的下载时限（默认{TIMEOUT:g}秒）/ time limit per address",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=MAX_BYTES // (1024 * 1024),
        metavar="MB",
        help="每个网址最多下载的大小（默认20 MB）/ largest download per address",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="同一机关两个年度逐格对比 / compare consecutive years of one agency cell by cell",
    )


def collect(paths: list[str]) -> list[Path | str]:
    """Expand directories (recursively, known extensions) and check every path exists;
    http(s) addresses are kept as they are (fetched when read)."""
    files: list[Path | str] = []
    for raw in paths:
        if is_url(raw):
            files.append(raw.strip())
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in KNOWN_SUFFIXES and not p.name.startswith(".")
            )
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"找不到文件或目录：{raw} / no such file or directory: {raw}")
    if not files:
        raise UsageError("没有可审核的报告文件 / no report files found in the given directories")
    return list(dict.fromkeys(files))


@dataclass(frozen=True)
class _Fetching:
    """How addresses are fetched: where copies go, the time and size limits."""

    directory: Path
    timeout: float
    max_bytes: int


def limits() -> Limits:
    """The reader's limits per file: the same settings as the auditor in the back office."""
    return Limits(
        seconds=float(env_int("GONGKAI_AUDIT_SECONDS", 120)),
        memory_bytes=env_int("GONGKAI_AUDIT_MEMORY_MB", 1024) * 1024 * 1024,
        max_pages=env_int("GONGKAI_AUDIT_MAX_PAGES", 500),
    )


def _read(
    item: Path | str, fetching: _Fetching | None = None, bounds: Limits | None = None
) -> Parsed | str:
    if isinstance(item, str):
        return _read_url(
            item, fetching or _Fetching(Path("gongkai-downloads"), TIMEOUT, MAX_BYTES), bounds
        )
    try:
        return read_file_bounded(item, bounds)  # in a worker process, within the limits
    except ReportUnreadable as error:
        return str(error)
    except Exception as error:  # a reader bug must not sink the batch; report it as unreadable
        return f"{item.name}: 读取失败 / failed to read: {type(error).__name__}: {error}"


def _read_url(url: str, fetching: _Fetching, bounds: Limits | None = None) -> Parsed | str:
    """Fetch ``url``, keep the copy in the download directory, read it; the document's
    ``source`` is the address and ``fetched`` the copy."""
    try:
        fetched = fetch(url, timeout=fetching.timeout, max_bytes=fetching.max_bytes)
    except FetchError as error:
        return str(error)
    try:
        fetching.directory.mkdir(parents=True, exist_ok=True)
        path = fetching.directory / fetched.file_name
        path.write_bytes(fetched.data)
    except OSError as error:
        return f"{url}: 无法保存下载的文件 / cannot keep the fetched copy: {error}"
    parsed = _read(path, bounds=bounds)
    if isinstance(parsed, str):
        return f"{url}: {parsed}"
    parsed.doc["source"] = url
    parsed.doc["fetched"] = str(path)
    return parsed


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise UsageError("--jobs 必须至少为1 / --jobs must be at least 1")
    if args.timeout <= 0 or args.max_size < 1:
        raise UsageError(
            "--timeout 和 --max-size 必须为正数 / --timeout and --max-size must be positive"
        )
    files = collect(args.paths)
    fetching = _Fetching(Path(args.download_dir), args.timeout, args.max_size * 1024 * 1024)
    try:
        results = _read_all(files, args.jobs, fetching)
    finally:
        shutdown_workers()
    docs = finish_all({i: r for i, r in enumerate(results) if isinstance(r, Parsed)})
    errors = {i: r for i, r in enumerate(results) if isinstance(r, str)}
    for message in errors.values():
        print(f"gongkai audit: 无法读取 / unreadable: {message}", file=sys.stderr)
    if args.compare:
        pairs = compare_documents([docs[i] for i in sorted(docs)])
        if args.format == "json":
            print(json.dumps(pairs, ensure_ascii=False, indent=1))
        else:
            print(render_comparison(pairs))
    elif args.format == "json":
        out = [
            docs[i] if i in docs else {"source": str(files[i]), "error": errors[i]}
            for i in range(len(files))
        ]
        print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=1))
    else:
        for i, path in enumerate(files):
            if i in docs:
                print(render_report(str(path), docs[i]))
            else:
                print(f"== {path}\n无法读取 / unreadable: {errors[i]}\n")
    if errors:
        return 1
    if args.strict and any(
        f["severity"] == "error" for doc in docs.values() for f in doc["findings"]
    ):
        return 1
    return 0


def finish_all(parsed: dict[int, Parsed]) -> dict[int, Document]:
    """Check every report read, each against last year's report of its agency if present.

    Earlier years are finished first, so last year's document goes to the carry check with its
    findings: cells it could not read are skipped (《政府信息公开条例》第五十条).
    """
    keys = sorted(parsed)
    pairs = previous_year_index([parsed[i].doc for i in keys])
    earlier = {keys[k]: keys[j] for k, j in pairs.items()}
    docs: dict[int, Document] = {}
    for i in sorted(keys, key=lambda i: year_order(parsed[i].doc)):
        before = earlier.get(i)
        docs[i] = finish(parsed[i], previous=docs[before] if before is not None else None)
    return {i: docs[i] for i in keys}


def _read_all(files: list[Path | str], jobs: int, fetching: _Fetching) -> list[Parsed | str]:
    bar = _Progress(len(files)) if len(files) > 1 and sys.stderr.isatty() else None
    results: list[Parsed | str] = []
    read = partial(_read, fetching=fetching, bounds=limits())
    if jobs > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(read, files, chunksize=max(1, len(files) // (jobs * 8))):
                results.append(result)
                if bar:
                    bar.step()
    else:
        for path in files:
            results.append(read(path))
            if bar:
                bar.step()
    if bar:
        bar.done()
    return results


class _Progress:
    """A one-line progress bar on stderr (only drawn when stderr is a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0

    def step(self) -> None:
        self.count += 1
        filled = int(30 * self.count / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.count}/{self.total}")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()
