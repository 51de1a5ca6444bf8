"""The taxonomies in the back office: system admins only, every save and delete audited."""

import pytest

from gongkai.accounts.models import User
from gongkai.auditlog.models import AuditEntry
from gongkai.publications.models import CatalogueCategory, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(db):
    return User.objects.create_superuser("root", password="x")


def test_the_seeded_catalogue_has_article_20_and_21(db):
    article_20 = CatalogueCategory.objects.filter(scope="all")
    assert article_20.count() == 15
    assert article_20.get(code="a20-01").name == "行政法规、规章和规范性文件"
    assert CatalogueCategory.objects.filter(scope="county").count() == 7
    assert CatalogueCategory.objects.filter(scope="township").count() == 8
    assert Topic.objects.exists()


def test_an_admin_adds_and_changes_a_category_and_it_is_logged(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        "/admin/publications/cataloguecategory/add/",
        {
            "code": "local-01",
            "name": "乡村振兴",
            "article": "",
            "scope": "local",
            "sort_order": 300,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CatalogueCategory.objects.get(code="local-01")
    entry = AuditEntry.objects.get(action="publications.taxonomy_add")
    assert entry.after["name"] == "乡村振兴" and entry.agency_id is None
    client.post(
        f"/admin/publications/cataloguecategory/{row.pk}/change/",
        {
            "code": "local-01",
            "name": "乡村振兴（本地）",
            "article": "",
            "scope": "local",
            "sort_order": 300,
        },
    )
    change = AuditEntry.objects.get(action="publications.taxonomy_change")
    assert change.before["name"] == "乡村振兴" and change.after["active"] is False


def test_a_clerk_cannot_reach_the_taxonomies(client, clerk):
    client.force_login(clerk)
    response = client.get("/admin/publications/topic/")
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action__startswith="publications.taxonomy").exists()
