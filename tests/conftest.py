"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py.

Two agencies and a clerk of the first, for every app's tests (a directory may override one,
as tests/applications does to restore the holiday tables).
"""

import pytest


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker):
    """Every row of every table after ``gongkai demo`` has loaded, read once per test session.

    The demo loads through the real services (thousands of records with their audit rows), so
    loading it for every test that needs it would cost minutes; the load runs once here, inside
    a transaction that is rolled back, and :func:`demo_county` writes the same rows back."""
    from django.db import connection, transaction

    from gongkai.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(out=lambda _line: None)
        rows = {}
        with connection.cursor() as cursor:
            for table in _tables(connection):
                columns = [
                    c.name for c in connection.introspection.get_table_description(cursor, table)
                ]
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                name = connection.ops.quote_name(table)
                if connection.vendor == "postgresql":
                    # COPY's own text format, written back as it was read: no per-row round trip.
                    with cursor.cursor.copy(f"COPY {name} ({quoted}) TO STDOUT") as copy:
                        rows[table] = (quoted, len(columns), b"".join(bytes(b) for b in copy))
                    continue
                cursor.execute(f"SELECT {quoted} FROM {name}")
                rows[table] = (quoted, len(columns), cursor.fetchall())
        transaction.set_rollback(True)
    return rows


def _tables(connection):
    return sorted(connection.introspection.django_table_names(only_existing=True))


@pytest.fixture
def demo_county(db, _demo_rows):
    """The demo county of ``gongkai demo`` (every step of DEMO_STEPS), in the test database.

    Returns ``gongkai.demo``'s password for the demo accounts (``clerk``, ``supervisor``, …).
    The rows are those the demo loader wrote once in this session (:func:`_demo_rows`): every
    table is emptied and refilled with them in one transaction (foreign keys are checked at its
    end; on PostgreSQL the rows go back with ``COPY``, as they were read), and PostgreSQL's
    sequences are moved past the ids written.
    """
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from gongkai.demo.staff import DEMO_PASSWORD

    with transaction.atomic(), connection.cursor() as cursor:
        for table, (quoted, width, rows) in _demo_rows.items():
            name = connection.ops.quote_name(table)
            cursor.execute(f"DELETE FROM {name}")
            if isinstance(rows, bytes):
                if rows:
                    with cursor.cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                        copy.write(rows)
            elif rows:
                marks = ", ".join(["%s"] * width)
                cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", rows)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return DEMO_PASSWORD


@pytest.fixture
def office(db):
    from gongkai.testing import factories as f

    return f.agency("office", "城口县人民政府办公室", short_name="县政府办公室")


@pytest.fixture
def police(db):
    from gongkai.testing import factories as f

    return f.agency("police", "城口县公安局", short_name="县公安局")


@pytest.fixture
def clerk(office):
    from gongkai.testing import factories as f

    return f.staff("clerk", office, "clerk")


@pytest.fixture
def empty_cache(db):
    """An empty cache before and after the test (rate limits and the login throttle count there;
    the cache is a database table by default, so this needs the database).

    Use with ``pytestmark = pytest.mark.usefixtures("empty_cache")``.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
