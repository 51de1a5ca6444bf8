"""Thresholds of the monitoring checks, from ``settings.MONITORING`` over these defaults.

Values the spec gives (docs/law/ogi-spec.md §6.5) are the defaults; values it says were not
found (point values, the 政务新媒体 veto items) are settings an office sets. See
docs/monitoring.md for each key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # §6.5 互动回应差: "in the year before monitoring … unanswered for over 3 months"
    "LOOKBACK_DAYS": 365,
    "UNANSWERED_MONTHS": 3,
    # §6.5 首页不更新 / 栏目不更新 (2 weeks; 6 months for 通知公告/政策文件; 5 columns)
    "HOME_PAGE_DAYS": 14,
    "NEWS_COLUMN_DAYS": 14,
    "NOTICE_COLUMN_MONTHS": 6,
    "STALE_COLUMNS_VETO": 5,
    "EMPTY_COLUMNS_VETO": 5,
    # not found in the spec (§6.5, §9): the office's choice
    "NEW_MEDIA_SILENT_DAYS": 14,
    "INTERPRETATION_GRACE_DAYS": 0,
    "SEVERITY": {},
    "CHECKS_OFF": [],  # kinds not run (reported as not run, never as passed)  # kind -> "veto" | "deduction", overriding the registry
    # the crawler
    "CRAWL_START": ["/"],
    "CRAWL_MAX_PAGES": 200,
    "CRAWL_SKIP_PREFIXES": ["/staff/", "/admin/", "/api/", "/accounts/", "/i18n/"],
    "INTERNAL_HOST": "",
    "EXTERNAL_LINKS": False,
    "EXTERNAL_URLS": [],
    "EXTERNAL_TIMEOUT": 10.0,
    "HOST_DELAY": 1.0,
    "EXTERNAL_MAX": 100,
}


def conf(name: str) -> Any:
    return getattr(settings, "MONITORING", {}).get(name, DEFAULTS[name])
