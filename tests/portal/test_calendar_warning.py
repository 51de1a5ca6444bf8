"""From 1 October the staff home warns the system admin and supervisors that next year's
holiday arrangement is missing, and says where to import it."""

from datetime import date

import pytest
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.holidays.services import import_year, load_calendar
from gongkai.portal.calendar_notice import missing_next_year
from gongkai.testing import factories as f

HOME = "/staff/"


@pytest.fixture
def people(office):
    county = f.agency("county", "城口县人民政府", kind="county_government")
    return {
        "admin": f.staff("sysadmin", county, Role.ADMIN),
        "supervisor": f.staff("supervisor", county, Role.SUPERVISOR),
        "clerk": f.staff("clerk2", office, Role.CLERK),
    }


@pytest.fixture
def no_2027(db):
    assert not load_calendar().covers(2027), "the tests need 2027 to be missing"


@pytest.mark.parametrize(
    ("today", "who", "warned"),
    [
        (date(2026, 9, 30), "admin", False),
        (date(2026, 10, 1), "admin", True),
        (date(2026, 12, 31), "supervisor", True),
        (date(2026, 12, 31), "clerk", False),
    ],
)
def test_who_is_warned_and_when(people, no_2027, today, who, warned):
    year = missing_next_year(people[who], today, load_calendar())
    assert year == (2027 if warned else None)


def test_no_warning_once_the_year_is_imported(people, no_2027):
    import_year(year=2027, text="放假 2027-01-01 元旦\n", source="测试用（非国务院通知）")
    assert missing_next_year(people["admin"], date(2026, 11, 1), load_calendar()) is None


def test_the_staff_home_shows_it_with_the_import_link(client, people, no_2027, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 10, 8))
    client.force_login(people["admin"])
    html = client.get(HOME).content.decode()
    assert 'id="calendar-warning"' in html and "尚未导入2027年节假日安排" in html
    assert "/admin/holidays/calendaryear/import/" in html
    client.force_login(people["supervisor"])
    html = client.get(HOME).content.decode()
    assert "尚未导入2027年节假日安排" in html and "提醒系统管理员" in html
    client.force_login(people["clerk"])
    assert 'id="calendar-warning"' not in client.get(HOME).content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: date(2026, 9, 30))
    client.force_login(people["admin"])
    assert 'id="calendar-warning"' not in client.get(HOME).content.decode()


def test_supervisors_find_the_overview_on_the_staff_home(client, people):
    client.force_login(people["supervisor"])
    assert 'id="home-overview"' in client.get(HOME).content.decode()
    client.force_login(people["clerk"])
    assert 'id="home-overview"' not in client.get(HOME).content.decode()
