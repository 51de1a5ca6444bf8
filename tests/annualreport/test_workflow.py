"""draft → checked → approved → published, each step audited; publishing freezes the figures;
a correction is a new version with its reason; errors block, warnings need a note."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.annualreport import services
from gongkai.annualreport.engine import Subject
from gongkai.annualreport.models import AnnualReport
from tests.annualreport.conftest import make_application

YEAR = 2022


@pytest.fixture
def report(office, clerk, sources):
    make_application(
        office,
        received_on=date(YEAR, 3, 1),
        closed_on=date(YEAR, 3, 20),
        disposition="granted",
        due_on=date(YEAR, 3, 29),
    )
    return services.start_report(actor=clerk, subject=Subject.of(office), year=YEAR)


def actions(report):
    return [entry.action for entry in report.events]


def test_the_whole_way_with_audit_rows(report, clerk, approver, office):
    assert report.state == "draft" and report.version == 1
    assert "共收到政府信息公开申请1件" in report.sections["overview"]
    stops = services.STEPS.run("check", actor=clerk, record=report)
    report.refresh_from_db()
    assert stops == [] and report.state == "checked", report.findings
    services.STEPS.run("approve", actor=approver, record=report)
    services.STEPS.run("publish", actor=approver, record=report)
    report.refresh_from_db()
    assert report.state == "published" and report.published_at is not None
    assert report.document["applications"]["granted"]["natural_person"] == 1
    assert actions(report) == ["create", "check", "approve", "publish"]

    # A later record does not change the published report.
    make_application(office, received_on=date(YEAR, 6, 1))
    report.refresh_from_db()
    assert report.document["applications"]["new_received"]["total"] == 1

    # A correction: a new version with its reason; the old one kept.
    with pytest.raises(ValidationError):
        services.correct_report(actor=clerk, report=report, reason="  ")
    new = services.correct_report(actor=clerk, report=report, reason="补登6月收到的申请")
    assert (new.version, new.state, new.reason) == (2, "draft", "补登6月收到的申请")
    with pytest.raises(ValidationError, match="未发布的更正版本"):
        services.correct_report(actor=clerk, report=report, reason="再次更正")
    new.sections = {
        **new.sections,
        "overview": new.sections["overview"].replace("申请1件", "申请2件"),
    }
    new.save()
    services.STEPS.run("check", actor=clerk, record=new)
    services.STEPS.run("approve", actor=approver, record=new)
    services.STEPS.run("publish", actor=approver, record=new)
    new.refresh_from_db()
    report.refresh_from_db()
    assert new.document["applications"]["new_received"]["total"] == 2
    assert report.document["applications"]["new_received"]["total"] == 1
    assert AnnualReport.objects.filter(year=YEAR, state="published").count() == 2
    assert actions(new)[0] == "correct"


def test_only_an_approver_approves_and_publishes(report, clerk, approver, police):
    from gongkai.testing import factories as f

    services.STEPS.run("check", actor=clerk, record=report)
    with pytest.raises(PermissionDenied):
        services.STEPS.run("approve", actor=clerk, record=report)
    outsider = f.staff("outsider", police, "approver")
    with pytest.raises(PermissionDenied):
        services.STEPS.run("approve", actor=outsider, record=report)
    with pytest.raises(ValidationError, match="不能发布"):
        services.STEPS.run("publish", actor=approver, record=report)  # not approved yet
    report.refresh_from_db()
    assert report.state == "checked"


def test_an_error_keeps_it_a_draft_and_blocks_publishing(report, clerk, approver, sources):
    sources["table_four"]["review"]["total"] = 3  # 0+0+0+0 ≠ 3: t4.total
    stops = services.STEPS.run("check", actor=clerk, record=report)
    report.refresh_from_db()
    assert report.state == "draft"
    # The table does not add up, and the draft's 「没有…行政复议」 no longer agrees with it.
    assert [f["rule"] for f in stops] == ["t4.total", "narrative.mismatch"]
    # Fixed at the source: it passes.
    sources["table_four"]["review"]["total"] = 0
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    # Broken again before publishing: publishing recomputes and refuses, nothing changes.
    sources["table_four"]["review"]["upheld"] = 1
    with pytest.raises(ValidationError, match="不能发布"):
        services.STEPS.run("publish", actor=approver, record=report)
    report.refresh_from_db()
    assert report.state == "approved" and report.document is None


def test_a_warning_needs_a_note(report, clerk, sources):
    sources["table_two"]["2021"]["行政许可"]["本年处理决定数量"] = None  # cell.blank (warning)
    stops = services.STEPS.run("check", actor=clerk, record=report)
    report.refresh_from_db()
    assert [f["rule"] for f in stops] == ["cell.blank"] and report.state == "draft"
    key = services.finding_key(stops[0])
    services.STEPS.run("check", actor=clerk, record=report, notes={key: "本年无行政许可事项"})
    report.refresh_from_db()
    assert report.state == "checked"
    assert report.acknowledgements[key] == "本年无行政许可事项"


def test_a_figure_in_the_text_that_disagrees_blocks(report, clerk, approver, sources):
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("approve", actor=approver, record=report)
    sources["publications"]["items_published"] = 4000  # the records now say 4000, text 4891
    with pytest.raises(ValidationError, match="主动公开政府信息条数应为4000条"):
        services.STEPS.run("publish", actor=approver, record=report)


def test_a_table_figure_the_text_gets_wrong_blocks_publishing(report, clerk, approver):
    # narrative.mismatch is a warning in the spec; on publish it blocks even when acknowledged.
    text = report.sections["overview"].replace(
        "共收到政府信息公开申请1件", "共收到政府信息公开申请7件"
    )
    services.STEPS.run("edit", actor=clerk, record=report, sections={"overview": text})
    stops = services.STEPS.run("check", actor=clerk, record=report)
    assert [f["rule"] for f in stops] == ["narrative.mismatch"]
    key = services.finding_key(stops[0])
    services.STEPS.run("check", actor=clerk, record=report, notes={key: "已知"})
    services.STEPS.run("approve", actor=approver, record=report)
    with pytest.raises(ValidationError, match="正文「"):
        services.STEPS.run("publish", actor=approver, record=report)


def test_placeholders_block_until_filled(office, clerk, no_sources):
    report = services.start_report(actor=clerk, subject=Subject.of(office), year=YEAR)
    stops = services.STEPS.run("check", actor=clerk, record=report)
    assert {f["rule"] for f in stops} == {"source.missing", "narrative.placeholder"}


def test_editing_puts_it_back_to_draft_and_rejects_unknown_parts(report, clerk):
    services.STEPS.run("check", actor=clerk, record=report)
    services.STEPS.run("edit", actor=clerk, record=report, sections={"problems": "人员不足。"})
    report.refresh_from_db()
    assert report.state == "draft" and report.sections["problems"] == "人员不足。"
    with pytest.raises(ValidationError, match="未知的报告部分"):
        services.STEPS.run("edit", actor=clerk, record=report, sections={"bogus": "x"})


def test_only_the_agencys_staff_start_a_report(office, police, sources):
    from gongkai.testing import factories as f

    stranger = f.staff("stranger", police, "clerk")
    with pytest.raises(PermissionDenied):
        services.start_report(actor=stranger, subject=Subject.of(office), year=YEAR)
    assert not AnnualReport.objects.exists()


def test_a_unit_without_agencies_is_a_message(db, clerk):
    from gongkai.agencies.models import ReportingUnit

    unit = ReportingUnit.objects.create(name="空主体", slug="empty")
    with pytest.raises(ValidationError, match="不包含任何机关"):
        services.start_report(actor=clerk, subject=Subject.of(unit), year=YEAR)
