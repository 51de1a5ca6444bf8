"""The upgrade that gave the effects ledger its intent rows (worker 0002): a row written before
it was written after its action, so it is done, and a retried run still skips that action. On
SQLite and PostgreSQL (run with DATABASE_URL for the latter)."""

from __future__ import annotations

import pytest

from gongkai.testing.migrations import migrate
from gongkai.worker import effects

BEFORE = [("worker", "0001_initial")]
AFTER = [("worker", "0002_taskeffect_done")]


@pytest.mark.django_db(transaction=True)
def test_a_recorded_effect_stays_done_across_the_upgrade():
    old = migrate(BEFORE)
    old.get_model("worker", "TaskEffect").objects.create(task_id="task-1", key="mail:a")

    new = migrate(AFTER)
    assert list(new.get_model("worker", "TaskEffect").objects.values_list("key", "done")) == [
        ("mail:a", True)
    ]
    done: list[str] = []
    with effects.running("task-1"):  # the run retried after the upgrade
        assert not effects.once("mail:a", lambda: done.append("a again"))
        assert effects.once("mail:b", lambda: done.append("b"))
    assert done == ["b"]
