"""The catalogue pages: public and phone-readable, the workbench import and the compliance view."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.auditlog.models import AuditEntry
from gongkai.catalogue import services
from gongkai.catalogue.models import Domain
from gongkai.catalogue.sheet import write_rows
from gongkai.testing import factories as f
from tests.catalogue.test_sheet import ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(office, clerk):
    services.seed_domains()
    catalogue = services.open_catalogue(
        actor=clerk, agency=office, domain=Domain.objects.get(name="重大建设项目")
    )
    services.import_catalogue(actor=clerk, catalogue=catalogue, data=write_rows(ROWS, title="t"))
    return catalogue


def test_the_public_page_lists_entries_by_level_without_an_account(client, catalogue):
    index = client.get(reverse("catalogue:index")).content.decode()
    assert "城口县人民政府办公室" in index and "重大建设项目" in index and "（3 项）" in index
    url = reverse("catalogue:public", args=[catalogue.agency.slug, catalogue.domain_id])
    html = client.get(url).content.decode()
    assert html.count('class="entry"') == 3 and "■</span> 政府网站" in html
    village = client.get(url + "?level=village").content.decode()
    assert village.count('class="entry"') == 1 and "招标投标" in village
    data = client.get(url + "xlsx/")
    assert data["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("catalogue:public", args=["nobody", 1])).status_code == 404


def test_an_upload_with_a_bad_row_is_refused_on_the_page_and_nothing_saved(
    client, catalogue, clerk
):
    client.force_login(clerk)
    bad = [ROWS[0].__class__(**{**ROWS[0].__dict__, "subject": ""})]
    url = reverse("catalogue:staff_detail", args=[catalogue.pk])
    response = client.post(url, {"file": SimpleUploadedFile("x.xlsx", write_rows(bad, title="t"))})
    assert response.status_code == 400
    assert "第4行G列（公开主体）：「公开主体」不能为空" in response.content.decode()
    assert catalogue.entries.count() == 3
    good = client.post(url, {"file": SimpleUploadedFile("x.xlsx", write_rows(ROWS[:2], title="t"))})
    assert good.status_code == 302 and catalogue.entries.count() == 2


def test_compliance_lists_overdue_entries_of_visible_agencies_only(
    client, catalogue, clerk, police
):
    entry = catalogue.entries.get(item_l2="审批结果")
    services.set_formed_on(actor=clerk, entry=entry, formed_on=date(2020, 3, 2))
    client.force_login(clerk)
    html = client.get(reverse("catalogue:compliance") + "?as_of=2020-12-31").content.decode()
    assert "逾期未公开" in html and "项目审批·审批结果" in html and f"#entry-{entry.pk}" in html
    outsider = f.staff("police-clerk", police, "clerk")
    client.force_login(outsider)
    html = client.get(reverse("catalogue:compliance") + "?as_of=2020-12-31").content.decode()
    assert "项目审批·审批结果" not in html
    assert client.get(reverse("catalogue:staff_detail", args=[catalogue.pk])).status_code == 404
    response = client.post(
        reverse("catalogue:formed_on", args=[entry.pk]), {"formed_on": "2020-01-01"}
    )
    assert response.status_code == 404


def test_a_clerk_records_evidence_and_the_entry_leaves_the_list(client, catalogue, clerk):
    entry = catalogue.entries.get(item_l2="审批结果")
    client.force_login(clerk)
    client.post(reverse("catalogue:formed_on", args=[entry.pk]), {"formed_on": "2020-03-02"})
    client.post(
        reverse("catalogue:add_evidence", args=[entry.pk]),
        {"published_on": "2020-03-20", "reference": "11500229/2020-00031"},
    )
    html = client.get(reverse("catalogue:compliance") + "?as_of=2020-12-31").content.decode()
    assert 'id="problems"' not in html and "没有逾期或超期公开的事项" in html


def test_only_supervisors_edit_the_domains(client, clerk, office):
    services.seed_domains()
    client.force_login(clerk)
    assert client.get(reverse("catalogue:domains")).status_code == 403
    supervisor = f.staff("sup", office, "supervisor")
    client.force_login(supervisor)
    domain = Domain.objects.get(name="税收管理")
    response = client.post(
        reverse("catalogue:domains") + f"?edit={domain.pk}",
        {"name": "税收管理（待核）", "sort_order": 50, "note": "核对中"},
    )
    assert response.status_code == 302
    domain.refresh_from_db()
    assert (domain.name, domain.note) == ("税收管理（待核）", "核对中")
    assert services.seed_domains() == 0  # the seed never undoes an edit


def test_list_pages_take_a_fixed_number_of_queries(
    client, demo_county, django_assert_max_num_queries
):
    from gongkai.accounts.models import User
    from gongkai.catalogue.models import Catalogue

    catalogue = Catalogue.objects.select_related("agency").get(
        agency__slug="fgw", domain__name="重大建设项目"
    )
    with django_assert_max_num_queries(4):
        client.get(reverse("catalogue:public", args=["fgw", catalogue.domain_id]))
    with django_assert_max_num_queries(3):
        client.get(reverse("catalogue:index"))
    client.force_login(User.objects.get(username="supervisor"))
    # 25 catalogues, 100 entries, 14 agencies: the page's queries do not grow with them
    with django_assert_max_num_queries(12):
        html = client.get(reverse("catalogue:compliance") + "?as_of=2020-12-31").content.decode()
    assert html.count('<tr><td><a href="?agency=') == 14
    with django_assert_max_num_queries(12):
        client.get(reverse("catalogue:staff_detail", args=[catalogue.pk]))


def entry_post(**changes):
    data = {
        "process": "",
        "item_l1": "项目实施",
        "item_l2": "竣工验收",
        "content": "验收结果",
        "basis": "《建设工程质量管理条例》",
        "time_limit": "信息形成（或者变更）之日起20个工作日内",
        "subject": "县发展改革委",
        "channel_website": "required",
        "channel_notice_board": "optional",
        "audience_all": "on",
        "proactive": "on",
        "level_county": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_entry_is_added_and_corrected_in_the_workbench(client, catalogue, clerk):
    client.force_login(clerk)
    url = reverse("catalogue:add_entry", args=[catalogue.pk])
    refused = client.post(
        url, entry_post(level_county=None, channel_website="", channel_notice_board="")
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "至少选择一个公开渠道和载体" in html and "「公开层级」至少勾选一项" in html
    assert catalogue.entries.count() == 3
    clash = client.post(url, entry_post(item_l1="项目审批", item_l2="审批结果"))
    assert clash.status_code == 400 and "目录中已有该公开事项" in clash.content.decode()
    assert client.post(url, entry_post()).status_code == 302
    added = catalogue.entries.get(item_l2="竣工验收")
    assert added.position == 4
    assert added.channels == {"website": "required", "notice_board": "optional"}
    edit = reverse("catalogue:edit_entry", args=[catalogue.pk, added.pk])
    assert 'value="竣工验收"' in client.get(edit).content.decode()
    client.post(edit, entry_post(subject="县发改委", level_village="on"))
    added.refresh_from_db()
    assert (added.subject, added.level_village, added.position) == ("县发改委", True, 4)
    row = AuditEntry.objects.filter(action="catalogue.entry").latest("pk")
    assert row.before["subject"] == "县发展改革委" and row.after["subject"] == "县发改委"


def test_dates_in_the_future_are_refused_with_a_message(client, catalogue, clerk):
    entry = catalogue.entries.get(item_l2="审批结果")
    client.force_login(clerk)
    response = client.post(
        reverse("catalogue:formed_on", args=[entry.pk]), {"formed_on": "2999-01-01"}, follow=True
    )
    assert "信息形成日期不能晚于今天" in response.content.decode()
    response = client.post(
        reverse("catalogue:add_evidence", args=[entry.pk]),
        {"published_on": "2999-01-01", "reference": "x"},
        follow=True,
    )
    assert "公开日期不能晚于今天" in response.content.decode()
    entry.refresh_from_db()
    assert entry.formed_on is None and not entry.evidence.exists()
