"""The agency tree: validation, and subtree/ancestor queries in one query on any database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.agencies.tree import ancestors, descendants
from gongkai.law.identifiers import credit_code_check_char

pytestmark = pytest.mark.django_db


def make(slug, parent=None, kind=Agency.Kind.DEPARTMENT, **fields):
    return Agency.objects.create(name=slug, slug=slug, parent=parent, kind=kind, **fields)


@pytest.fixture
def county():
    """county ─┬─ office ── open_office
    ├─ police
    └─ town ── village_office"""
    root = make("county", kind=Agency.Kind.COUNTY_GOVERNMENT)
    office = make("office", root, kind=Agency.Kind.GOVERNMENT_OFFICE)
    return {
        "county": root,
        "office": office,
        "open_office": make("open-office", office),
        "police": make("police", root),
        "town": (town := make("town", root, kind=Agency.Kind.TOWNSHIP)),
        "village_office": make("village-office", town, kind=Agency.Kind.OTHER),
        "elsewhere": make("elsewhere"),
    }


def slugs(queryset):
    return sorted(queryset.values_list("slug", flat=True))


def test_descendants_of_the_root_is_the_whole_tree_but_not_other_trees(county):
    assert slugs(descendants(county["county"])) == sorted(
        ["county", "office", "open-office", "police", "town", "village-office"]
    )


def test_descendants_without_self(county):
    assert slugs(descendants(county["office"], include_self=False)) == ["open-office"]


def test_descendants_of_a_leaf_is_itself(county):
    assert slugs(descendants(county["police"])) == ["police"]


def test_descendants_of_several_seeds_given_as_ids(county):
    ids = [county["office"].pk, county["town"].pk]
    assert slugs(descendants(ids)) == ["office", "open-office", "town", "village-office"]


def test_descendants_of_nothing_is_empty(county):
    assert slugs(descendants([])) == []


def test_descendants_seeded_by_a_queryset(county):
    seeds = Agency.objects.filter(kind=Agency.Kind.TOWNSHIP)
    assert slugs(descendants(seeds)) == ["town", "village-office"]


def test_descendants_rejects_a_queryset_of_other_rows(county):
    with pytest.raises(TypeError):
        descendants(ReportingUnit.objects.all())


def test_ancestors_walk_up_to_the_root(county):
    assert slugs(ancestors(county["open_office"])) == ["county", "office", "open-office"]
    assert slugs(ancestors(county["open_office"], include_self=False)) == ["county", "office"]


def test_subtree_query_is_one_query_whatever_the_depth(county, django_assert_num_queries):
    deep = county["village_office"]
    for level in range(10):
        deep = make(f"level-{level}", deep)
    with django_assert_num_queries(1):
        assert len(list(descendants(county["county"]))) == 16
    with django_assert_num_queries(1):
        assert len(list(ancestors(deep))) == 13


def test_subtree_composes_with_other_filters(county):
    queryset = descendants(county["county"]).filter(kind=Agency.Kind.DEPARTMENT)
    assert slugs(queryset) == ["open-office", "police"]


def test_parent_cannot_be_a_descendant(county):
    county["county"].parent = county["village_office"]
    with pytest.raises(ValidationError) as caught:
        county["county"].full_clean()
    assert "parent" in caught.value.message_dict


def test_parent_cannot_be_itself(county):
    police = county["police"]
    police.parent = police
    with pytest.raises(ValidationError):
        police.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.filter(pk=police.pk).update(parent=police.pk)


def valid_code(body="11500229MB1234567"):
    return body + credit_code_check_char(body)


def test_credit_code_is_validated_and_normalised():
    agency = Agency(name="县财政局", slug="czj", credit_code=valid_code().lower())
    agency.full_clean()
    assert agency.credit_code == valid_code()


def test_bad_credit_code_is_rejected_with_the_reason():
    code = valid_code()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    agency = Agency(name="县财政局", slug="czj", credit_code=wrong)
    with pytest.raises(ValidationError) as caught:
        agency.full_clean()
    assert "校验位" in caught.value.message_dict["credit_code"][0]


def test_credit_code_unique_when_set_but_many_may_be_blank():
    make("a", credit_code=valid_code())
    make("b")
    make("c")
    with pytest.raises(IntegrityError), transaction.atomic():
        make("d", credit_code=valid_code())


def test_reporting_unit_groups_agencies(county):
    unit = ReportingUnit.objects.create(name="城口县人民政府机关", slug="county-government")
    unit.agencies.set([county["county"], county["office"]])
    assert slugs(unit.agencies.all()) == ["county", "office"]
    assert list(county["office"].reporting_units.all()) == [unit]
