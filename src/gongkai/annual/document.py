"""The report document (``gongkai.annual-report/1``) as plain dicts, and helpers to build and walk it.

A document is exactly the JSON of docs/spec/annual-report-json.md, so the engine, the auditor,
the API and the exports share one shape with no conversion layer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from gongkai.annual.formats import (
    APPLICATION_COLUMN_KEYS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
    SCHEMA,
    get_format,
)

Number = int | float | Decimal | None
Document = dict[str, Any]


@dataclass(frozen=True)
class Finding:
    """One problem found in a report. ``rule`` ids are fixed by the spec and never renamed."""

    rule: str
    severity: str  # "error" | "warning"
    message: str
    cells: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
        }


def empty_document(agency: str, year: int, fmt: str, *, fill: Number = None) -> Document:
    """Return a document with every cell of ``fmt`` set to ``fill`` (``None`` = blank)."""
    spec = get_format(fmt)
    proactive: dict[str, dict[str, Number]] = {}
    for table in spec.proactive:
        for row in table.rows:
            proactive[row] = {col: fill for col in table.columns}
    return {
        "schema": SCHEMA,
        "agency": agency,
        "year": year,
        "format": fmt,
        "proactive": proactive,
        "applications": {
            row: {col: fill for col in APPLICATION_COLUMN_KEYS} for row in spec.application_row_keys
        },
        "review_litigation": {
            group: {col: fill for col, _ in REVIEW_COLUMNS} for group, _ in REVIEW_GROUPS
        },
        "findings": [],
    }


def iter_cells(doc: Document) -> Iterator[tuple[str, Number]]:
    """Yield ``(dotted path, value)`` for every numeric cell, in table order."""
    for row, cols in doc.get("proactive", {}).items():
        for col, value in cols.items():
            yield f"proactive.{row}.{col}", value
    for row, cols in doc.get("applications", {}).items():
        for col, value in cols.items():
            yield f"applications.{row}.{col}", value
    for group, cols in doc.get("review_litigation", {}).items():
        for col, value in cols.items():
            yield f"review_litigation.{group}.{col}", value


def get_cell(doc: Document, path: str) -> Number:
    """Return the value at a dotted cell path (``applications.granted.total``)."""
    part, row, col = _split(path)
    return doc[part][row][col]


def set_cell(doc: Document, path: str, value: Number) -> None:
    part, row, col = _split(path)
    doc[part][row][col] = value


def _split(path: str) -> tuple[str, str, str]:
    # Proactive column labels contain no dots; row and part names never do.
    part, row, col = path.split(".", 2)
    return part, row, col
