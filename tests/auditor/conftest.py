"""Fixtures for the auditor: a clerk of the other agency, a supervisor, corpus files as uploads.

``office``, ``police`` and ``clerk`` come from tests/conftest.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.testing import factories as f

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run django-tasks at once (production queues them in the database for db_worker)."""
    settings.TASKS = IMMEDIATE


def corpus_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (CORPUS / name).read_bytes())


def expected(stem: str) -> dict:
    return json.loads((CORPUS / f"{stem}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def other_clerk(police):
    return f.staff("police-clerk", police, "clerk")


@pytest.fixture
def supervisor(office):
    return f.staff("supervisor", office, "supervisor")


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client
