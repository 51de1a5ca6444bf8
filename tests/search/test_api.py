"""GET /api/v1/search: public, the same search and filters as the portal page, the total count
and the ranked page; bad input answers 422 in Chinese first."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.publications.models import Attachment, Publication, State
from gongkai.search import index

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(office, police):
    rows = []
    for i in range(30):
        rows.append(
            Publication.objects.create(
                agency=office if i % 3 else police,
                title=("关于城乡居民医保的通知" if i % 2 else "工作动态") + f"（{i}）",
                body="<p>医保参保缴费。</p>" if i % 5 == 0 else "<p>其他事项。</p>",
                state=State.PUBLISHED if i % 7 else State.WITHDRAWN,
                published_on=date(2019 + i % 3, 1 + i % 12, 1 + i),
            )
        )
    Attachment.objects.create(
        publication=rows[2], name="b.pdf", content_type="application/pdf", size=1, text="医保附件"
    )
    index.rebuild()
    return rows


def expected(rows, q, **where):
    hits = []
    for p in rows:
        text = [p.title, p.doc_number, p.body, *(a.text for a in p.attachments.all())]
        passes = all(getattr(p, k) == v for k, v in where.items())
        if p.state == State.PUBLISHED and passes and any(q in t for t in text):
            hits.append(p)
    hits.sort(key=lambda p: (q not in p.title, -p.published_on.toordinal(), -p.pk))
    return [p.pk for p in hits]


def get(**params):
    return Client().get("/api/v1/search", params)


def test_the_count_and_the_ranked_pages(items):
    want = expected(items, "医保")
    first = get(q="医保", page_size=5).json()
    assert first["count"] == len(want) > 5
    assert [x["id"] for x in first["items"]] == want[:5]
    second = get(q="医保", page_size=5, page=2).json()
    assert [x["id"] for x in second["items"]] == want[5:10]
    assert first["items"][0]["url"] == reverse("sites:publication", args=[want[0]])
    withdrawn = [p.pk for p in items if p.state == State.WITHDRAWN]
    everything = get(q="医", page_size=100).json()
    assert not {x["id"] for x in everything["items"]} & set(withdrawn)


def test_filters(items, office):
    by_agency = get(q="医保", agency=office.slug, page_size=100).json()
    assert [x["id"] for x in by_agency["items"]] == expected(items, "医保", agency_id=office.pk)
    in_2020 = get(q="医保", year=2020, page_size=100).json()
    assert in_2020["count"] == len([p for p in items if p.pk in expected(items, "医保")
                                     and p.published_on.year == 2020])  # fmt: skip
    assert get(q="医保", agency="no-such").json() == {
        "count": 0, "page": 1, "page_size": 20, "items": []
    }  # fmt: skip


def test_bad_input_is_refused(items):
    for params in ({}, {"q": ""}, {"q": "长" * 41}, {"q": "医保", "year": 1800},
                   {"q": "医保", "page_size": 1000}):  # fmt: skip
        response = get(**params)
        assert response.status_code == 422, params
    assert "检索词" in str(get(q="  ").json())
