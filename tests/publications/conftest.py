"""Fixtures for publications: an office with a clerk and an approver, and a walk to approval."""

from datetime import date

import pytest

from gongkai.publications import services as s
from gongkai.testing import factories as f


@pytest.fixture
def approver(office):
    return f.staff("approver", office, "approver")


@pytest.fixture
def stranger(police):
    """A clerk of another agency."""
    return f.staff("police-clerk", police, "clerk")


def draft_data(**overrides):
    data = {
        "title": "城口县人民政府办公室关于做好2020年春节期间安全生产工作的通知",
        "kind": "document",
        "doc_number": "城府办发〔2020〕3号",
        "genre": "notice",
        "written_on": "2020-01-10",
        "category": "a20-13",
        "topic": "market",
        "keywords": "安全生产 春节",
        "body": "<p>各乡镇人民政府、街道办事处，县政府各部门：</p><p>现将有关事项通知如下。</p>",
        "attribute": "proactive",
    }
    data.update(overrides)
    return data


def walk_to_approved(publication, clerk, approver):
    """Submit, review, approve and clear the secrecy review (the full path before publishing)."""
    s.run_step("submit", actor=clerk, publication=publication)
    s.run_step("review", actor=clerk, publication=publication)
    s.run_step("approve", actor=approver, publication=publication)
    return s.run_step("clear_secrecy", actor=approver, publication=publication)


def publish(publication, clerk, day=date(2020, 1, 15), channels=("website",)):
    return s.run_step(
        "publish",
        actor=clerk,
        publication=publication,
        published_on=day,
        placements=[{"channel": c, "placed_on": day} for c in channels],
    )
