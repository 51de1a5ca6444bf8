"""No test fails because the machine is busy: no Hypothesis deadline, no timeout in a test.

A property test that ran past a 1-second deadline failed a fresh clone's first run once. The
project's Hypothesis profile (gongkai.testing.pytest_plugin) has no deadline, and no test may
set one, nor a timeout on a process, a thread or a barrier.
"""

import re
from pathlib import Path

from hypothesis import settings

TESTS = Path(__file__).resolve().parent
LIMIT = re.compile(r"\b(deadline|timeout)=\s*(?!None\b)[\w.]+")


def test_the_hypothesis_profile_has_no_deadline():
    assert settings().deadline is None


def test_no_test_sets_a_wall_clock_limit():
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LIMIT.search(line) and "correction_deadline" not in line
    ]
    assert not found, "\n".join(found)
