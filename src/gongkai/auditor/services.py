"""Uploading and reading published annual reports (the auditor in the back office).

Every change goes through here: views, tasks and tests call the same functions. Reading uses
the pure core (:mod:`gongkai.annual.parse`, the same checks as the report engine); a batch of
more than :data:`INLINE_LIMIT` files is read by a django-tasks task so the upload returns at once.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from gongkai.accounts.rules import can_audit
from gongkai.annual.checks import CROSS_YEAR_CARRY
from gongkai.annual.pairing import carry_findings, previous_year_index
from gongkai.annual.parse import ReportUnreadable, finish
from gongkai.annual.parse.bounded import Limits, read_file_bounded
from gongkai.annual.parse.fetch import FetchError, fetch, is_url
from gongkai.auditor.models import AuditBatch, AuditedReport

#: What the reader understands (one file = one report).
ALLOWED_SUFFIXES = (".html", ".htm", ".txt", ".md", ".docx", ".pdf")
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Batches up to this many files are read during the request; bigger ones by a task.
INLINE_LIMIT = 5
PASTE_NAME = "粘贴的文本"


@dataclass
class UploadOutcome:
    """What became of an upload: the batch (None when nothing was accepted) and refusals."""

    batch: AuditBatch | None
    refused: list[str] = field(default_factory=list)
    queued: bool = False


def refusal(name: str, size: int) -> str | None:
    """Return why a file is refused (Chinese / English), or None when it is accepted."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        kinds = "、".join(ALLOWED_SUFFIXES)
        return f"{name}：不支持的文件类型，仅接收 {kinds} / unsupported file type"
    if size > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        return f"{name}：文件超过 {megabytes} MB / file larger than {megabytes} MB"
    if size == 0:
        return f"{name}：文件为空 / the file is empty"
    return None


def upload_reports(
    *,
    actor,
    files: Iterable[File] = (),
    urls: Iterable[str] = (),
    text: str = "",
    text_name: str = "",
    label: str = "",
) -> UploadOutcome:
    """Store the accepted files (and pasted text, and the reports fetched from ``urls``) as one
    batch, then read them.

    An address is fetched before anything is saved (:func:`gongkai.annual.parse.fetch.fetch`:
    time and size limits); its copy is stored like an upload, named by the address, which
    becomes the document's ``source``. Refused files and addresses that could not be fetched
    are listed in the outcome and the batch; the others are still processed.
    Up to :data:`INLINE_LIMIT` files are read now, more by the ``audit_uploaded_batch`` task.
    """
    if not can_audit(actor):
        raise PermissionDenied("只有工作人员可以审核年报 / only staff may audit reports")
    accepted: list[tuple[str, File]] = []
    refused: list[str] = []
    for upload in files:
        name = PurePath(upload.name or "").name or "未命名"
        reason = refusal(name, upload.size)
        if reason:
            refused.append(reason)
        else:
            accepted.append((name, upload))
    for url in urls:
        try:
            fetched = fetch(url, max_bytes=MAX_FILE_BYTES)
        except FetchError as error:
            refused.append(str(error))
            continue
        accepted.append((url[:255], ContentFile(fetched.data, name=fetched.file_name)))
    if text.strip():
        name = (text_name.strip() or PASTE_NAME)[:200]
        head = text[:200000].lower()
        suffix = ".html" if "<table" in head or "<html" in head else ".txt"
        accepted.append((name, ContentFile(text.encode("utf-8"), name=f"paste{suffix}")))
    if not accepted:
        return UploadOutcome(None, refused)
    written: list[AuditedReport] = []
    try:
        with transaction.atomic():
            batch = AuditBatch.objects.create(uploaded_by=actor, label=label, refused=refused)
            for name, upload in accepted:
                written.append(_store(batch, actor, name, upload))
    except BaseException:
        for report in written:  # nothing half-saved: the files go with the rows
            report.file.delete(save=False)
        raise
    return UploadOutcome(batch, refused, _audit_now_or_queue(batch, len(written)))


def reread_batch(*, actor, batch: AuditBatch) -> bool:
    """Read every file of ``batch`` again (after the reader improved); return whether queued.

    The caller has checked that ``actor`` may see the batch.
    """
    if not can_audit(actor):
        raise PermissionDenied("只有工作人员可以审核年报 / only staff may audit reports")
    with transaction.atomic():
        count = batch.reports.update(status=AuditedReport.Status.PENDING)
    return _audit_now_or_queue(batch, count)


def _audit_now_or_queue(batch: AuditBatch, count: int) -> bool:
    """Read the batch's ``count`` pending files now, or queue the task when there are more than
    :data:`INLINE_LIMIT`; return whether queued."""
    if count > INLINE_LIMIT:
        from gongkai.auditor.tasks import audit_uploaded_batch

        audit_uploaded_batch.enqueue(batch.pk)
        return True
    audit_batch(batch_id=batch.pk)
    return False


def _store(batch: AuditBatch, actor, name: str, upload: File) -> AuditedReport:
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    sha = digest.hexdigest()
    earlier = (
        AuditedReport.objects.filter(uploaded_by=actor, sha256=sha)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    suffix = PurePath(upload.name or name).suffix.lower() or PurePath(name).suffix.lower()
    report = AuditedReport(
        batch=batch,
        uploaded_by=actor,
        original_name=name,
        size=size,
        sha256=sha,
        duplicate_of_id=earlier,
    )
    report.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
    report.save()
    return report


def limits() -> Limits:
    """The reader's limits per file, from settings (README.md: GONGKAI_AUDIT_*)."""
    return Limits(
        seconds=float(settings.GONGKAI_AUDIT_SECONDS),
        memory_bytes=settings.GONGKAI_AUDIT_MEMORY_MB * 1024 * 1024,
        max_pages=settings.GONGKAI_AUDIT_MAX_PAGES,
    )


def parse_report(report: AuditedReport) -> tuple[dict | None, str]:
    """Read and check one stored report in a bounded worker process (no transaction may be
    open: a parse never holds the database's write lock); return (document, "") or
    (None, why it was refused or unreadable)."""
    stored = PurePath(report.file.name).name
    try:
        parsed = read_file_bounded(report.file.path, limits())
        doc = finish(parsed)
    except ReportUnreadable as error:  # ReportRefused too: over a limit
        return None, str(error).replace(stored, report.original_name)
    except Exception as error:  # a reader bug must not sink the batch; say so and go on
        return None, (
            f"{report.original_name}：读取失败 / failed to read: {type(error).__name__}: {error}"
        )
    if is_url(report.original_name):
        doc["source"] = report.original_name
    return doc, ""


def save_reading(report: AuditedReport, doc: dict | None, reason: str) -> AuditedReport:
    """Save what :func:`parse_report` found (inside a short transaction)."""
    if doc is None:
        _mark_unreadable(report, reason)
        return report
    report.document = doc
    report.agency = (doc.get("agency") or "")[:200]
    report.year = doc.get("year") if isinstance(doc.get("year"), int) else None
    report.format = doc.get("format") or ""
    _count(report)
    report.status = AuditedReport.Status.READ
    report.reason = ""
    report.audited_at = timezone.now()
    report.save()
    return report


def read_report(report: AuditedReport) -> AuditedReport:
    """Read and check one stored report and save the document, counts and status."""
    doc, reason = parse_report(report)
    with transaction.atomic():
        return save_reading(report, doc, reason)


def _mark_unreadable(report: AuditedReport, reason: str) -> None:
    report.status = AuditedReport.Status.UNREADABLE
    report.reason = reason
    report.document = None
    report.error_count = report.warning_count = 0
    report.audited_at = timezone.now()
    report.save()


def _count(report: AuditedReport) -> None:
    findings = (report.document or {}).get("findings") or []
    report.error_count = sum(1 for f in findings if f.get("severity") == "error")
    report.warning_count = sum(1 for f in findings if f.get("severity") == "warning")


def audit_batch(*, batch_id: int) -> int:
    """Read every pending report of the batch, then check carry-over between its years.

    Each report is saved on its own, so a batch interrupted half-way can be run again.
    Return the number of reports read now.
    """
    pending = AuditedReport.objects.filter(
        batch_id=batch_id, status=AuditedReport.Status.PENDING
    ).order_by("pk")
    count = 0
    for report in pending:
        read_report(report)  # the parse outside any transaction, the save in a short one
        count += 1
    with transaction.atomic():
        check_carry_in_batch(batch_id=batch_id)
    return count


def check_carry_in_batch(*, batch_id: int) -> None:
    """Add ``cross_year.carry`` findings where the batch holds consecutive years of one agency
    (as ``gongkai audit`` does for its inputs)."""
    reports = list(
        AuditedReport.objects.select_for_update()
        .filter(batch_id=batch_id, status=AuditedReport.Status.READ)
        .order_by("pk")
    )
    docs = [r.document for r in reports]
    for report in reports:
        kept = [f for f in report.document.get("findings", []) if f["rule"] != CROSS_YEAR_CARRY]
        report.document["findings"] = kept
    for i, j in previous_year_index(docs).items():
        found = carry_findings(docs[i], docs[j])
        docs[i]["findings"] += [f.to_dict() for f in found]
    for report in reports:
        _count(report)
        report.save(update_fields=["document", "error_count", "warning_count"])
