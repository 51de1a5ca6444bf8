"""The register on the workbench: enter a case by its application's number, close it
corrected, see the flag on the staff home and table 四 on the page."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.appeals.models import Case
from tests.appeals.test_register import approver, replied  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_enter_close_and_follow_up_a_case(client, clerk, replied):  # noqa: F811
    client.force_login(clerk)
    url = reverse("appeals:register")
    bad = client.post(url, {"application": "nope", "route": "review"})
    assert "没有找到申请编号为「nope」的申请" in bad.content.decode()
    assert Case.objects.count() == 0
    response = client.post(
        url,
        {
            "application": replied.reference,
            "route": "review",
            "case_number": "城府复〔2022〕7号",
            "body": "城口县人民政府",
            "filed_on": "2022-04-01",
        },
    )
    case = Case.objects.get()
    assert response["Location"] == reverse("appeals:case", args=[case.pk])
    assert case.decision_id == replied.reply.pk
    client.post(
        reverse("appeals:act", args=[case.pk, "close"]),
        {"result": "corrected", "closed_on": "2022-06-01", "new_decision_ordered": "on"},
    )
    home = client.get(reverse("portal:staff_home")).content.decode()
    assert "纠正待整改" in home and "城府复〔2022〕7号" in home
    page = client.get(url + "?year=2022").content.decode()
    assert '<th scope="row">行政复议</th><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td>' in page
    client.post(
        reverse("appeals:act", args=[case.pk, "follow_up"]),
        {"on": date(2022, 6, 10).isoformat(), "note": "已重新答复"},
    )
    assert Case.objects.get().follow_up_done_on == date(2022, 6, 10)
