"""One language at a time in the auditor: upload, list, batch, a report and the comparison,
rendered in Chinese and in English, keep to the page's language (tests/one_language.py).

What a report says is data: its agency, file name, text and table labels, and the findings'
messages (stored in the JSON document, written in Chinese by the checks of
docs/spec/annual-report-json.md) are marked ``lang="zh-Hans"`` on an English page, or removed
here as data; the interface around them — headings, buttons, the names of the rules and
severities — is translated.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.auditor.models import AuditBatch, AuditedReport
from gongkai.auditor.presenting import RULE_LABELS
from tests.one_language import foreign_words, visible_text

from .conftest import corpus_file
from .test_labels_not_ids import RULE_ID

pytestmark = pytest.mark.django_db


def report_data() -> list[str]:
    from gongkai.accounts.models import User

    values: list[str] = [str(u) for u in User.objects.all()]
    for r in AuditedReport.objects.all():
        values += [r.original_name, r.agency or "", str(r)]
    return values


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_of_the_auditor_keeps_to_one_language(clerk_client, language):
    clerk_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    files = [corpus_file("004-hongze-2023.pdf"), corpus_file("012-pingtan-gaj-2022.txt")]
    response = clerk_client.post(reverse("reports:upload"), {"files": files}, follow=True)
    assert response.status_code == 200
    reports = list(AuditedReport.objects.order_by("pk"))
    assert [r.status for r in reports] == [AuditedReport.Status.READ] * 2
    assert any((r.document or {}).get("findings") for r in reports)
    batch = AuditBatch.objects.get()
    pages = [
        response.content.decode(),
        clerk_client.get(reverse("reports:upload")).content.decode(),
        clerk_client.get(reverse("reports:list")).content.decode(),
        clerk_client.get(reverse("reports:batch", args=[batch.pk])).content.decode(),
        clerk_client.get(
            reverse("reports:compare"), {"a": reports[1].pk, "b": reports[0].pk}
        ).content.decode(),
    ]
    pages += [
        clerk_client.get(reverse("reports:detail", args=[r.pk])).content.decode() for r in reports
    ]
    for html in pages:
        lang, _ = visible_text(html)
        assert lang == ("en" if language == "en" else "zh-Hans")
        found = foreign_words(html, report_data())
        assert found == [], found
        assert not RULE_ID.search(visible_text(html)[1])  # rules by name, never by id
    detail = pages[-1] if "finding-1" in pages[-1] else pages[-2]
    if language == "en":
        assert "Problems found" in detail and "Export to Excel" in detail
        assert any(
            label in detail
            for label in ("Table 4: the results do not add up to the total", "Blank cells")
        )
    else:
        assert "发现的问题" in detail
        assert any(label in detail for label in RULE_LABELS.values())


def test_an_unreadable_report_says_so_in_the_readers_language(clerk_client, monkeypatch):
    from gongkai.auditor import services

    def broken(path, limits):
        raise RuntimeError("pdfminer.psparser.PSEOF: Unexpected EOF at 0x7f")

    monkeypatch.setattr(services, "read_file_bounded", broken)
    clerk_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    clerk_client.post(
        reverse("reports:upload"), {"files": [corpus_file("011-pingtan-gaj-2019.txt")]}
    )
    report = AuditedReport.objects.get()
    html = clerk_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Could not be read" in html and "PSEOF" not in html and "无法读取" not in html
    assert foreign_words(html, report_data()) == []
