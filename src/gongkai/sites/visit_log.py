"""Visits to the pages nginx answers from the static tree, counted from its access log.

Behind the shipped nginx configuration (deploy/nginx/gongkai.conf) a page of the tree is sent
by nginx without asking the platform, so the platform's own count (gongkai.sites.visits) never
sees it. nginx writes those requests — and only those — to a log of its own, in the format
``gongkai_visits``: the time, the status, the method, the path and the user agent, one request
a line, tab-separated; no address, no cookie, no query string. :func:`count_log` reads what was
added since the last run and adds the visits to the same (site, page, day) rows, with the same
rules: a successful GET (200, or 304 when a browser asks again whether the page changed) of a
page whose site is known (:class:`~gongkai.sites.models.PageSite`, written when the platform
stored the page), robots left out (:func:`gongkai.sites.visits.is_bot`).

The counts and the position reached (:class:`~gongkai.sites.models.VisitLog`) are written in
one transaction, so a run that is stopped half-way counts nothing and the next counts it all,
and a line is never counted twice. Only whole lines are read (nginx may be writing the last).
A rotated log (a new file under the name: another inode) is finished from the rotated copy
``<log>.1`` when it is there (logrotate's ``delaycompress``), then read from the start; a log
cut short in place (``copytruncate``) is read from the start.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from gongkai.sites import visits
from gongkai.sites.models import PageSite, VisitLog

#: Statuses of a page view: sent (200) or still current in the browser's copy (304).
COUNTED_STATUS = frozenset({"200", "304"})
#: At most this many bytes are read in one transaction; the rest waits for the next round.
CHUNK = 8 * 1024 * 1024


@dataclass
class Tally:
    """What one run read and counted."""

    lines: int = 0
    counted: int = 0
    robots: int = 0
    unknown_pages: int = 0
    not_views: int = 0
    unreadable: int = 0
    views: Counter = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        for name in ("lines", "counted", "robots", "unknown_pages", "not_views", "unreadable"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.views.update(other.views)

    def summary(self) -> str:
        return (
            f"读入 {self.lines} 行，计入访问 {self.counted} 次（机器人 {self.robots}，"
            f"未知页面 {self.unknown_pages}，非页面访问 {self.not_views}，无法识别 {self.unreadable}）"
            f" / {self.lines} lines read, {self.counted} visits counted ({self.robots} robots, "
            f"{self.unknown_pages} unknown pages, {self.not_views} not page views, "
            f"{self.unreadable} unreadable)"
        )


def _read_lines(data: bytes, sites: dict[str, int | None]) -> Tally:
    """Tally the whole lines of ``data``; ``sites`` caches the page → site lookups."""
    tally = Tally()
    for raw in data.splitlines():
        if not raw.strip():
            continue
        tally.lines += 1
        parts = raw.decode("utf-8", "replace").split("\t")
        if len(parts) != 5:
            tally.unreadable += 1
            continue
        when, status, method, path, user_agent = parts
        try:
            day = timezone.localdate(datetime.fromisoformat(when))
        except ValueError:
            tally.unreadable += 1
            continue
        if method != "GET" or status not in COUNTED_STATUS:
            tally.not_views += 1
            continue
        if visits.is_bot(None if user_agent == "-" else user_agent):
            tally.robots += 1
            continue
        path = path[: visits.MAX_PATH]
        if path not in sites:
            sites[path] = (
                PageSite.objects.filter(path=path).values_list("site_id", flat=True).first()
            )
        site_id = sites[path]
        if site_id is None:
            tally.unknown_pages += 1
            continue
        tally.counted += 1
        tally.views[(site_id, path, day)] += 1
    return tally


def _whole_lines(handle, start: int) -> tuple[bytes, int]:
    """The whole lines from ``start`` (at most about :data:`CHUNK` bytes) and where they end."""
    handle.seek(start)
    data = handle.read(CHUNK)
    end = data.rfind(b"\n")
    if end < 0:
        return b"", start
    return data[: end + 1], start + end + 1


def _count_file(log: Path, position: VisitLog, start: int, *, dry_run: bool) -> Tally:
    """Count ``log`` from byte ``start`` to its last whole line, a chunk a transaction."""
    total = Tally()
    sites: dict[str, int | None] = {}
    info = log.stat()
    with log.open("rb") as handle:
        while True:
            data, end = _whole_lines(handle, start)
            if not data:
                return total
            tally = _read_lines(data, sites)
            total.add(tally)
            if not dry_run:
                with transaction.atomic():
                    rows = [(s, p, d, n) for (s, p, d), n in tally.views.items()]
                    if rows:
                        visits.add_counts(rows)
                    position.device, position.inode = info.st_dev, info.st_ino
                    position.offset = end
                    position.save()
            start = end


def count_log(log: str | os.PathLike, *, dry_run: bool = False) -> Tally:
    """Count the visits added to the access log ``log`` since the last run."""
    log = Path(log)
    if not log.is_file():
        raise FileNotFoundError(f"访问日志不存在 / no such log: {log}")
    key = str(log.resolve())
    position = VisitLog.objects.filter(path=key).first() or VisitLog(path=key)
    info = log.stat()
    total = Tally()
    start = position.offset
    if position.inode and (position.device, position.inode) != (info.st_dev, info.st_ino):
        # Rotated: finish the old file if it is still there under <log>.1, then the new one.
        rotated = log.with_name(log.name + ".1")
        if rotated.is_file():
            old = rotated.stat()
            if (old.st_dev, old.st_ino) == (position.device, position.inode):
                total.add(_count_file(rotated, position, position.offset, dry_run=dry_run))
        start = 0
    elif info.st_size < start:  # cut short in place
        start = 0
    total.add(_count_file(log, position, start, dry_run=dry_run))
    return total
