"""Files written during a change are deleted if the change fails (rows roll back; files don't),
and files a killed process left behind (no row names them) are swept."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["delete_files_on_error", "remember_file", "sweep_orphan_files"]

logger = logging.getLogger("gongkai.records")

_written_files: ContextVar[list | None] = ContextVar("gongkai_written_files", default=None)


def remember_file(field_file: Any) -> None:
    """Note a file just written to storage, so it is deleted if the change fails."""
    written = _written_files.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


@contextmanager
def delete_files_on_error() -> Iterator[None]:
    """Delete the files written inside if it fails (its rows are rolled back; files are not).

    Use outside the change's ``transaction.atomic()``, so a failed commit is covered too.
    Nested uses hand their files to the outer one on success.
    """
    outer = _written_files.get()
    written: list = []
    token = _written_files.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("could not delete %s after a failed change", name)
        raise
    else:
        if outer is not None:
            outer.extend(written)
    finally:
        _written_files.reset(token)


def _referenced_names() -> set[str]:
    """Every file name a FileField of any installed model holds."""
    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField) and model_field.concrete:
                names.update(
                    model._default_manager.exclude(**{model_field.name: ""})
                    .values_list(model_field.name, flat=True)
                    .iterator()
                )
    return names


def sweep_orphan_files(*, older_than_seconds: float, dry_run: bool = False) -> list[str]:
    """Delete files under MEDIA_ROOT that no row names and that are older than
    ``older_than_seconds`` (a running server's transaction may be about to commit a younger
    one); return their names, relative to MEDIA_ROOT.

    A SIGKILL between writing an upload and committing its row leaves such a file:
    :func:`delete_files_on_error` cannot run in a killed process.
    """
    import time
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    # Take the time before reading the rows: a file younger than that may be committing now.
    cutoff = time.time() - older_than_seconds
    referenced = _referenced_names()
    swept = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        name = path.relative_to(root).as_posix()
        if name in referenced:
            continue
        swept.append(name)
        if not dry_run:
            path.unlink(missing_ok=True)
            logger.info("swept orphan file %s", name)
    return swept
