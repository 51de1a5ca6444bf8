"""Counting visits: one UPSERT per counted page view on the day's row of (site, page, day).

Nothing about the visitor is stored — no IP address, no user agent, no cookie: the user agent
is read only to leave out robots, and only successful GETs of public pages count. One
``INSERT … ON CONFLICT DO UPDATE SET count = count + 1`` works on SQLite (3.24+) and PostgreSQL
and keeps the count right under concurrent requests (README: "Visit counting" has the timing).
"""

from __future__ import annotations

import re

from django.db import connection
from django.utils import timezone

from gongkai.sites.models import DailyVisits

#: User agents that are robots, monitors or scripts (matched case-insensitively); an empty user
#: agent is a script too.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python|java/|go-http|httpclient|okhttp"
    r"|headless|phantom|monitor|check|scan|fetch|preview|lighthouse|yisou|sogou|bytespider",
    re.IGNORECASE,
)

MAX_PATH = 200


def is_bot(user_agent: str | None) -> bool:
    """Whether a request with ``user_agent`` comes from a robot (not counted)."""
    return not user_agent or not user_agent.strip() or bool(BOT_PATTERN.search(user_agent))


def count(*, site_id: int, path: str, day=None) -> None:
    """Add one visit to ``path`` of the site on ``day`` (today by default)."""
    day = day or timezone.localdate()
    table = connection.ops.quote_name(DailyVisits._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (site_id, path, day, count) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (site_id, path, day) DO UPDATE SET count = {table}.count + 1",
            [site_id, path[:MAX_PATH], day],
        )


def count_request(request, response, *, site_id: int | None) -> bool:
    """Count ``request`` for the site if it is a human's successful GET; return whether it did."""
    if site_id is None or request.method != "GET" or response.status_code != 200:
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT")):
        return False
    count(site_id=site_id, path=request.path)
    return True
