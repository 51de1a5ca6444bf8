"""Files held for the retry of a public form, so a person never loses a chosen attachment.

A browser forgets the files chosen in a form when the page comes back with an error. The
form's view therefore :func:`hold`\\ s every upload that passed the file checks (its bytes in
``MEDIA_ROOT/held/`` under a random name, its name and size in the session); the page shows
what is held, and the next post of the same form :func:`reopen`\\ s it unless the person chose
another file or unticked it. A held file is bound to the browser's session (another browser
cannot name it), is deleted with :func:`release` once the submission is saved, and any held
file older than :data:`MAX_AGE_SECONDS` is swept away by the next :func:`hold`.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

__all__ = ["MAX_AGE_SECONDS", "HeldFile", "drop", "held", "hold", "release", "reopen"]

SESSION_KEY = "gongkai_held_files"
MAX_AGE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class HeldFile:
    """A held upload: its field, the name the person chose, its size and content type."""

    kind: str
    name: str
    size: int
    content_type: str
    token: str

    @property
    def size_label(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{self.size / (1024 * 1024):.1f} MB"
        return f"{max(1, round(self.size / 1024))} KB"


def _directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "held"


def _path(token: str) -> Path:
    if not (len(token) == 32 and all(c in "0123456789abcdef" for c in token)):
        raise ValueError("not a held-file token")
    return _directory() / token


def _entries(request, scope: str) -> dict[str, dict]:
    return dict(request.session.get(SESSION_KEY, {}).get(scope, {}))


def _save_entries(request, scope: str, entries: dict[str, dict]) -> None:
    everything = dict(request.session.get(SESSION_KEY, {}))
    if entries:
        everything[scope] = entries
    else:
        everything.pop(scope, None)
    request.session[SESSION_KEY] = everything


def _sweep() -> None:
    directory = _directory()
    if not directory.is_dir():
        return
    limit = time.time() - MAX_AGE_SECONDS
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def hold(request, scope: str, kind: str, upload) -> HeldFile:
    """Keep ``upload`` (a checked file of field ``kind``) for the next post of ``scope``."""
    _sweep()
    drop(request, scope, kind)
    token = secrets.token_hex(16)
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    _path(token).write_bytes(content)
    entry = {
        "name": str(upload.name)[:200],
        "size": len(content),
        "content_type": getattr(upload, "content_type", "") or "application/octet-stream",
        "token": token,
    }
    entries = _entries(request, scope)
    entries[kind] = entry
    _save_entries(request, scope, entries)
    return HeldFile(kind=kind, **entry)


def held(request, scope: str) -> dict[str, HeldFile]:
    """The files held for ``scope`` in this session whose bytes are still there, by field."""
    found = {}
    for kind, entry in _entries(request, scope).items():
        try:
            if _path(entry["token"]).is_file():
                found[kind] = HeldFile(kind=kind, **entry)
        except (ValueError, KeyError, TypeError):
            continue
    return found


def reopen(request, scope: str, kind: str) -> SimpleUploadedFile | None:
    """The held file of field ``kind`` as an upload again (None if nothing is held)."""
    entry = held(request, scope).get(kind)
    if entry is None:
        return None
    try:
        content = _path(entry.token).read_bytes()
    except FileNotFoundError:
        return None
    return SimpleUploadedFile(entry.name, content, content_type=entry.content_type)


def drop(request, scope: str, kind: str) -> None:
    """Forget and delete the held file of field ``kind``."""
    entries = _entries(request, scope)
    entry = entries.pop(kind, None)
    if entry is None:
        return
    with contextlib.suppress(ValueError, KeyError, TypeError):
        _path(entry["token"]).unlink(missing_ok=True)
    _save_entries(request, scope, entries)


def release(request, scope: str) -> None:
    """Forget and delete every file held for ``scope`` (after the submission is saved)."""
    for kind in list(_entries(request, scope)):
        drop(request, scope, kind)
