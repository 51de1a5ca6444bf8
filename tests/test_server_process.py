"""The server process's tuning (gongkai.wsgi.tune): start-up is frozen out of the garbage
collector's full passes, and glibc keeps freed memory for reuse."""

from __future__ import annotations

import ctypes
import gc

import gongkai.wsgi


def test_what_start_up_loaded_is_left_out_of_the_collector():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    gongkai.wsgi.tune()
    # Django, the apps and every view: tens of thousands of objects.
    assert gc.get_freeze_count() > 20_000


class FakeLibc:
    """A libc whose mallopt takes an mmap threshold up to ``limit`` (glibc before 2.35: 32
    MiB), and records the calls."""

    def __init__(self, limit: int) -> None:
        self.calls: list[tuple[int, int]] = []
        self.limit = limit

    def mallopt(self, parameter: int, value: int) -> int:
        self.calls.append((parameter, value))
        return int(parameter != gongkai.wsgi.M_MMAP_THRESHOLD or value <= self.limit)


def test_freed_memory_is_kept_and_an_older_glibcs_limit_is_used(monkeypatch):
    trim, mmap = gongkai.wsgi.M_TRIM_THRESHOLD, gongkai.wsgi.M_MMAP_THRESHOLD
    for limit, calls in [
        (1 << 40, [(trim, 1 << 30), (mmap, 256 << 20)]),
        (32 << 20, [(trim, 1 << 30), (mmap, 256 << 20), (mmap, 32 << 20)]),
    ]:
        libc = FakeLibc(limit)
        monkeypatch.setattr(ctypes, "CDLL", lambda _name, libc=libc: libc)
        gongkai.wsgi.tune()
        assert libc.calls == calls
