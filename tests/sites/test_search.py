"""Search finds exactly the published items that contain the query — every one- and two-
character substring of the corpus is tried — ranks title matches first, and never finds a
withdrawn item or a draft."""

import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from gongkai.publications.models import Attachment, Publication, State
from gongkai.search import index
from gongkai.sites.search import scan, search

pytestmark = pytest.mark.django_db

WORDS = ["医保", "低保", "县", "通知", "城口", "医疗", "保障", "公示", "2020", "GDP", "乡村"]


@pytest.fixture
def corpus(office):
    rng = random.Random(9)
    rows = []
    for i in range(40):
        title = "关于" + "".join(rng.sample(WORDS, 3)) + "的通知"
        body = "".join(rng.choice(WORDS) + "，" for _ in range(6))
        state = State.PUBLISHED if i % 10 else rng.choice([State.WITHDRAWN, State.DRAFT])
        rows.append(
            Publication.objects.create(
                agency=office,
                title=title,
                doc_number=f"城府发〔2020〕{i}号",
                body=body,
                state=state,
                published_on=date(2020, 1, 1 + i % 28) if state != State.DRAFT else None,
            )
        )
    Attachment.objects.create(
        publication=rows[1],
        name="a.pdf",
        content_type="application/pdf",
        size=1,
        text="附件里的词语甲乙",
    )
    # Written directly, as the demo's bulk rows are: indexed in one pass.
    index.rebuild()
    return rows


def expected(rows, q):
    q = q.lower()
    found = set()
    for p in rows:
        if p.state != State.PUBLISHED:
            continue
        fields = [p.title, p.doc_number, p.body, *(a.text for a in p.attachments.all())]
        if any(q in field.lower() for field in fields):
            found.add(p.pk)
    return found


def test_every_one_and_two_character_query_finds_exactly_what_contains_it(corpus):
    text = "".join(p.title + p.body + p.doc_number for p in corpus) + "附件里的词语甲乙"
    queries = {text[i : i + n] for n in (1, 2) for i in range(len(text) - n + 1)}
    queries |= {"甲乙", "gdp", "不存在", "医保报销", "X"}
    assert len(queries) > 100
    for q in sorted(queries):
        if not q.strip():
            continue
        got = set(search(q).ids())
        assert got == set(scan(q).values_list("pk", flat=True)), q
        assert got == expected(corpus, q), q


def test_title_matches_rank_first_then_the_newest(corpus):
    rows = search("医保")[0:100]
    ranks = [0 if "医保" in p.title else 1 for p in rows]
    assert ranks == sorted(ranks) and 0 in ranks and 1 in ranks
    titled = [p.published_on for p in rows if "医保" in p.title]
    assert titled == sorted(titled, reverse=True)


def test_bad_queries_are_refused_in_chinese(corpus):
    for q in ("", "   ", "长" * 41):
        with pytest.raises(ValidationError) as error:
            search(q)
        assert "检索词" in str(error.value)


def test_the_search_page_highlights_and_filters(corpus, office):
    client = Client()
    text = client.get("/gk/search/", {"q": "医保"}).content.decode()
    assert "<mark>医保</mark>" in text
    assert f"共 {len(expected(corpus, '医保'))} 条" in text
    none = client.get("/gk/search/", {"q": "医保", "agency": "no-such"}).content.decode()
    assert "共 0 条" in none
    in_force = client.get("/gk/search/", {"q": "医保", "validity": "in_force"}).content.decode()
    assert f"共 {len(expected(corpus, '医保'))} 条" in in_force
    repealed = client.get("/gk/search/", {"q": "医保", "validity": "repealed"}).content.decode()
    assert "共 0 条" in repealed and 'value="repealed" selected' in repealed
    assert "&lt;script&gt;" in client.get("/gk/search/", {"q": "<script>"}).content.decode()
    assert client.get("/gk/search/", {"q": "长" * 41}).status_code == 400
