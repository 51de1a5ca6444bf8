"""Two years of one agency side by side, and the carry-over check (``cross_year.carry``).

The corpus has the same agency in 2019 and 2022 (011/012), not consecutive years; a
consecutive pair is made by rendering the 2022 expected document (012) back into a report with
``annual.render`` and the year before from the same document, its 结转下年度 set as given.
"""

from __future__ import annotations

import copy
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.annual.render import to_html, to_pipe_text
from gongkai.auditor.models import AuditedReport

from .conftest import corpus_file, expected

pytestmark = pytest.mark.django_db

COMPARE = reverse("reports:compare")


def two_years(carried_forward: dict[str, int]) -> tuple[dict, dict]:
    later = expected("012-pingtan-gaj-2022")
    later.pop("about_this_file", None)
    earlier = copy.deepcopy(later)
    earlier["year"] = 2021
    earlier["applications"]["carried_forward"] = dict(carried_forward)
    return earlier, later


def upload(client, *files) -> list[AuditedReport]:
    client.post(reverse("reports:upload"), {"files": list(files)})
    return list(AuditedReport.objects.order_by("-pk")[: len(files)])[::-1]


def rendered(earlier: dict, later: dict):
    return (
        SimpleUploadedFile("pingtan-2021.html", to_html(earlier).encode("utf-8")),
        SimpleUploadedFile("pingtan-2022.txt", to_pipe_text(later).encode("utf-8")),
    )


def test_consecutive_years_that_carry_over_agree(clerk_client):
    earlier, later = two_years(expected("012-pingtan-gaj-2022")["applications"]["carried_over"])
    old, new = upload(clerk_client, *rendered(earlier, later))
    assert (old.year, new.year) == (2021, 2022) and old.agency == new.agency
    # Given in the wrong order, the earlier year is still on the left.
    page = clerk_client.get(COMPARE, {"a": new.pk, "b": old.pk}).content.decode()
    assert "2022年的“上年结转”与2021年的“结转下年度”逐列一致" in page
    assert page.index("2021年 · 平潭综合实验区公安局") < page.index("2022年 · 平潭综合实验区公安局")
    # The two years differ only in 结转下年度 (the rendered copy kept everything else).
    differing = re.findall(r'<td id="b-([^"]+)" class="num flag-diff"', page)
    assert differing and all(p.startswith("applications.carried_forward.") for p in differing)
    assert not any("cross_year.carry" in f["rule"] for f in new.document["findings"])


def test_consecutive_years_that_disagree_show_the_carry_finding(clerk_client):
    earlier, later = two_years(
        {
            "natural_person": 3,
            "commercial": 0,
            "research": 0,
            "social_welfare": 0,
            "legal_service": 0,
            "other_org": 0,
            "total": 3,
        }
    )
    old, new = upload(clerk_client, *rendered(earlier, later))
    page = clerk_client.get(COMPARE, {"a": old.pk, "b": new.pk}).content.decode()
    assert page.count('class="finding finding-warning"') == 2  # 自然人 and 总计 columns
    assert "本年上年结转(1) ≠ 2021年度报告结转下年度(3)" in page
    cell = re.search(r'<td id="b-applications\.carried_over\.total"[^>]*>(.*?)</td>', page)
    assert "flag-warning" in cell.group(0) and "！" in cell.group(1)
    # Uploaded together, the later report carries the same finding (as `gongkai audit` does).
    new.refresh_from_db()
    carry = [f for f in new.document["findings"] if f["rule"] == "cross_year.carry"]
    assert [f["cells"] for f in carry] == [
        ["applications.carried_over.natural_person"],
        ["applications.carried_over.total"],
    ]
    assert new.warning_count >= 2


def test_years_that_are_not_consecutive_are_compared_without_the_carry_check(clerk_client):
    old, new = upload(
        clerk_client,
        corpus_file("011-pingtan-gaj-2019.txt"),
        corpus_file("012-pingtan-gaj-2022.txt"),
    )
    page = clerk_client.get(COMPARE, {"a": old.pk, "b": new.pk}).content.decode()
    assert "两份报告不是相邻年度（2019年、2022年），不检查上年结转" in page
    # Table 三's rows are the same in both formats: new_received differs cell by cell.
    before = old.document["applications"]["new_received"]["total"]
    after = new.document["applications"]["new_received"]["total"]
    assert before != after
    assert re.search(r'<td id="b-applications\.new_received\.total" class="num flag-diff"', page)


def test_the_compare_page_offers_only_visible_reports(clerk_client, other_clerk, client):
    mine = upload(clerk_client, corpus_file("011-pingtan-gaj-2019.txt"))[0]
    client.force_login(other_clerk)
    page = client.get(COMPARE).content.decode()
    assert f'value="{mine.pk}"' not in page
    assert client.get(COMPARE, {"a": mine.pk, "b": mine.pk}).status_code == 404


def test_two_reports_ticked_in_the_list_are_compared(clerk_client):
    old, new = upload(
        clerk_client,
        corpus_file("011-pingtan-gaj-2019.txt"),
        corpus_file("012-pingtan-gaj-2022.txt"),
    )
    page = clerk_client.get(COMPARE, {"ids": [old.pk, new.pk]}).content.decode()
    assert "不检查上年结转" in page and 'class="side-by-side"' in page
    page = clerk_client.get(COMPARE, {"ids": [old.pk]}).content.decode()
    assert "请勾选两份报告进行对比" in page and 'class="side-by-side"' not in page
