"""What the server log may say: no 查询码, and no traceback for a refused request.

Django logs every 4xx and 5xx response with its path ("Not Found: /apply/status/<查询码>/"),
and a 403 with the full traceback of the PermissionDenied. A 查询码 opens an applicant's case,
so it is cut from every line; a 403 is an ordinary answer, logged in one line.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactFilter", "redact"]

# The citizen status pages (applications, mailbox letters), the letter download and the API's
# status look-up.
_CODE_IN_PATH = re.compile(r"(/apply/status/|/applications/status/|/mailbox/status/)[^/\s?\"']+")


def redact(text: str) -> str:
    """Return ``text`` with every 查询码 in a status URL replaced by ``…``."""
    return _CODE_IN_PATH.sub(r"\1…", text)


class RedactFilter(logging.Filter):
    """Cut 查询码 out of log lines and drop the traceback of 403 responses."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
