"""Who sees what: a clerk their own batches, supervisors and admins all; anonymous → login.
And the list page's query count does not grow with the number of reports."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.models import User
from gongkai.auditor.models import AuditBatch, AuditedReport
from gongkai.auditor.services import upload_reports

from .conftest import corpus_file

pytestmark = pytest.mark.django_db

LIST = reverse("reports:list")


@pytest.fixture
def batch(clerk):
    return upload_reports(actor=clerk, files=[corpus_file("011-pingtan-gaj-2019.txt")]).batch


def test_anonymous_is_sent_to_the_login_page(client, batch):
    report = batch.reports.get()
    for url in (
        LIST,
        reverse("reports:upload"),
        reverse("reports:compare"),
        reverse("reports:batch", args=[batch.pk]),
        reverse("reports:detail", args=[report.pk]),
        reverse("reports:report_xlsx", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_user_without_a_staff_role_may_not_audit(client):
    nobody = User.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    assert client.get(LIST).status_code == 403
    assert client.post(reverse("reports:upload"), {"text": "x"}).status_code == 403


def test_a_clerk_cannot_see_another_users_batch(client, other_clerk, batch):
    report = batch.reports.get()
    client.force_login(other_clerk)
    assert client.get(reverse("reports:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    page = client.get(LIST).content.decode()
    assert "平潭综合实验区公安局" not in page and "（0份）" in page


def test_the_uploader_and_a_supervisor_see_it(client, clerk, supervisor, batch):
    report = batch.reports.get()
    for user in (clerk, supervisor):
        client.force_login(user)
        assert client.get(reverse("reports:batch", args=[batch.pk])).status_code == 200
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
        assert "平潭综合实验区公安局" in client.get(LIST).content.decode()
    # The supervisor's list shows who uploaded each report.
    assert '<th scope="col">上传人</th>' in client.get(LIST).content.decode()


def test_a_superuser_sees_every_batch(client, batch):
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    assert client.get(reverse("reports:batch", args=[batch.pk])).status_code == 200


def test_the_list_filters_and_sorts_by_errors(clerk_client, clerk):
    upload_reports(
        actor=clerk,
        files=[corpus_file("004-hongze-2023.pdf"), corpus_file("000-chengkou-2020.txt")],
    )
    page = clerk_client.get(LIST, {"sort": "errors"}).content.decode()
    assert page.index("淮安市洪泽区人民政府") < page.index("城口县人民政府机关")
    page = clerk_client.get(LIST, {"problems": "errors"}).content.decode()
    assert "淮安市洪泽区人民政府" in page and "城口县人民政府机关" not in page
    page = clerk_client.get(LIST, {"year": 2020}).content.decode()
    assert "城口县人民政府机关" in page and "淮安市洪泽区人民政府" not in page
    page = clerk_client.get(LIST, {"q": "洪泽"}).content.decode()
    assert "淮安市洪泽区人民政府" in page and "城口县人民政府机关" not in page


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(queries)


def _copy_reports(batch: AuditBatch, times: int) -> None:
    template = batch.reports.get()
    for _ in range(times):
        template.pk = None
        template.save()


def test_the_list_page_query_count_does_not_grow(client, supervisor, batch):
    client.force_login(supervisor)
    few = _list_queries(client)
    _copy_reports(batch, 30)
    assert AuditedReport.objects.count() == 31
    assert _list_queries(client) == few
    # 7, and one for django-otp to load the supervisor's verified second-factor device.
    assert few <= 8, few


def test_the_staff_home_links_the_auditor(clerk_client):
    page = clerk_client.get(reverse("portal:staff_home")).content.decode()
    assert f'href="{LIST}"' in page


def test_the_list_shows_only_the_users_own_recent_batches(client, clerk, other_clerk, batch):
    theirs = upload_reports(actor=other_clerk, files=[corpus_file("000-chengkou-2020.txt")]).batch
    client.force_login(clerk)
    page = client.get(LIST).content.decode()
    assert f'href="{reverse("reports:batch", args=[batch.pk])}"' in page
    assert f'href="{reverse("reports:batch", args=[theirs.pk])}"' not in page


def test_the_admin_lists_audited_reports_read_only(client, batch):
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    report = batch.reports.get()
    assert client.get(reverse("admin:reports_auditedreport_changelist")).status_code == 200
    page = client.get(reverse("admin:reports_auditedreport_change", args=[report.pk]))
    assert page.status_code == 200 and "平潭综合实验区公安局" in page.content.decode()
    assert (
        client.get(reverse("admin:reports_auditbatch_change", args=[batch.pk])).status_code == 200
    )
    assert client.get(reverse("admin:reports_auditedreport_add")).status_code == 403


def test_an_admin_role_sees_every_batch(client, office, batch):
    from gongkai.testing import factories as f

    client.force_login(f.staff("sysadmin", office, "admin"))
    assert client.get(reverse("reports:batch", args=[batch.pk])).status_code == 200


def test_the_batch_page_query_count_does_not_grow(client, clerk, batch):
    client.force_login(clerk)
    url = reverse("reports:batch", args=[batch.pk])
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _copy_reports(batch, 20)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
