"""Idempotent create-or-update for demo loaders."""

from __future__ import annotations

from typing import Any

from django.db.models import Model


def ensure(model: type[Model], *, defaults: dict[str, Any], **lookup: Any) -> tuple[Model, bool]:
    """Return the row matching ``lookup``, created or brought up to ``defaults``; and whether it
    was written. A row already as described is not written at all."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [field for field, value in defaults.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, defaults[field])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, bool(changed)
