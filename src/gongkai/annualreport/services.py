"""The report's workflow: draft → checked → approved → published, each a Step with an audit row.

- :func:`start_report` makes the draft, its 总体情况 written from the records' figures.
- ``edit`` (:class:`Edit`) changes the texts; the report goes back to draft.
- ``check`` (:class:`Check`) computes the report, runs every check and stores the findings; it
  becomes *checked* only with no error and every warning acknowledged with a note.
- ``approve`` (:class:`Approve`): the approver (公开工作机构负责人 or 机关负责人) signs it off.
- ``publish`` (:class:`Publish`) computes it once more, refuses on any error, unacknowledged
  warning or figure in the text that disagrees with the records (``narrative.mismatch`` too),
  and freezes the document: later edits of records never change a published report.
- :func:`correct_report` starts the next version of a published report, with its reason; the
  published one is kept and stays public until the correction is published.
- :func:`record_read_report` keeps the published report of an agency without records here, read
  by the auditor (``gongkai.annual.parse``), marked as read, not computed.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.annual.checks import NARRATIVE_MISMATCH
from gongkai.annual.engine import SECTION_KEYS
from gongkai.annualreport.engine import Subject, compute
from gongkai.annualreport.models import AnnualReport
from gongkai.auditlog.services import record as audit
from gongkai.records.steps import Step, StepTable

__all__ = [
    "STEPS",
    "Approve",
    "Check",
    "Edit",
    "Publish",
    "blocking",
    "correct_report",
    "finding_key",
    "record_read_report",
    "start_report",
    "subject_of",
]

STEPS = StepTable()
MAX_SECTION = 50_000


def subject_of(report: AnnualReport) -> Subject:
    return Subject.of(report.unit if report.unit_id else report.agency)


def _any(rule, actor, report: AnnualReport) -> bool:
    return any(rule(actor, agency_id) for agency_id in subject_of(report).agency_ids)


def finding_key(finding: dict[str, Any]) -> str:
    """A stable key of a finding, for its acknowledgement (changes when its numbers change)."""
    raw = "\n".join([finding["rule"], finding["message"], *finding.get("cells", [])])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def blocking(findings: list[dict[str, Any]], acknowledgements: dict[str, str], *, publish: bool):
    """Return the findings that stop the report: errors, warnings without a note, and on
    publish a figure of the text that disagrees with the tables."""
    out = []
    for f in findings:
        if (
            f["severity"] == "error"
            or (publish and f["rule"] == NARRATIVE_MISMATCH)
            or not (acknowledgements.get(finding_key(f)) or "").strip()
        ):
            out.append(f)
    return out


def _clean_sections(sections: dict[str, Any]) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_KEYS)
    if unknown:
        raise ValidationError(f"未知的报告部分 {sorted(unknown)} / unknown sections")
    out = {}
    for key in SECTION_KEYS:
        text = sections.get(key, "") or ""
        if not isinstance(text, str):
            raise ValidationError(f"{key} 须为文字 / must be text")
        if len(text) > MAX_SECTION:
            raise ValidationError(
                f"正文过长（超过{MAX_SECTION}字） / a section is longer than {MAX_SECTION} characters"
            )
        out[key] = text.replace("\r\n", "\n").strip()
    return out


def start_report(*, actor, subject: Subject, year: int) -> AnnualReport:
    """Return the subject's newest report for ``year``, making a draft if there is none."""
    if not subject.agency_ids:
        raise ValidationError(f"年报主体「{subject.name}」不包含任何机关 / the unit has no agency")
    if not any(rules.can_handle(actor, agency_id) for agency_id in subject.agency_ids):
        raise PermissionDenied("只有本机关的工作人员可以编写年报 / only the agency's staff may")
    if not 2019 <= year <= timezone.localdate().year:
        raise ValidationError(f"年度应在2019年至今年之间，而不是{year} / year out of range")
    with transaction.atomic():
        existing = _versions(subject, year).select_for_update().order_by("-version").first()
        if existing is not None:
            return existing
        computed = compute(subject, year)
        report = AnnualReport.objects.create(
            agency_id=subject.owner_id,
            unit=subject.unit,
            year=year,
            sections=computed.document["sections"],
            findings=computed.findings,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="create",
            obj=report,
            label="起草年度报告",
            data={"year": year, "missing_sources": computed.missing},
        )
    return report


def _versions(subject: Subject, year: int):
    if subject.unit is not None:
        return AnnualReport.objects.filter(unit=subject.unit, year=year)
    return AnnualReport.objects.filter(agency_id=subject.owner_id, unit=None, year=year)


class _ReportStep(Step):
    #: A permission rule of gongkai.accounts.rules, asked for each agency of the subject.
    rule = staticmethod(rules.can_handle)
    from_states: tuple[str, ...] = ()

    def check(self) -> None:
        if not _any(self.rule, self.actor, self.record):
            raise PermissionDenied(self.denied)

    def prepare(self) -> None:
        if self.record.origin != AnnualReport.Origin.COMPUTED:
            raise ValidationError("读取的报告不能修改 / a report read from a file cannot change")

    def lock(self):
        """Re-read under the lock and check the state there (a page may show an old state)."""
        record = super().lock()
        if self.from_states and record.state not in self.from_states:
            raise ValidationError(
                f"报告当前为「{record.get_state_display()}」，不能{self.label} / "
                f"not possible in state {record.state}"
            )
        return record


@STEPS.add
class Edit(_ReportStep):
    """Change the texts (一、五、六); the report goes back to draft."""

    action = "edit"
    label = "修改正文"
    fields = ("state",)
    from_states = (
        AnnualReport.State.DRAFT,
        AnnualReport.State.CHECKED,
        AnnualReport.State.APPROVED,
    )

    def prepare(self) -> None:
        super().prepare()
        self.sections = _clean_sections(self.params.get("sections") or {})

    def apply(self, report):
        changed = [k for k in SECTION_KEYS if report.sections.get(k, "") != self.sections[k]]
        self.data = {"changed": changed}
        report.sections = self.sections
        report.state = AnnualReport.State.DRAFT
        report.save(update_fields=["sections", "state"])


@STEPS.add
class Check(_ReportStep):
    """Compute and check; *checked* when nothing blocks it. Params: ``notes`` (key → note)."""

    action = "check"
    label = "审核"
    fields = ("state",)
    from_states = (AnnualReport.State.DRAFT, AnnualReport.State.CHECKED)

    def prepare(self) -> None:
        super().prepare()
        notes = self.params.get("notes") or {}
        self.notes = {str(k): str(v).strip()[:500] for k, v in notes.items() if str(v).strip()}

    def apply(self, report):
        computed = compute(subject_of(report), report.year, sections=report.sections)
        report.findings = computed.findings
        acks = dict(report.acknowledgements)
        acks.update(self.notes)
        report.acknowledgements = acks
        stops = blocking(report.findings, acks, publish=False)
        report.state = AnnualReport.State.DRAFT if stops else AnnualReport.State.CHECKED
        report.checked_at = timezone.now()
        report.save(update_fields=["findings", "acknowledgements", "state", "checked_at"])
        self.data = {
            "errors": sum(f["severity"] == "error" for f in report.findings),
            "warnings": sum(f["severity"] == "warning" for f in report.findings),
            "blocking": len(stops),
            "acknowledged": sorted(self.notes),
        }
        return stops


@STEPS.add
class Approve(_ReportStep):
    action = "approve"
    label = "批准"
    rule = staticmethod(rules.can_approve)
    denied = "只有公开工作机构负责人或机关负责人可以批准 / only an approver may approve"
    fields = ("state",)
    from_states = (AnnualReport.State.CHECKED,)

    def apply(self, report):
        report.state = AnnualReport.State.APPROVED
        report.save(update_fields=["state"])


@STEPS.add
class Publish(_ReportStep):
    """Compute once more, refuse if anything blocks, and freeze the document."""

    action = "publish"
    label = "发布"
    rule = staticmethod(rules.can_approve)
    denied = "只有公开工作机构负责人或机关负责人可以发布 / only an approver may publish"
    fields = ("state",)
    from_states = (AnnualReport.State.APPROVED,)

    def apply(self, report):
        computed = compute(subject_of(report), report.year, sections=report.sections)
        stops = blocking(computed.findings, report.acknowledgements, publish=True)
        if stops:
            lines = "；".join(f["message"] for f in stops[:5])
            raise ValidationError(
                f"有{len(stops)}个问题未解决，不能发布：{lines} / "
                f"{len(stops)} finding(s) block publishing"
            )
        report.document = computed.document
        report.findings = computed.findings
        report.state = AnnualReport.State.PUBLISHED
        report.published_at = timezone.now()
        report.save(update_fields=["document", "findings", "state", "published_at"])
        self.data = {"version": report.version, "findings": len(computed.findings)}


def correct_report(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    """Start the next version of a published report; ``reason`` says what it corrects."""
    reason = (reason or "").strip()
    if not _any(rules.can_handle, actor, report):
        raise PermissionDenied("只有本机关的工作人员可以更正年报 / only the agency's staff may")
    if not reason:
        raise ValidationError("请填写更正理由 / give the reason for the correction")
    with transaction.atomic():
        subject = subject_of(report)
        versions = _versions(subject, report.year).select_for_update()
        newest = versions.aggregate(n=Max("version"))["n"] or 0
        if versions.filter(version=newest).exclude(state=AnnualReport.State.PUBLISHED).exists():
            raise ValidationError("已有一份未发布的更正版本 / a correction is already in progress")
        if report.state != AnnualReport.State.PUBLISHED:
            raise ValidationError("只能更正已发布的报告 / only a published report is corrected")
        new = AnnualReport.objects.create(
            agency_id=report.agency_id,
            unit=report.unit,
            year=report.year,
            version=newest + 1,
            sections=dict(report.sections),
            reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        audit(
            actor=actor,
            action="correct",
            obj=new,
            label="更正年度报告",
            data={"corrects": report.pk, "version": new.version},
            note=reason,
        )
    return new


def record_read_report(
    *, actor, agency: Agency, year: int, name: str, content: bytes, source: str = ""
) -> AnnualReport:
    """Keep the published report file of an agency without records here, read by the auditor.

    The supervisor of the agency (or its own staff) may do it. The document the auditor read
    stands in for the computed one in the supervisor's roll-up, marked as read.
    """
    from gongkai.annual.parse import KNOWN_SUFFIXES, ReportUnreadable, parse_path

    if not (rules.can_supervise(actor, agency) or rules.can_handle(actor, agency)):
        raise PermissionDenied("只有上级政务公开办或本机关可以登记 / only its supervisor may")
    suffix = Path(name).suffix.lower()
    if suffix not in KNOWN_SUFFIXES:
        raise ValidationError(
            f"不支持的文件类型「{suffix}」（可用 {'、'.join(sorted(KNOWN_SUFFIXES))}） / "
            "unsupported file type"
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"report{suffix}"
        path.write_bytes(content)
        try:
            document = parse_path(path)
        except ReportUnreadable as error:
            raise ValidationError(f"无法读取该报告：{error} / the report cannot be read") from None
    if source:
        document["source"] = source
    if document.get("year") not in (None, year):
        raise ValidationError(
            f"文件是{document.get('year')}年度的报告，不是{year}年度 / the file is for another year"
        )
    with transaction.atomic():
        newest = (
            AnnualReport.objects.select_for_update()
            .filter(agency=agency, unit=None, year=year)
            .aggregate(n=Max("version"))["n"]
            or 0
        )
        report = AnnualReport(
            agency=agency,
            year=year,
            version=newest + 1,
            state=AnnualReport.State.PUBLISHED,
            origin=AnnualReport.Origin.READ,
            sections=document.get("sections") or {},
            findings=document.get("findings") or [],
            document=document,
            published_at=timezone.now(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        report.file.save(Path(name).name, ContentFile(content), save=False)
        report.save()
        audit(
            actor=actor,
            action="read_report",
            obj=report,
            label="登记已公开的年度报告（读取）",
            data={"file": Path(name).name, "source": source, "findings": len(report.findings)},
        )
    return report
