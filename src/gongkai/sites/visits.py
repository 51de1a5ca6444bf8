"""Counting visits on the day's row of (site, page, day), in batches.

Nothing about the visitor is stored — no IP address, no user agent, no cookie: the user agent
is read only to leave out robots, and only successful GETs of public pages count.

A page view adds one to an in-process counter (:func:`record`, a dictionary under a lock);
every :data:`BATCH` views or :data:`FLUSH_SECONDS` seconds, and at exit, :func:`flush` writes
the counter in one transaction, one ``INSERT … ON CONFLICT DO UPDATE SET count = count + n``
per (site, page, day) — the same statement on SQLite (3.24+) and PostgreSQL, right with several
server processes. Measured (README, "Visit counting"): one UPSERT per view cost 0.2 ms on SQLite
and 6.8 ms on PostgreSQL (a commit each); batched, a view costs a few microseconds. A crash
loses at most one batch per process (at most 10 seconds of views): the counts are statistics,
not records. The batch is large (1,000) because pages answered from the static tree come at
thousands a second, and a write every 50 views cost a fifth of that rate (docs/benchmarks.md,
"Anonymous pages").
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import re
import threading
import time
from collections import Counter

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gongkai.sites.models import DailyVisits, PageSite, Site

#: User agents that are robots, monitors or scripts (matched case-insensitively); an empty user
#: agent is a script too.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python|java/|go-http|httpclient|okhttp"
    r"|headless|phantom|monitor|check|scan|fetch|preview|lighthouse|yisou|sogou|bytespider",
    re.IGNORECASE,
)

MAX_PATH = 200
#: Views kept in memory before they are written, and the longest wait between writes.
BATCH = 1000
FLUSH_SECONDS = 10.0

logger = logging.getLogger(__name__)

_pending: Counter = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def is_bot(user_agent: str | None) -> bool:
    """Whether a request with ``user_agent`` comes from a robot (not counted)."""
    return not user_agent or not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def add_counts(rows: list[tuple[int, str, object, int]]) -> None:
    """Add ``n`` visits to each (site, path, day); a site deleted meanwhile is skipped."""
    table = connection.ops.quote_name(DailyVisits._meta.db_table)
    sites = connection.ops.quote_name(Site._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (site_id, path, day, count) "
            f"SELECT id, %s, %s, %s FROM {sites} WHERE id = %s "
            f"ON CONFLICT (site_id, path, day) DO UPDATE SET count = {table}.count + excluded.count",
            [(path, day, n, site_id) for site_id, path, day, n in rows],
        )


def remember_site(path: str, site_id: int) -> None:
    """Record the site a stored page of the static tree counts for, for the visits nginx sends
    and gongkai.sites.visit_log reads from its log (no view is there to say the site)."""
    table = connection.ops.quote_name(PageSite._meta.db_table)
    sites = connection.ops.quote_name(Site._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (path, site_id) SELECT %s, id FROM {sites} WHERE id = %s "
                "ON CONFLICT (path) DO UPDATE SET site_id = excluded.site_id",
                [path, site_id],
            )
    except DatabaseError:  # statistics: a busy database must not fail the page
        logger.exception("page's site not recorded")


def count(*, site_id: int, path: str, day=None, n: int = 1) -> None:
    """Add ``n`` visits to ``path`` of the site on ``day`` (today by default), now."""
    add_counts([(site_id, path[:MAX_PATH], day or timezone.localdate(), n)])


def record(*, site_id: int, path: str) -> None:
    """Add one visit to today's counter in memory; write the batch when it is full or old."""
    global _last_flush
    key = (site_id, path[:MAX_PATH], timezone.localdate())
    with _lock:
        _pending[key] += 1
        due = _pending.total() >= BATCH or time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush()


def flush() -> int:
    """Write the views counted in memory; return how many were written."""
    global _last_flush
    with _lock:
        rows = [(site_id, path, day, n) for (site_id, path, day), n in _pending.items()]
        _pending.clear()
        _last_flush = time.monotonic()
    if rows:
        add_counts(rows)
    return sum(row[3] for row in rows)


def discard() -> None:
    """Forget the views not yet written (tests: a new database)."""
    global _last_flush
    with _lock:
        _pending.clear()
        _last_flush = time.monotonic()


def _flush_at_exit() -> None:
    # At exit the database may be gone: then the last batch is lost.
    with contextlib.suppress(Exception):
        flush()


atexit.register(_flush_at_exit)


def count_request(request, response, *, site_id: int | None) -> bool:
    """Count ``request`` for the site if it is a human's successful GET; return whether it did."""
    response.visit_site_id = site_id  # a stored copy of the page counts for the same site
    if site_id is None or request.method != "GET" or response.status_code != 200:
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT")):
        return False
    record(site_id=site_id, path=request.path)
    return True
