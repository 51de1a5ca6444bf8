"""Files written during a change are deleted if the change fails (rows roll back; files don't)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["delete_files_on_error", "remember_file"]

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
