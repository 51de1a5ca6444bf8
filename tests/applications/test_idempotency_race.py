"""Two submissions with the same idempotency key at the same moment make one application.

The partial unique constraint (agency, idempotency_key) decides on PostgreSQL; the loser's
IntegrityError is caught and it returns the winner's row. Real threads, real connections.
"""

import threading

import pytest
from django.db import connection, connections

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.testing import factories as f

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database is not shared between threads like a file",
)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_key_make_one_application(office):
    barrier = threading.Barrier(2)
    results, errors = [], []
    data = f.person_data()

    def submit():
        try:
            barrier.wait()
            app = s.submit_online(agency=office, data=dict(data), idempotency_key="same-key")
            results.append(app.pk)
        except Exception as error:  # reported below, with the thread's error
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1]
    assert Application.objects.filter(idempotency_key="same-key").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_distinct_gap_free_reference_numbers(office):
    """Eight submissions at once: numbers 1–8 of the year, each once (the counter row lock)."""
    barrier = threading.Barrier(8)
    errors = []

    def submit():
        try:
            barrier.wait()
            s.submit_online(agency=office, data=f.person_data())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    serials = sorted(Application.objects.values_list("reference_serial", flat=True))
    assert serials == list(range(1, 9))
