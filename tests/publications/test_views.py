"""The workbench pages: list and filters, the draft form, steps, history, import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.publications import services as s
from gongkai.publications.models import Publication
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved
from tests.publications.test_bad_input import docx_bytes
from tests.publications.test_transfer import good_rows, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_clerk(client, clerk):
    client.force_login(clerk)
    return client


def form_data(**overrides):
    data = {k: v for k, v in draft_data().items()}
    data["agency"] = "office"
    data.update(overrides)
    return data


def test_a_clerk_drafts_with_an_attachment_and_sees_errors_in_chinese(as_clerk, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    bad = as_clerk.post("/staff/publications/new/", form_data(body="<script>x</script>"))
    assert bad.status_code == 200 and "脚本" in bad.content.decode()
    assert not Publication.objects.exists()
    upload = SimpleUploadedFile("细则.docx", docx_bytes("细则正文"))
    response = as_clerk.post("/staff/publications/new/", {**form_data(), "attachments": [upload]})
    item = Publication.objects.get()
    assert response.status_code == 302 and response.url == f"/staff/publications/{item.pk}/"
    page = as_clerk.get(response.url).content.decode()
    assert "细则.docx" in page and "提交审核" in page and "起草" in page


def test_steps_through_the_pages_and_the_history(as_clerk, office, clerk, approver, client):
    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    url = f"/staff/publications/{item.pk}/actions/"
    assert as_clerk.post(url + "submit/").status_code == 302
    assert as_clerk.post(url + "review/", {"note": "属性准确"}).status_code == 302
    assert as_clerk.post(url + "approve/").status_code == 403  # a clerk does not approve
    client.force_login(approver)
    assert client.post(url + "approve/").status_code == 302
    assert client.post(url + "clear_secrecy/").status_code == 302
    refused = client.post(url + "publish/", {"published_on": "2020-01-15"})
    assert refused.status_code == 400 and "发布渠道" in refused.content.decode()
    done = client.post(url + "publish/", {"published_on": "2020-01-15", "channels": ["website"]})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.state == "published" and item.index_number
    page = client.get(f"/staff/publications/{item.pk}/").content.decode()
    assert "发布" in page and "approver" in page and item.index_number in page
    assert "draft" in page and "published" in page  # the state before → after in the history


def test_the_list_filters_and_hides_other_agencies(as_clerk, office, police, clerk, approver):
    mine = s.create_draft(actor=clerk, agency=office, data=draft_data(title="本机关草稿"))
    late = s.create_draft(
        actor=clerk, agency=office, data=draft_data(title="逾期的", written_on="2020-01-02")
    )
    walk_to_approved(late, clerk, approver)
    publish(late, clerk, day=date(2020, 3, 30))
    other = f.staff("police-clerk", police, "clerk")
    s.create_draft(actor=other, agency=police, data=draft_data(title="公安局的"))
    page = as_clerk.get("/staff/publications/").content.decode()
    assert "本机关草稿" in page and "逾期的" in page and "公安局的" not in page
    page = as_clerk.get("/staff/publications/?late=on").content.decode()
    assert "逾期的" in page and "本机关草稿" not in page
    page = as_clerk.get("/staff/publications/?state=draft").content.decode()
    assert mine.title in page and "逾期的" not in page
    assert (
        as_clerk.get(
            f"/staff/publications/{Publication.objects.get(title='公安局的').pk}/"
        ).status_code
        == 404
    )


def test_the_list_runs_a_fixed_number_of_queries(as_clerk, office, clerk):
    for i in range(3):
        s.create_draft(actor=clerk, agency=office, data=draft_data(title=f"第{i}条"))
    with CaptureQueriesContext(connection) as few:
        as_clerk.get("/staff/publications/")
    for i in range(10):
        s.create_draft(actor=clerk, agency=office, data=draft_data(title=f"又{i}条"))
    with CaptureQueriesContext(connection) as many:
        as_clerk.get("/staff/publications/")
    assert len(many) == len(few)


def test_the_import_page_reports_bad_rows_and_saves_nothing(as_clerk, office, police):
    rows = good_rows()
    rows[1][-1] = ""
    upload = SimpleUploadedFile("old.xlsx", xlsx(rows))
    response = as_clerk.post("/staff/publications/import/", {"file": upload})
    assert response.status_code == 400
    assert "第4行「发布机关」" in response.content.decode()  # the police row: not the clerk's
    assert not Publication.objects.exists()
    mine = [r for r in rows if r[1] == "office"]
    upload = SimpleUploadedFile("old.xlsx", xlsx(mine))
    response = as_clerk.post("/staff/publications/import/", {"file": upload, "dry_run": "on"})
    assert "试运行" in response.content.decode() and not Publication.objects.exists()
    upload = SimpleUploadedFile("old.xlsx", xlsx(mine))
    response = as_clerk.post("/staff/publications/import/", {"file": upload})
    assert Publication.objects.count() == 2


def test_policies_lacking_interpretation_page(as_clerk, office, clerk, approver):
    policy = s.create_draft(actor=clerk, agency=office, data=draft_data(is_policy=True))
    walk_to_approved(policy, clerk, approver)
    publish(policy, clerk)
    page = as_clerk.get("/staff/publications/lacking-interpretation/").content.decode()
    assert policy.title in page


def test_the_export_is_the_filtered_list_of_visible_items(
    as_clerk, office, police, clerk, approver
):
    import io

    from openpyxl import load_workbook

    item = s.create_draft(actor=clerk, agency=office, data=draft_data())
    walk_to_approved(item, clerk, approver)
    publish(item, clerk)
    s.create_draft(actor=clerk, agency=office, data=draft_data(title="草稿一条"))
    other = f.staff("police-clerk", police, "clerk")
    s.create_draft(actor=other, agency=police, data=draft_data(title="公安局的"))
    response = as_clerk.get("/staff/publications/export.xlsx?state=published")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("索引号", "标题", "发布机关")
    assert [r[1] for r in rows[1:]] == [item.title]
    everything = load_workbook(io.BytesIO(as_clerk.get("/staff/publications/export.xlsx").content))
    titles = [r[1] for r in list(everything.active.iter_rows(values_only=True))[1:]]
    assert "草稿一条" in titles and "公安局的" not in titles
