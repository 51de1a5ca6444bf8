"""Screenshots the browser tests leave for a person to look at the layout (they assert nothing).

They go to ``$GONGKAI_SCREENSHOTS`` or, by default, ``/tmp/gongkai-screenshots-<database>/`` (one
directory per database, so CI's SQLite and PostgreSQL runs side by side do not overwrite each
other's). When Chromium cannot capture the page at that moment ("Unable to capture screenshot",
seen once on a loaded machine), the test goes on with a warning: what it checks is in its
assertions, not in the picture.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from django.db import connection
from playwright.sync_api import Error as PlaywrightError


def directory() -> Path:
    root = os.environ.get("GONGKAI_SCREENSHOTS")
    path = (
        Path(root)
        if root
        else Path(tempfile.gettempdir()) / f"gongkai-screenshots-{connection.vendor}"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def shot(target, name: str, **kwargs) -> Path:
    """Save a screenshot of ``target`` (a page or a locator) as ``name``; return its path."""
    path = directory() / name
    try:
        target.screenshot(path=str(path), **kwargs)
    except PlaywrightError as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        warnings.warn(f"截图未能保存 / screenshot {name} not taken: {error}", stacklevel=2)
    return path
