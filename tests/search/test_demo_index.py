"""The demo county's search index is the one its records call for: a search with a site filter
finds what the LIKE scan finds (the demo puts its bulk items in their sites' columns after they
are written, past the publishing services), and after loading it, once or again, the index is
the one a rebuild makes from the records."""

import pytest
from pyroaring import BitMap

from gongkai.demo import load_demo
from gongkai.search import index
from gongkai.search.models import Posting
from gongkai.sites.models import Site
from gongkai.sites.search import scan, search


def ids(rows) -> set[int]:
    return set(rows.order_by().values_list("pk", flat=True))


@pytest.mark.parametrize("q", ["县", "通知", "公开"])
def test_site_filters_find_what_the_scan_finds(demo_county, q):
    sites = list(Site.objects.order_by("pk"))
    main = next(s for s in sites if s.kind == Site.Kind.MAIN)
    subs = [s for s in sites if s.kind == Site.Kind.SUB]
    for site in [main, subs[0], subs[len(subs) // 2], subs[-1]]:
        expected = ids(scan(q, site=site.slug))
        got = set(search(q, site=site.slug).ids())
        assert got == expected, (q, site.slug, len(got), len(expected))
    assert any(ids(scan(q, site=s.slug)) for s in subs)  # the filter is not vacuous


def _item_keys() -> list:
    """The postings of item ids (grams, title grams, filters); the positional ones (``p``)
    hold places in slots, which a re-indexed item may take anew. Each as a BitMap, which
    compares by its members (lists of the ids of ~140,000 rows took seconds)."""
    rows = Posting.objects.exclude(key__startswith="p")
    return sorted(
        (
            (key, month, BitMap.deserialize(bytes(bits)))
            for key, month, bits in rows.values_list("key", "month", "bits")
        ),
        key=lambda row: row[:2],
    )


@pytest.mark.parametrize("again", [False, True], ids=["loaded", "loaded again"])
def test_the_index_is_what_a_rebuild_makes(demo_county, again):
    if again:
        load_demo(out=lambda _line: None)
    kept = _item_keys()
    found = {q: search(q).ids() for q in ["乡村振兴", "政府信息公开", "县人民政府"]}
    index.rebuild()
    assert _item_keys() == kept
    assert {q: search(q).ids() for q in found} == found
