"""Moving an existing site's publications in and out: XLSX/CSV metadata, an optional ZIP of
bodies and attachments, and an export in the same layout.

Every row is checked before anything is written; one bad row refuses the whole file with its
row number, column and reason (Chinese first), and nothing of it is saved. A dry run checks
and reports without saving. Imported items are published items of the old site: they keep
their 索引号 (or get one), their 发布日期 and placements, 主动公开 unless a row says otherwise,
and each gets an audit row 「导入」 naming the file.

Columns (the header row; order free, unknown columns refused): see :data:`COLUMNS`.
``发布渠道`` holds placements separated by ``;``, each ``渠道|栏目|日期`` (渠道 by code or name,
栏目 may be empty, 日期 defaults to the 发布日期). ``联合发文机关`` and ``附件`` are separated by
``;`` too; ``正文文件`` and ``附件`` name files inside the ZIP.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.publications.attachments import add_attachments, check_attachments
from gongkai.publications.models import Attribute, Channel, Placement, Publication, State
from gongkai.publications.services import lateness, take_index_number
from gongkai.publications.validation import (
    EDITABLE,
    agencies_by_slug,
    check_consistency,
    clean_fields,
    clean_placements,
    parse_date,
)
from gongkai.records.files import delete_files_on_error
from gongkai.search import index as search_index

__all__ = ["COLUMNS", "ImportReport", "export_rows", "import_file", "write_csv", "write_xlsx"]

#: (header, key) in export order; the import accepts the same headers.
COLUMNS: list[tuple[str, str]] = [
    ("索引号", "index_number"),
    ("标题", "title"),
    ("发布机关", "agency"),
    ("类型", "kind"),
    ("发文字号", "doc_number"),
    ("联合发文机关", "co_issuers"),
    ("成文日期", "written_on"),
    ("形成或变更日期", "formed_on"),
    ("发布日期", "published_on"),
    ("生效日期", "effective_on"),
    ("废止日期", "repealed_on"),
    ("失效日期", "expired_on"),
    ("效力", "validity"),
    ("主题分类", "topic"),
    ("公开目录", "category"),
    ("体裁", "genre"),
    ("关键词", "keywords"),
    ("公开属性", "attribute"),
    ("不公开理由", "attribute_reason"),
    ("解读形式", "interpretation_form"),
    ("发布渠道", "placements"),
    ("正文", "body"),
    ("正文文件", "body_file"),
    ("附件", "attachments"),
]
HEADERS = {header: key for header, key in COLUMNS}
LABELS = {key: header for header, key in COLUMNS}
MAX_ROWS = 50_000


class ImportRefused(ValidationError):
    """The file was refused; ``problems`` lists (row, column, reason)."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        lines = [
            f"第{row}行「{column}」：{reason}" if row else f"「{column}」：{reason}"
            for row, column, reason in problems[:200]
        ]
        if len(problems) > 200:
            lines.append(f"……另有{len(problems) - 200}处问题 / and {len(problems) - 200} more")
        super().__init__(lines)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    agencies: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        verb = "检查通过，未保存（试运行）" if self.dry_run else "已导入"
        english = "checked, nothing saved (dry run)" if self.dry_run else "imported"
        return f"{self.rows}行{verb} / {self.rows} rows {english}"


# --- reading --------------------------------------------------------------------------------


def _read_table(name: str, content: bytes) -> list[list[Any]]:
    if name.lower().endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ImportRefused(
                [(0, "文件", "无法读取的 XLSX 文件 / not a readable XLSX file")]
            ) from None
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise ImportRefused(
                [(0, "文件", "CSV 须为 UTF-8 或 GB18030 编码 / CSV must be UTF-8 or GB18030")]
            ) from None
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "hour") else value.isoformat()
    return str(value).strip()


class _ZipUpload(io.BytesIO):
    """A ZIP member that looks like an uploaded file to the attachment checks."""

    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(content)
        self.name = name.rsplit("/", 1)[-1]
        self.size = len(content)


def _zip_members(archive: bytes | None) -> dict[str, bytes]:
    if not archive:
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zf:
            members = {}
            for info in zf.infolist():
                if info.is_dir():
                    continue
                if info.file_size > 50 * 1024 * 1024:
                    raise ImportRefused([(0, "ZIP", f"{info.filename}：文件过大 / too large")])
                members[info.filename] = zf.read(info)
            return members
    except zipfile.BadZipFile:
        raise ImportRefused([(0, "ZIP", "无法读取的 ZIP 文件 / not a readable ZIP file")]) from None


# --- checking one row -----------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    agency: Agency
    values: dict[str, Any]
    co_issuers: list[Agency]
    placements: list[dict[str, Any]]
    attachments: list[Any]
    index_number: str


def _placements(text: str, published_on) -> list[dict[str, Any]]:
    rows = []
    for part in [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]:
        bits = [b.strip() for b in part.split("|")]
        bits += [""] * (3 - len(bits))
        rows.append({"channel": bits[0], "column": bits[1], "placed_on": bits[2] or published_on})
    return clean_placements(rows)


def _check_row(
    number: int,
    raw: dict[str, str],
    *,
    actor,
    members: dict[str, bytes],
    seen: set[str],
    seen_items: set[tuple],
) -> tuple[_Row | None, list[tuple[int, str, str]]]:
    problems: list[tuple[int, str, str]] = []

    def bad(key: str, message: str) -> None:
        problems.append((number, LABELS.get(key, key), message))

    def capture(key: str, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    bad(name if name in LABELS else key, message)
        else:
            for message in error.messages:
                bad(key, message)

    slug = raw.get("agency", "")
    agency = (
        Agency.objects.filter(slug=slug).first() or Agency.objects.filter(name=slug).first()
        if slug
        else None
    )
    if agency is None:
        bad("agency", f"没有标识或名称为「{slug[:40]}」的机关 / unknown agency")
    elif not (actor is rules.COMMAND_LINE or rules.can_draft_publication(actor, agency)):
        bad("agency", f"您无权为「{agency.name}」导入 / you may not import for this agency")
    fields = {k: raw[k] for k in raw if k in {f for f in EDITABLE} or k in ("kind",)}
    body_file = raw.get("body_file", "")
    if body_file:
        content = members.get(body_file)
        if content is None:
            bad("body_file", f"ZIP 中没有「{body_file[:60]}」 / not in the ZIP")
        else:
            try:
                fields["body"] = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                bad("body_file", "正文文件须为 UTF-8 编码 / the body file must be UTF-8")
    values: dict[str, Any] = {}
    try:
        values = clean_fields(fields)
        values.setdefault("kind", "information")
        values["attribute"] = values.get("attribute") or Attribute.PROACTIVE
        check_consistency(values)
    except ValidationError as error:
        capture("title", error)
    if values.get("attribute") not in (None, Attribute.PROACTIVE):
        bad("attribute", "只能导入已主动公开的信息 / only proactively published items are imported")
    published_on = None
    try:
        published_on = parse_date(raw.get("published_on"), "published_on", "发布日期")
    except ValidationError as error:
        capture("published_on", error)
    if published_on is None and "published_on" not in {p[1] for p in problems}:
        bad("published_on", "请填写发布日期 / the publication date is required")
    written = values.get("written_on")
    if published_on and written and published_on < written:
        bad("published_on", "发布日期不能早于成文日期 / cannot be before the date written")
    co_issuers: list[Agency] = []
    if raw.get("co_issuers"):
        try:
            names = raw["co_issuers"].replace("；", ";").split(";")
            co_issuers = agencies_by_slug(names)
        except ValidationError as error:
            capture("co_issuers", error)
    placements: list[dict[str, Any]] = []
    try:
        placements = _placements(raw.get("placements", ""), published_on)
    except ValidationError as error:
        capture("placements", error)
    if not placements and published_on:
        placements = [{"channel": Channel.WEBSITE, "column": "", "placed_on": published_on}]
    attachments = []
    for name in [n.strip() for n in raw.get("attachments", "").replace("；", ";").split(";")]:
        if not name:
            continue
        if name not in members:
            bad("attachments", f"ZIP 中没有「{name[:60]}」 / not in the ZIP")
            continue
        attachments.append(_ZipUpload(name, members[name]))
    checked = []
    if attachments:
        try:
            checked = check_attachments(attachments)
        except ValidationError as error:
            capture("attachments", error)
    index_number = raw.get("index_number", "")
    if index_number:
        if index_number in seen:
            bad("index_number", f"索引号「{index_number}」在文件中重复 / repeated in the file")
        elif Publication.objects.filter(index_number=index_number).exists():
            bad("index_number", f"索引号「{index_number}」已被使用 / already used")
        seen.add(index_number)
    key = (agency.pk if agency else None, values.get("title"), published_on)
    if agency is not None and values.get("title") and published_on:
        if key in seen_items:
            bad(
                "title",
                "与文件中前面的一行重复（机关、标题、发布日期相同） / repeats an earlier row",
            )
        elif Publication.objects.filter(
            agency=agency, title=values["title"], published_on=published_on
        ).exists():
            bad("title", "该信息已存在（机关、标题、发布日期相同） / already on the platform")
        seen_items.add(key)
    if problems or agency is None:
        return None, problems
    values["published_on"] = published_on
    return _Row(number, agency, values, co_issuers, placements, checked, index_number), []


# --- the import -----------------------------------------------------------------------------


def import_file(
    *,
    actor,
    name: str,
    content: bytes,
    archive: bytes | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import publications from an XLSX or CSV file (and a ZIP of bodies and attachments).

    Raise :class:`ImportRefused` listing every bad row (nothing saved); with ``dry_run``
    check everything and save nothing.
    """
    if not (actor is rules.COMMAND_LINE or rules.is_active_user(actor)):
        raise PermissionDenied("请先登录 / sign in first")
    table = _read_table(name, content)
    table = [row for row in table if any(_text(c) for c in row)]
    if not table:
        raise ImportRefused([(0, "文件", "文件是空的 / the file is empty")])
    header = [_text(c) for c in table[0]]
    unknown = [h for h in header if h and h not in HEADERS]
    if unknown:
        raise ImportRefused(
            [(1, h, "未知的列；列名见导出文件 / unknown column (see an export)") for h in unknown]
        )
    missing = [h for h in ("标题", "发布机关", "发布日期") if h not in header]
    if missing:
        raise ImportRefused(
            [(1, h, "缺少必需的列 / a required column is missing") for h in missing]
        )
    if len(table) - 1 > MAX_ROWS:
        raise ImportRefused([(0, "文件", f"一次最多导入{MAX_ROWS}行 / at most {MAX_ROWS} rows")])
    members = _zip_members(archive)
    problems: list[tuple[int, str, str]] = []
    checked: list[_Row] = []
    seen: set[str] = set()
    seen_items: set[tuple] = set()
    for number, cells in enumerate(table[1:], start=2):
        raw = {
            HEADERS[h]: _text(cells[i]) if i < len(cells) else "" for i, h in enumerate(header) if h
        }
        row, row_problems = _check_row(
            number, raw, actor=actor, members=members, seen=seen, seen_items=seen_items
        )
        problems += row_problems
        if row is not None:
            checked.append(row)
    if problems:
        raise ImportRefused(problems)
    report = ImportReport(rows=len(checked), dry_run=dry_run)
    for row in checked:
        report.agencies[row.agency.name] = report.agencies.get(row.agency.name, 0) + 1
    if dry_run:
        return report
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    imported: list[int] = []
    with delete_files_on_error(), transaction.atomic():
        for row in checked:
            item = Publication(
                agency=row.agency,
                state=State.PUBLISHED,
                created_by=user,
                secrecy_cleared_by=user,
                secrecy_cleared_at=now,
                attribute_decided_at=now,
                **row.values,
            )
            item.index_number = row.index_number or take_index_number(
                agency=row.agency, day=item.published_on
            )
            item.days_late = lateness(item, item.published_on)
            item.save()
            item.co_issuers.set(row.co_issuers)
            Placement.objects.bulk_create(
                Placement(publication=item, **placement) for placement in row.placements
            )
            names = add_attachments(item, row.attachments)
            audit(
                actor=actor,
                action="publication.import",
                obj=item,
                label="导入",
                after=snapshot(item, (*EDITABLE, "index_number", "published_on", "state")),
                data={"file": name[:200], "row": row.number, "attachments": names},
            )
            report.created += 1
            imported.append(item.pk)
        search_index.add_many(imported)
    return report


# --- the export -----------------------------------------------------------------------------

#: The export's columns not read from the publication's own row (filled in per chunk, or empty:
#: the export carries no files).
_GATHERED = ("co_issuers", "placements", "body_file", "attachments")
#: Columns read through a join: the code, not the row's id.
_JOINED = {"agency": "agency__slug", "topic": "topic__code", "category": "category__code"}
_READ = [key for _, key in COLUMNS if key not in _GATHERED]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else value


def export_rows(rows, *, chunk_size: int = 2000) -> list[list[str]]:
    """Return the header and one line per publication of ``rows`` (in its order), in the
    import's layout.

    Plain values, not model instances (ten times faster over the demo's 51,524 items;
    DEVELOPERS.md, "Test suite time"): ``chunk_size`` publications at a time, then their
    co-issuers and placements in one query each, in the order their models give
    (``Agency.Meta.ordering``, ``Placement.Meta.ordering``), joined with ``;``.
    """
    lines = [[header for header, _ in COLUMNS]]
    read = rows.values_list("pk", *(_JOINED.get(key, key) for key in _READ))
    items = read.iterator(chunk_size=chunk_size)
    while chunk := list(islice(items, chunk_size)):
        ids = [pk for pk, *_ in chunk]
        co_issuers = _grouped(
            Publication.co_issuers.through.objects.filter(publication_id__in=ids)
            .order_by("agency__sort_order", "agency__name", "agency_id")
            .values_list("publication_id", "agency__slug")
        )
        placements = _grouped(
            (pk, f"{channel}|{column}|{placed_on.isoformat()}")
            for pk, channel, column, placed_on in Placement.objects.filter(publication_id__in=ids)
            .order_by("placed_on", "pk")
            .values_list("publication_id", "channel", "column", "placed_on")
        )
        for pk, *values in chunk:
            item = dict(zip(_READ, values, strict=True))
            item["co_issuers"] = ";".join(co_issuers.get(pk, ()))
            item["placements"] = ";".join(placements.get(pk, ()))
            item["body_file"] = item["attachments"] = ""
            lines.append([_cell(item[key]) for _, key in COLUMNS])
    return lines


def _grouped(pairs) -> dict[int, list[str]]:
    """``(publication id, text)`` pairs as each publication's texts, in the pairs' order."""
    grouped: dict[int, list[str]] = {}
    for pk, text in pairs:
        grouped.setdefault(pk, []).append(text)
    return grouped


def write_csv(lines: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(lines)
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(lines: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("政府信息")
    for line in lines:
        # An empty cell is left out, not written as an empty string: it reads back the same
        # (no value), and about half the export's cells are empty (DEVELOPERS.md, "Test suite
        # time": a third less time and size).
        sheet.append([value or None for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
