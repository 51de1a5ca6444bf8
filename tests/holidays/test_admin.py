"""System administrators edit the calendar in the back office; the edits reach the hooks."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.holidays.models import CalendarDay, CalendarYear
from gongkai.holidays.services import calendar_changes, import_year, load_calendar

pytestmark = pytest.mark.usefixtures("seeded")

SMALL_2027 = "放假 2027-01-01 元旦\n上班 2027-02-20 春节调休\n"


def _change_form_data(year: CalendarYear, extra: dict) -> dict:
    days = list(year.days.order_by("date"))
    data = {
        "note": year.note,
        "days-TOTAL_FORMS": str(len(days) + 1),
        "days-INITIAL_FORMS": str(len(days)),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, day in enumerate(days):
        data |= {
            f"days-{i}-id": str(day.pk),
            f"days-{i}-calendar_year": str(year.pk),
            f"days-{i}-date": day.date.isoformat(),
            f"days-{i}-kind": day.kind,
            f"days-{i}-name": day.name,
        }
    data[f"days-{len(days)}-calendar_year"] = str(year.pk)
    return data | extra


def test_admin_edit_goes_through_the_service(admin_client, admin_user, hook_calls) -> None:
    import_year(year=2027, text=SMALL_2027)
    hook_calls.clear()
    year = CalendarYear.objects.get(year=2027)
    url = reverse("admin:holidays_calendaryear_change", args=[year.pk])
    assert admin_client.get(url).status_code == 200
    data = _change_form_data(
        year,
        {
            "days-1-DELETE": "on",  # drop the 02-20 make-up day
            "days-2-date": "2027-10-01",
            "days-2-kind": "off",
            "days-2-name": "国庆节",
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(year.days.values_list("date", "kind")) == {
        (date(2027, 1, 1), "off"),
        (date(2027, 10, 1), "off"),
    }
    year.refresh_from_db()
    assert year.source == CalendarYear.Source.EDITED
    change = calendar_changes(2027).first()
    assert change.action == "edited" and change.actor == admin_user
    assert "新增：2027-10-01 放假 国庆节" in change.note
    assert "删除：2027-02-20 调休上班 春节调休" in change.note
    assert hook_calls == [({2027}, admin_user)]
    assert not load_calendar().is_working_day(date(2027, 10, 1))


def test_admin_refuses_a_weekday_make_up_day(admin_client, hook_calls) -> None:
    import_year(year=2027, text=SMALL_2027)
    hook_calls.clear()
    year = CalendarYear.objects.get(year=2027)
    url = reverse("admin:holidays_calendaryear_change", args=[year.pk])
    data = _change_form_data(
        year, {"days-2-date": "2027-10-08", "days-2-kind": "work", "days-2-name": "x"}
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "本来就是工作日" in response.content.decode()
    assert year.days.count() == 2 and hook_calls == []


def preview_then_confirm(client, url, data):
    """Post to preview (nothing saved), then confirm what the preview showed."""
    import re

    preview = client.post(url, {**data, "preview": "预览"})
    assert preview.status_code == 200 and 'id="import-preview"' in preview.content.decode()
    assert not CalendarYear.objects.filter(year=int(data["year"]), source="imported").exists()
    shown = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.content.decode()).group(1)
    return client.post(url, {**data, "previewed": shown, "confirm": "确认导入"})


def test_admin_import_page(admin_client, hook_calls) -> None:
    url = reverse("admin:holidays_calendaryear_import")
    assert admin_client.get(url).status_code == 200
    bad = admin_client.post(url, {"year": "2027", "text": "上班 2027-01-04\n", "source": ""})
    assert bad.status_code == 200 and "第1行" in bad.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    ok = preview_then_confirm(
        admin_client, url, {"year": "2027", "text": SMALL_2027, "source": "国办发明电"}
    )
    assert ok.status_code == 302
    assert CalendarYear.objects.get(year=2027).note == "国办发明电"
    assert hook_calls and hook_calls[-1][0] == {2027}


def test_admin_delete_goes_through_the_service(admin_client, hook_calls) -> None:
    import_year(year=2027, text=SMALL_2027)
    year = CalendarYear.objects.get(year=2027)
    url = reverse("admin:holidays_calendaryear_delete", args=[year.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.filter(date__year=2027).count() == 0
    assert hook_calls[-1][0] == {2027}


def test_staff_who_are_not_system_admins_cannot_edit(client, django_user_model) -> None:
    """Django's is_staff flag opens nothing: the back office asks accounts.rules."""
    staff = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    for name in ("admin:holidays_calendaryear_changelist", "admin:holidays_calendaryear_import"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_system_admin_by_role_can_import_a_year(client, hook_calls) -> None:
    """系统管理员 is a role as well as the superuser flag (accounts.rules.is_system_admin)."""
    from gongkai.accounts.models import Role
    from gongkai.testing import factories as f

    user = f.staff("sysadmin", f.agency(), Role.ADMIN)
    assert not user.is_superuser and not user.is_staff
    client.force_login(user)
    assert client.get(reverse("admin:holidays_calendaryear_changelist")).status_code == 200
    url = reverse("admin:holidays_calendaryear_import")
    assert client.get(url).status_code == 200
    ok = preview_then_confirm(
        client, url, {"year": "2027", "text": SMALL_2027, "source": "国办发明电"}
    )
    assert ok.status_code == 302
    assert CalendarYear.objects.get(year=2027).note == "国办发明电"
    assert calendar_changes(2027).filter(actor=user).exists()


def test_a_confirm_without_the_preview_saves_nothing(admin_client) -> None:
    url = reverse("admin:holidays_calendaryear_import")
    response = admin_client.post(
        url, {"year": "2027", "text": SMALL_2027, "previewed": "0" * 64, "confirm": "确认导入"}
    )
    assert response.status_code == 200 and 'id="import-preview"' in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_every_problem_is_listed_and_nothing_saved(admin_client) -> None:
    url = reverse("admin:holidays_calendaryear_import")
    text = "放假 2027-01-01 元旦\n上班 2027-01-04 周一\n放假 2027-02-30 春节\n"
    response = admin_client.post(url, {"year": "2027", "text": text, "preview": "预览"})
    html = response.content.decode()
    assert "共发现 2 处问题" in html and "第2行" in html and "第3行" in html
    assert 'id="confirm-import"' not in html
    assert not CalendarYear.objects.filter(year=2027).exists()
