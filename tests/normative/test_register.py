"""Recording an existing register: all rows with their dates and one audit row each, or none."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.normative.models import NormativeDocument
from gongkai.normative.register import RegisterRow, import_register
from gongkai.normative.selectors import in_force
from gongkai.normative.steps import STEPS
from gongkai.testing import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


def row(agency, n, published, **fields):
    values = {
        "agency_id": agency.pk,
        "title": f"城口县测试办法{n}",
        "doc_number": f"城府发〔{published.year}〕{n}号",
        "drafted_on": published - dt.timedelta(days=40),
        "review_on": published - dt.timedelta(days=20),
        "review_ref": "城司审〔2016〕1号",
        "deliberated_on": published - dt.timedelta(days=7),
        "deliberation_ref": "县政府第9次常务会议",
        "signed_on": published - dt.timedelta(days=7),
        "published_on": published,
        "filed_on": published + dt.timedelta(days=10),
        "filed_with": "重庆市人民政府",
    }
    values.update(fields)
    return RegisterRow(**values)


def test_a_register_is_recorded_with_its_dates_and_goes_on_as_usual(keeper, government):
    docs = import_register(
        actor=keeper, rows=[row(government, 1, D(2016, 5, 3)), row(government, 2, D(2017, 1, 9))]
    )
    assert [d.state for d in docs] == ["published", "published"]
    first = NormativeDocument.objects.get(doc_number="城府发〔2016〕1号")
    assert (first.review_on, first.filed_with, first.effective_on) == (
        D(2016, 4, 13),
        "重庆市人民政府",
        D(2016, 5, 3),
    )
    (entry,) = first.events
    assert entry.action == "record_published" and entry.after["published_on"] == "2016-05-03"
    STEPS.run("abolish", actor=keeper, record=first, on=D(2020, 1, 1), decision_title="废止决定")
    assert set(in_force(agency_ids=[government.pk], on=D(2020, 1, 1))) == {docs[1]}


def test_one_bad_row_records_nothing_and_is_named(keeper, government):
    rows = [
        row(government, 1, D(2016, 5, 3)),
        row(government, 2, D(2016, 6, 3), review_on=D(2016, 3, 1), drafted_on=D(2016, 4, 1)),
        row(government, 1, D(2016, 7, 3), title=""),
    ]
    with pytest.raises(ValidationError) as caught:
        import_register(actor=keeper, rows=rows)
    assert caught.value.messages == [
        "登记簿未导入 / nothing was recorded:",
        "第2行：合法性审核日期（2016-03-01）不能早于起草日期（2016-04-01） / dates out of order",
        "第3行：请填写标题 / title is required",
        "第3行：文号与第1行重复 / the number repeats row 1",
    ]
    assert not NormativeDocument.objects.exists()


def test_a_number_already_recorded_is_refused(keeper, government, publish):
    publish(D(2016, 1, 5), doc_number="城府发〔2016〕1号")
    with pytest.raises(ValidationError, match="第1行：文号「城府发〔2016〕1号」已被另一件文件使用"):
        import_register(actor=keeper, rows=[row(government, 1, D(2016, 5, 3))])


def test_only_a_keeper_records_a_register(government, police):
    with pytest.raises(PermissionDenied):
        import_register(actor=f.staff("p", police), rows=[row(government, 1, D(2016, 5, 3))])
    assert not NormativeDocument.objects.exists()
