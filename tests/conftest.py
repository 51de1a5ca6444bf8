"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py.

Two agencies and a clerk of the first, for every app's tests (a directory may override one,
as tests/applications does to restore the holiday tables).
"""

from contextlib import contextmanager

import pytest


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the site's own language and ends back in it.

    Django's LocaleMiddleware activates a request's language in the thread and leaves it active
    after the response, so one English request in a test would otherwise change the labels the
    next test in that thread sees (CI saw "50.0% (1/2)" for "50.0%（1/2）" on PostgreSQL only,
    where the test order put such a request first)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


#: A flush on PostgreSQL empties a table by deleting its rows when no table holds more than
#: this many (:func:`_flush_by_deleting_on_postgresql`).
_FEW_ROWS = 1000


@pytest.fixture(scope="session", autouse=True)
def _flush_by_deleting_on_postgresql():
    """pytest-django empties the database after every transactional test with Django's flush:
    on PostgreSQL one ``TRUNCATE`` of all ~100 tables, which gives each table, index and TOAST
    table a new file, 4-6 s of wall time per test on CI's two cores whatever the test wrote
    (2026-12-06: 340 s of the PostgreSQL run's 349 s of teardown). When no table holds more
    than :data:`_FEW_ROWS` rows, the flush deletes the rows of the tables that have any instead
    (the foreign keys are checked at the end of the flush's transaction, as they are
    deferred); with more (the demo county) it truncates as before. Either way every table is
    empty after it, and the post-migrate seeding follows as before."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        counts = " UNION ALL ".join(
            f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {self.quote_name(table)} "
            f"LIMIT {_FEW_ROWS + 1}) AS rows)"
            for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(counts, list(tables))
            filled = {table: n for table, n in cursor.fetchall() if n}
        if any(n > _FEW_ROWS for n in filled.values()):
            return truncate(self, style, tables)
        return [f"DELETE FROM {self.quote_name(table)};" for table in sorted(filled)]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


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


def _write_demo_rows(connection, demo_rows):
    """Empty every table and write the demo's rows back (on PostgreSQL with ``COPY``, as they
    were read), then move PostgreSQL's sequences past the ids written. The caller holds the
    transaction."""
    from django.apps import apps
    from django.core.management.color import no_style

    with connection.cursor() as cursor, _without_foreign_key_triggers(connection, cursor):
        for table, (quoted, width, rows) in demo_rows.items():
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


@contextmanager
def _without_foreign_key_triggers(connection, cursor):
    """On PostgreSQL as a superuser (CI's ``postgres``), the rows are written with the foreign
    keys' triggers off (``session_replication_role = replica``, as ``pg_restore`` does), and
    back on after them. The rows are a copy of what the demo loader wrote with every constraint
    on, so checking them again finds nothing, at about 600,000 deferred checks (one per row and
    key): a fifth of the write (6.6-6.9 s -> 5.3-5.5 s of wall time, 2026-12-06, load average
    5.5). Elsewhere nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not cursor.fetchone()[0]:
        yield
        return
    cursor.execute("SET session_replication_role = replica")
    yield  # an error rolls the caller's transaction back, and the SET with it
    cursor.execute("SET session_replication_role = origin")


def _shares_the_demo_layer(item) -> bool:
    """Whether a test runs in :class:`_DemoLayer`: it uses ``demo_county`` in the plain
    (rolled-back) ``db`` transaction. A transactional test (``transaction=True``, the live
    server) commits, so it gets the rows written for itself instead."""
    from django.test import TransactionTestCase
    from pytest_django.fixtures import validate_django_db

    names = getattr(item, "fixturenames", ())
    if "demo_county" not in names:
        return False
    if isinstance(getattr(item, "cls", None), type) and issubclass(item.cls, TransactionTestCase):
        return False
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return False
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return False
    return True


class _DemoLayer:
    """The demo county's rows, written once into a transaction that stays open while the tests
    that share it run, each inside it in its own savepoint (Django's ``TestCase`` atomic nests
    as one), rolled back after the test as before. Writing the demo's ~300,000 rows back costs
    seconds; a savepoint's rollback costs nothing, so the rows are written once for all these
    tests instead of once each (:func:`pytest_collection_modifyitems` runs them one after
    another). The layer is rolled back before any other test, and at the end of the session."""

    def __init__(self):
        self.atomic = None
        self.blocker = None

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self, demo_rows, django_db_blocker) -> None:
        from django.db import connection, transaction

        self.blocker = django_db_blocker
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic._from_testcase = True  # durable=True blocks inside a test are allowed
            atomic.__enter__()
            self.atomic = atomic
            try:
                _write_demo_rows(connection, demo_rows)
                connection.check_constraints()  # the foreign keys of every row written
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        from django.db import transaction

        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_LAYER = _DemoLayer()


def pytest_runtest_setup(item):
    """Roll the layer back before a test that does not share it, whatever the order."""
    if _LAYER.is_open and not _shares_the_demo_layer(item):
        _LAYER.close()


@pytest.fixture(scope="session")
def _demo_layer_state(django_db_setup):
    yield _LAYER
    _LAYER.close()  # before pytest-django drops the test database


@pytest.fixture
def _demo_layer(request, _demo_layer_state, django_db_blocker):
    """Open :class:`_DemoLayer` for a test that shares it (the other tests found it rolled back
    by :func:`pytest_runtest_setup`)."""
    if _shares_the_demo_layer(request.node) and not _demo_layer_state.is_open:
        _demo_layer_state.open(request.getfixturevalue("_demo_rows"), django_db_blocker)
    return _demo_layer_state


@pytest.fixture
def _django_db_helper(_demo_layer, _django_db_helper):
    """pytest-django's database fixture (behind ``db``, ``transactional_db`` and the
    ``django_db`` mark), after :func:`_demo_layer`: the layer's transaction must be open before
    the test's own atomic block, or rolled back before a transactional test."""
    return _django_db_helper


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests that share :class:`_DemoLayer` first, one after another (a stable sort: their
    random order, and pytest-django's grouping of the others, stay as they were)."""
    items.sort(key=lambda item: not _shares_the_demo_layer(item))


@pytest.fixture
def demo_county(db, _demo_rows, _demo_layer):
    """The demo county of ``gongkai demo`` (every step of DEMO_STEPS), in the test database.

    Returns ``gongkai.demo``'s password for the demo accounts (``clerk``, ``supervisor``, …).
    The rows are those the demo loader wrote once in this session (:func:`_demo_rows`): every
    table is emptied and refilled with them in one transaction (foreign keys are checked at its
    end; on PostgreSQL the rows go back with ``COPY``, as they were read), and PostgreSQL's
    sequences are moved past the ids written. A test in the plain ``db`` transaction finds them
    in :class:`_DemoLayer`, written once for all such tests; a transactional test gets them
    written (and committed) for itself.
    """
    from django.db import connection, transaction

    from gongkai.demo.staff import DEMO_PASSWORD

    if _demo_layer.is_open:
        yield DEMO_PASSWORD
        return
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with _sqlite_demo_copy.demo_in(connection, _demo_rows):
            yield DEMO_PASSWORD
        return
    with transaction.atomic():
        _write_demo_rows(connection, _demo_rows)
    yield DEMO_PASSWORD


class _SQLiteDemoCopy:
    """The demo written for a transactional test on SQLite's in-memory test database, as a
    copy of the whole database made with SQLite's backup API: written once (the first such
    test writes the rows and keeps a copy of the database), copied in for each later one, and
    the database as it was before copied back after the test, so pytest-django's flush finds
    no demo rows to delete. Writing the ~300,000 rows and deleting them again cost about 4 s of
    CPU per test; copying the database's pages costs a fraction of a second."""

    def __init__(self):
        self.demo = None

    @contextmanager
    def demo_in(self, connection, demo_rows):
        import sqlite3

        from django.db import transaction

        connection.ensure_connection()
        live = connection.connection
        before = sqlite3.connect(":memory:")
        live.backup(before)
        try:
            if self.demo is None:
                with transaction.atomic():
                    _write_demo_rows(connection, demo_rows)
                demo = sqlite3.connect(":memory:")
                live.backup(demo)
                self.demo = demo
            else:
                self.demo.backup(live)
            yield
            before.backup(live)  # the flush that follows empties what was there before
        finally:
            before.close()


_sqlite_demo_copy = _SQLiteDemoCopy()


@pytest.fixture(scope="session")
def demo_installation(tmp_path_factory):
    """``gongkai demo --no-serve`` run once in this session, as a person runs it: a real process
    in a fresh data directory, on the embedded SQLite database. Returns the data directory and
    the finished process (its exit status is the caller's to check). Loading the demo costs
    tens of seconds, so the tests that start `gongkai` on a loaded demo share this one; a test
    that changes it works on a copy (``tests.installation.copy_installation``)."""
    import subprocess
    import sys

    from tests.installation import demo_env

    data_dir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "demo", "--no-serve"],
        env=demo_env(data_dir),
        capture_output=True,
        text=True,
    )
    return data_dir, result


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
