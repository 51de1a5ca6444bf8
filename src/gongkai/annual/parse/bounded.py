"""Reading a report in a worker process bounded in time and memory.

A published report is someone else's file: a 2,000-page PDF, a .docx that is a ZIP bomb, a
PDF whose compressed streams unpack to gigabytes, or HTML nested a hundred thousand deep can
cost a reader minutes and gigabytes. :func:`read_file_bounded` reads it in a separate process
(started fresh with ``spawn``, never forked from a threaded server) whose address space is
capped (``RLIMIT_AS``: the reader's own size plus :attr:`Limits.memory_bytes`), whose CPU time
per file is capped (``RLIMIT_CPU``), and which the caller stops after
:attr:`Limits.seconds` × 2 of waiting. Cheap checks come first, inside the same limits: page
count of a PDF, unpacked size and entry count of a .docx. A file that breaks a limit is refused
with :class:`ReportRefused` (a :class:`~gongkai.annual.parse.ReportUnreadable`), message
Chinese first; only its worker is lost, and the next file gets a new one.

Workers are kept between files (a worker costs a Python start and the readers' imports), one
per concurrent caller.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.annual.parse import Parsed, ReportUnreadable, read_file

__all__ = ["Limits", "ReportRefused", "read_file_bounded", "shutdown_workers"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one report may cost. The defaults fit real reports (10–60 pages, under 5 MB)
    many times over."""

    #: CPU seconds for one file (the caller gives up waiting after twice this, wall time).
    seconds: float = 120.0
    #: Memory the reader may use beyond its own size when idle.
    memory_bytes: int = 1024 * MB
    #: Most pages of a PDF.
    max_pages: int = 500
    #: Most bytes a .docx may unpack to, and most entries in it.
    max_unpacked_bytes: int = 200 * MB
    max_entries: int = 5000


class ReportRefused(ReportUnreadable):
    """The report broke a limit (size, pages, time, memory); its message says which."""


# -- inside the worker ---------------------------------------------------------------------


def _precheck(path: Path, limits: Limits) -> None:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, OSError):
            return  # the reader says what is wrong with it
        if len(infos) > limits.max_entries:
            raise ReportRefused(
                f"{path.name}：Word 文件含 {len(infos)} 个部件，超过 {limits.max_entries} 个，"
                f"拒绝读取 / the .docx has {len(infos)} parts (limit {limits.max_entries})"
            )
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise ReportRefused(
                f"{path.name}：Word 文件解压后达 {unpacked // MB} MB，超过 "
                f"{limits.max_unpacked_bytes // MB} MB，疑似压缩炸弹，拒绝读取 / the .docx "
                f"unpacks to {unpacked // MB} MB (limit {limits.max_unpacked_bytes // MB} MB): "
                "a decompression bomb"
            )
    elif suffix == ".pdf":
        import pypdfium2

        try:
            document = pypdfium2.PdfDocument(str(path))
        except Exception:  # noqa: BLE001 — the reader reports a broken PDF in its own words
            return
        try:
            pages = len(document)
        finally:
            document.close()
        if pages > limits.max_pages:
            raise ReportRefused(
                f"{path.name}：PDF 共 {pages} 页，超过 {limits.max_pages} 页的上限，"
                f"不像一份年度报告，拒绝读取 / the PDF has {pages} pages (limit "
                f"{limits.max_pages}): not an annual report"
            )


def _virtual_size() -> int:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _serve(conn, limits: Limits) -> None:  # pragma: no cover — runs in the worker process
    # Import the readers first (their libraries reserve address space), then cap what is left.
    import gongkai.annual.parse.html  # noqa: F401
    import gongkai.annual.parse.pdf  # noqa: F401

    try:
        baseline = _virtual_size()
        cap = baseline + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (OSError, ValueError):  # no /proc: the time limit still holds
        pass
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        spent = int(used.ru_utime + used.ru_stime)
        _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = spent + max(1, int(limits.seconds))
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        try:
            _precheck(Path(path), limits)
            reply: tuple[str, Any] = ("ok", read_file(path))
        except ReportRefused as error:
            reply = ("refused", str(error))
        except ReportUnreadable as error:
            reply = ("unreadable", str(error))
        except MemoryError:
            reply = ("memory", "")
        except RecursionError:
            reply = ("deep", "")
        except Exception as error:  # noqa: BLE001 — a reader bug must not sink the batch
            reply = ("error", f"{type(error).__name__}: {error}")
        try:
            conn.send(reply)
        except MemoryError:
            return  # no memory left even to answer: the caller sees the worker gone
        if reply[0] == "memory":
            return  # the heap may be in a sorry state: start afresh


# -- the caller's side ---------------------------------------------------------------------


class _Worker:
    def __init__(self, limits: Limits) -> None:
        context = multiprocessing.get_context("spawn")
        self.limits = limits
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, limits), daemon=True)
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


_idle: list[_Worker] = []
_lock = threading.Lock()


def _take(limits: Limits) -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.limits == limits and worker.alive():
                return worker
            worker.stop()
    return _Worker(limits)


def _give_back(worker: _Worker) -> None:
    with _lock:
        _idle.append(worker)


def shutdown_workers() -> None:
    """Stop the idle workers (tests, and a command before it exits)."""
    with _lock:
        while _idle:
            _idle.pop().stop()


def _refusal(name: str, kind: str, limits: Limits, detail: str = "") -> ReportRefused:
    if kind == "time":
        return ReportRefused(
            f"{name}：读取超过 {limits.seconds:g} 秒的时限，已停止 / reading took longer than "
            f"the {limits.seconds:g} s limit and was stopped"
        )
    if kind == "memory":
        return ReportRefused(
            f"{name}：读取所需内存超过 {limits.memory_bytes // MB} MB 的上限，已停止 / reading "
            f"needed more than the {limits.memory_bytes // MB} MB memory limit and was stopped"
        )
    if kind == "deep":
        return ReportRefused(
            f"{name}：文件结构嵌套过深，拒绝读取 / the file is nested too deeply to read"
        )
    return ReportRefused(
        f"{name}：读取进程意外终止，拒绝读取 / the reader stopped unexpectedly{detail}"
    )


def read_file_bounded(path: str | Path, limits: Limits | None = None) -> Parsed:
    """Read the report at ``path`` like :func:`~gongkai.annual.parse.read_file`, in a worker
    process within ``limits``; raise :class:`ReportRefused` for a file that breaks one, and
    :class:`~gongkai.annual.parse.ReportUnreadable` for one that cannot be read."""
    limits = limits or Limits()
    path = Path(path)
    worker = _take(limits)
    try:
        worker.conn.send(str(path))
        if not worker.conn.poll(limits.seconds * 2):
            worker.stop()
            raise _refusal(path.name, "time", limits)
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join()
            code = worker.process.exitcode
            worker.stop()
            if code == -signal.SIGXCPU:
                raise _refusal(path.name, "time", limits) from None
            # Killed for memory (an allocation failed inside C code) or crashed.
            raise _refusal(path.name, "memory", limits, f" (exit {code})") from None
    except BaseException:
        if worker.alive() and not worker.conn.closed:
            worker.stop()
        raise
    if kind == "ok":
        _give_back(worker)
        return value
    if kind == "memory":
        worker.stop()
        raise _refusal(path.name, "memory", limits)
    _give_back(worker)
    if kind == "refused":
        raise ReportRefused(value)
    if kind == "unreadable":
        raise ReportUnreadable(value)
    if kind == "deep":
        raise _refusal(path.name, "deep", limits)
    raise ReportUnreadable(f"{path.name}：读取失败 / failed to read: {value}")
