"""Importing a year, the change log, the change hooks and the cached calendar."""

from datetime import date

import pytest
from django.db import connection

from gongkai.holidays import services
from gongkai.holidays.models import CalendarDay, CalendarYear
from gongkai.holidays.services import calendar_changes
from gongkai.law.calendar import MissingCalendarYear
from gongkai.law.clock import compute_due_date

D = date.fromisoformat


def test_importing_2027_makes_2027_computations_work(
    seeded, arrangement_2027, django_user_model
) -> None:
    with pytest.raises(MissingCalendarYear):
        compute_due_date(services.load_calendar(), received=D("2027-03-01"))
    admin = django_user_model.objects.create_superuser("root", password="x")
    change = services.import_year(year=2027, text=arrangement_2027, actor=admin, source="测试文件")
    calendar = services.load_calendar()
    assert calendar.covers(2027)
    assert compute_due_date(calendar, received=D("2027-03-01")).due == D("2027-03-29")
    # 02-06..02-13 off, 02-20 (Sat) a make-up day: counted by hand
    assert compute_due_date(calendar, received=D("2027-02-05")).due == D("2027-03-11")
    # a receipt in late 2026 now runs into 2027 without error
    assert compute_due_date(calendar, received=D("2026-12-15")).due.year == 2027
    row = CalendarYear.objects.get(year=2027)
    assert row.source == CalendarYear.Source.IMPORTED and row.note == "测试文件"
    assert row.days.count() == 3 + 8 + 1
    assert change.actor == admin and change.action == "imported"
    assert "导入2027年节假日安排（测试文件）：放假11天，调休上班1天" in change.note


def test_reimport_replaces_the_year_and_logs_the_differences(seeded, arrangement_2027) -> None:
    services.import_year(year=2027, text=arrangement_2027)
    changed = arrangement_2027.replace("上班 2027-02-20 春节调休", "上班 2027-02-14 春节调休")
    change = services.import_year(year=2027, text=changed)
    assert set(
        CalendarDay.objects.filter(calendar_year__year=2027, kind="work").values_list(
            "date", flat=True
        )
    ) == {D("2027-02-14")}
    assert "新增：2027-02-14 上班 春节调休" in change.note
    assert "删除：2027-02-20 上班 春节调休" in change.note
    assert CalendarYear.objects.get(year=2027).note == ""
    services.import_year(year=2027, text=changed, source="国办发明电〔2026〕X号")
    same = services.import_year(year=2027, text=changed)
    assert "与原有数据相同" in same.note
    assert CalendarYear.objects.get(year=2027).note == "国办发明电〔2026〕X号"
    assert calendar_changes(2027).count() == 4


def test_importing_a_seeded_year_replaces_it(seeded) -> None:
    text = (
        "放假 2025-01-01 元旦\n放假 2025-10-01..2025-10-08 国庆节、中秋节\n"
        "上班 2025-09-28 国庆节、中秋节调休\n"
    )
    change = services.import_year(year=2025, text=text, source="只含国庆")
    assert CalendarDay.objects.filter(calendar_year__year=2025).count() == 10
    assert "删除：2025-01-26 上班 春节调休" in change.note
    assert services.load_calendar().is_working_day(D("2025-01-28"))  # no longer a day off


def test_a_bad_file_changes_nothing(seeded) -> None:
    before = list(CalendarDay.objects.filter(calendar_year__year=2025).values_list("date", "kind"))
    with pytest.raises(services.ArrangementError) as caught:
        services.import_year(year=2025, text="放假 2025-10-01\n上班 2025-10-02\n")
    assert caught.value.line == 2
    after = list(CalendarDay.objects.filter(calendar_year__year=2025).values_list("date", "kind"))
    assert after == before
    assert not calendar_changes().filter(action="imported").exists()


def test_hooks_run_inside_the_transaction_and_see_the_new_calendar(
    seeded, arrangement_2027
) -> None:
    seen = []
    outside = len(connection.savepoint_ids)

    def hook(years, actor):
        seen.append(
            {
                "years": years,
                "actor": actor,
                "nested": len(connection.savepoint_ids) > outside,
                "covers": services.load_calendar().covers(2027),
                "logged": calendar_changes(2027).exists(),
            }
        )

    services.register_calendar_change_hook(hook)
    services.register_calendar_change_hook(hook)  # twice has no effect
    try:
        services.import_year(year=2027, text=arrangement_2027, actor=None)
    finally:
        services.unregister_calendar_change_hook(hook)
    assert seen == [
        {"years": {2027}, "actor": None, "nested": True, "covers": True, "logged": True}
    ]


def test_a_failing_hook_rolls_the_import_back(seeded, arrangement_2027) -> None:
    def hook(years, actor):
        assert CalendarYear.objects.filter(year=2027).exists()
        raise RuntimeError("recomputing due dates failed")

    services.register_calendar_change_hook(hook)
    try:
        with pytest.raises(RuntimeError):
            services.import_year(year=2027, text=arrangement_2027)
    finally:
        services.unregister_calendar_change_hook(hook)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not calendar_changes(2027).exists()
    assert not services.load_calendar().covers(2027)


def test_hooks_hear_about_the_previous_year_when_its_december_changes(
    seeded, arrangement_2027, hook_calls
) -> None:
    services.import_year(
        year=2027, text="放假 2026-12-31..2027-01-01 元旦\n" + arrangement_2027.split("\n", 2)[2]
    )
    assert hook_calls == [({2026, 2027}, None)]
    assert not services.load_calendar().is_working_day(D("2026-12-31"))


def test_deleting_a_year_tells_the_hooks_and_uncovers_it(
    seeded, arrangement_2027, hook_calls
) -> None:
    services.import_year(year=2027, text=arrangement_2027)
    services.delete_year(year=2027)
    assert hook_calls[-1] == ({2027}, None)
    assert not services.load_calendar().covers(2027)
    assert calendar_changes(2027).filter(action="deleted").exists()


def test_load_calendar_is_cached_until_the_tables_change(
    seeded, arrangement_2027, django_assert_num_queries
) -> None:
    first = services.load_calendar()
    with django_assert_num_queries(1):
        assert services.load_calendar() is first
    services.import_year(year=2027, text=arrangement_2027)
    second = services.load_calendar()
    assert second is not first and second.covers(2027)


def test_seed_calendar_restores_missing_years_only(seeded) -> None:
    services.import_year(year=2025, text="放假 2025-10-01 国庆节\n")
    CalendarYear.objects.filter(year=2010).delete()
    assert services.seed_calendar() == [2010]
    assert CalendarYear.objects.get(year=2025).source == "imported"
    assert services.load_calendar().covers(2010)
