"""The 第二十条 figures of table 二: entered on the staff page, or imported from XLSX or CSV.

Each figure row keeps its source — who entered it, or which imported file (stored, with its
SHA-256) — in ``source`` and in its audit row. An import is all or nothing: every row is
checked first, and one bad row refuses the whole file with each bad row's number, column and
reason; nothing of it is saved, not even the file.

The file's layout (docs/normative.md): a header row, then one row per agency, year and item,
with the columns of :data:`HEADERS`; empty cells are blanks.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.auditlog.services import record as audit
from gongkai.auditlog.services import snapshot
from gongkai.normative.models import Article20Figure, FigureImport
from gongkai.records.files import delete_files_on_error, remember_file

__all__ = [
    "FIELD_LABELS",
    "HEADERS",
    "ITEM_FIELDS",
    "FigureRow",
    "import_figures",
    "read_figure_file",
    "save_figures",
    "template_workbook",
]

Item = Article20Figure.Item
DENIED = "您无权录入该机关的第二十条统计 / you may not enter this agency's figures"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FIRST_YEAR, LAST_YEAR = 2008, 2100  # 条例 took effect on 2008-05-01

#: The columns each item has, in either report format (docs/law/ogi-spec.md §2.2, §3.2).
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    Item.LICENSING: ("prior_items", "change", "decisions"),
    Item.OTHER_SERVICES: ("prior_items", "change", "decisions"),
    Item.PENALTY: ("prior_items", "change", "decisions"),
    Item.ENFORCEMENT: ("prior_items", "change", "decisions"),
    Item.FEES: ("prior_items", "change", "amount"),
    Item.PROCUREMENT: ("projects", "amount"),
}
FIELD_LABELS = {
    "prior_items": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "金额（万元）",
}
VALUE_FIELDS = tuple(FIELD_LABELS)
#: The import file's header row, in order.
HEADERS = ("机关", "年度", "事项", *FIELD_LABELS.values())


def _check_value(field: str, value: Any) -> int | Decimal | None:
    """Return ``value`` as the field's number; raise ValueError with the reason (Chinese first)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", "")
    if field == "amount":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"应为金额（万元），实际为「{value}」 / not an amount") from None
        if not number.is_finite() or number < 0:
            raise ValueError(f"金额不能为负数，实际为「{value}」 / the amount cannot be negative")
        if number.as_tuple().exponent < -4 or abs(number) >= Decimal(10) ** 10:
            raise ValueError(
                f"金额最多保留4位小数、不超过10位整数，实际为「{value}」 / "
                "at most 4 decimal places and 10 digits"
            )
        return number
    try:
        number = Decimal(text)
        integral = number == number.to_integral_value()
    except InvalidOperation:
        integral = False
    if not integral:
        raise ValueError(f"应为整数，实际为「{value}」 / not a whole number")
    result = int(number)
    if field != "change" and result < 0:
        raise ValueError(f"不能为负数，实际为「{value}」 / cannot be negative")
    if abs(result) > 2_000_000_000:
        raise ValueError(f"数值过大：「{value}」 / the number is too large")
    return result


def _clean_values(item: str, values: dict[str, Any]) -> dict[str, Any]:
    """Check ``values`` for ``item``; return all five fields (None where blank)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field in VALUE_FIELDS:
        try:
            cleaned[field] = _check_value(field, values.get(field))
        except ValueError as error:
            errors[field] = f"{FIELD_LABELS[field]}：{error}"
            continue
        if cleaned[field] is not None and field not in ITEM_FIELDS[item]:
            errors[field] = (
                f"「{Item(item).label}」没有「{FIELD_LABELS[field]}」一栏，请留空 / "
                f"{item} has no {field} column: leave it blank"
            )
    prior, change = cleaned.get("prior_items"), cleaned.get("change")
    if not errors and prior is not None and change is not None and prior + change < 0:
        errors["change"] = (
            "本年减少的项目数不能多于上一年项目数量 / the decrease exceeds last year's items"
        )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_year(year: Any) -> int:
    try:
        value = int(str(year).strip().removesuffix(".0"))
    except (TypeError, ValueError):
        raise ValidationError(
            {"year": f"年度应为四位数字，实际为「{year}」 / the year must be four digits"}
        ) from None
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise ValidationError(
            {"year": f"年度应在{FIRST_YEAR}至{LAST_YEAR}之间 / the year is out of range"}
        )
    return value


def _source_of(actor: Any) -> str:
    if rules.actor_is_command_line(actor):
        return "命令行录入 / entered at the command line"
    return f"录入：{actor.get_username()} / entered by {actor.get_username()}"


def save_figures(
    *,
    actor: Any,
    agency: Agency | int,
    year: int,
    item: str,
    values: dict[str, Any],
    imported_from: FigureImport | None = None,
) -> Article20Figure:
    """Enter (or replace) ``agency``'s figures for one 第二十条 item and year."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    if not rules.can_keep_normative(actor, agency_id):
        raise PermissionDenied(DENIED)
    if item not in ITEM_FIELDS:
        raise ValidationError({"item": f"未知的事项「{item}」 / unknown item"})
    year = _check_year(year)
    cleaned = _clean_values(item, values)
    if imported_from is not None:
        source = (
            f"导入：{imported_from.file_name}（SHA-256 {imported_from.sha256[:12]}） / "
            f"imported from {imported_from.file_name}"
        )
    else:
        source = _source_of(actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        figure = (
            Article20Figure.objects.select_for_update()
            .filter(agency_id=agency_id, year=year, item=item)
            .first()
        )
        created = figure is None
        if created:
            figure = Article20Figure(agency_id=agency_id, year=year, item=item)
        tracked = (*VALUE_FIELDS, "source")
        before = {} if created else snapshot(figure, tracked)
        for field, value in cleaned.items():
            setattr(figure, field, value)
        figure.source = source
        figure.entered_by = user
        figure.imported_from = imported_from
        try:
            with transaction.atomic():  # a savepoint: someone entered the same item meanwhile
                figure.save()
        except IntegrityError:
            raise ValidationError(
                "同一机关、年度、事项的统计刚被他人录入，请刷新后重试 / "
                "someone entered these figures at the same time: reload and try again"
            ) from None
        audit(
            actor=actor,
            action="import_figures" if imported_from else "enter_figures",
            obj=figure,
            label="导入第二十条统计" if imported_from else "录入第二十条统计",
            before=before,
            after=snapshot(figure, tracked),
            data={"year": year, "item": item, "import": getattr(imported_from, "pk", None)},
        )
    return figure


@dataclass(frozen=True)
class FigureRow:
    """One checked row of an import file."""

    line: int
    agency_id: int
    year: int
    item: str
    values: dict[str, Any]


def _table_rows(name: str, content: bytes) -> list[list[Any]]:
    """Return the file's rows as lists of cell values (first sheet of an XLSX, or a CSV)."""
    if content[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # a damaged or disguised file: openpyxl raises many kinds
            raise ValidationError(
                f"无法读取 Excel 文件「{name}」：{error} / cannot read the XLSX file"
            ) from None
        try:
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    if not name.lower().endswith(".csv"):
        raise ValidationError(
            f"「{name}」不是 XLSX 或 CSV 文件 / the file must be an XLSX workbook or a CSV file"
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationError("无法识别 CSV 文件的编码 / unknown CSV encoding")
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_figure_file(*, actor: Any, name: str, content: bytes) -> list[FigureRow]:
    """Check every row of an import file; return them, or raise ValidationError listing each
    bad row as 「第N行「列」：原因」 (row numbers as the spreadsheet shows them)."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError("文件超过 5 MB / the file is larger than 5 MB")
    rows = _table_rows(name, content)
    while rows and not any(_cell_text(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError("文件是空的 / the file is empty")
    header = [_cell_text(v) for v in rows[0]]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        raise ValidationError(
            f"第1行（表头）缺少列：{'、'.join(missing)} / the header row lacks: {', '.join(missing)}"
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(f"最多导入{MAX_ROWS}行 / at most {MAX_ROWS} rows")
    where = {h: header.index(h) for h in HEADERS}
    names = [_cell_text(r[where["机关"]]) if len(r) > where["机关"] else "" for r in rows[1:]]
    agencies = {
        key: agency.pk
        for agency in Agency.objects.filter(
            Q(slug__in=names) | Q(name__in=names) | Q(short_name__in=names)
        )
        for key in (agency.slug, agency.name, agency.short_name)
        if key
    }
    allowed = set(rules.normative_keeping_agencies(actor).values_list("pk", flat=True))
    items = {choice.label: choice.value for choice in Item} | {v: v for v in Item.values}
    errors: list[str] = []
    checked: list[FigureRow] = []
    seen: dict[tuple[int, int, str], int] = {}
    for line, raw in enumerate(rows[1:], start=2):
        if not any(_cell_text(v) for v in raw):
            continue
        cells = {h: (raw[i] if i < len(raw) else None) for h, i in where.items()}

        def bad(column: str, reason: str, line: int = line) -> None:
            errors.append(f"第{line}行「{column}」列：{reason}")

        agency_id = agencies.get(_cell_text(cells["机关"]))
        if agency_id is None:
            bad("机关", f"没有机关「{_cell_text(cells['机关'])}」 / unknown agency")
        elif agency_id not in allowed:
            bad("机关", f"您无权录入「{_cell_text(cells['机关'])}」的统计 / not your agency")
        try:
            year = _check_year(cells["年度"])
        except ValidationError as error:
            bad("年度", error.messages[0])
            year = None
        item = items.get(_cell_text(cells["事项"]))
        if item is None:
            bad("事项", f"未知的事项「{_cell_text(cells['事项'])}」 / unknown item")
            continue
        values = {field: cells[label] for field, label in FIELD_LABELS.items()}
        try:
            values = _clean_values(item, values)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                bad(FIELD_LABELS[field], messages[0].split("：", 1)[-1])
            continue
        if agency_id is None or year is None or agency_id not in allowed:
            continue
        key = (agency_id, year, item)
        if key in seen:
            bad(
                "事项",
                f"与第{seen[key]}行重复（同一机关、年度、事项） / duplicates row {seen[key]}",
            )
            continue
        seen[key] = line
        checked.append(FigureRow(line, agency_id, year, item, values))
    if errors:
        raise ValidationError(
            [f"文件「{name}」未导入，请改正以下各行后重新上传 / nothing was imported:", *errors]
        )
    if not checked:
        raise ValidationError("文件中没有数据行 / the file has no data rows")
    return checked


def import_figures(*, actor: Any, agency: Agency | int, name: str, content: bytes) -> FigureImport:
    """Import a file of figures, uploaded for ``agency``: all rows or none (see module doc)."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    if not rules.can_keep_normative(actor, agency_id):
        raise PermissionDenied(DENIED)
    rows = read_figure_file(actor=actor, name=name, content=content)
    digest = hashlib.sha256(content).hexdigest()
    user = actor if getattr(actor, "is_authenticated", False) else None
    with delete_files_on_error(), transaction.atomic():
        batch = FigureImport(
            agency_id=agency_id,
            file_name=name[:200],
            sha256=digest,
            rows=len(rows),
            imported_by=user,
        )
        batch.file.save(name[-100:], ContentFile(content), save=False)
        remember_file(batch.file)
        batch.save()
        audit(
            actor=actor,
            action="import_figure_file",
            obj=batch,
            label="导入第二十条统计文件",
            data={"file": name, "sha256": digest, "rows": len(rows)},
        )
        for row in rows:
            save_figures(
                actor=actor,
                agency=row.agency_id,
                year=row.year,
                item=row.item,
                values=row.values,
                imported_from=batch,
            )
    return batch


def template_workbook(*, agency: Agency, year: int) -> bytes:
    """Return an XLSX to fill in: the header row, then one row per item for ``agency`` and
    ``year`` with what is stored (blank where nothing is), the columns an item lacks shaded."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    stored = {f.item: f for f in Article20Figure.objects.filter(agency=agency, year=year)}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "第二十条统计"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row, item in enumerate(Item, start=2):
        figure = stored.get(item.value)
        values = [getattr(figure, f) if figure else None for f in VALUE_FIELDS]
        sheet.append([agency.slug, year, item.label, *values])
        for column, field in enumerate(VALUE_FIELDS, start=4):
            if field not in ITEM_FIELDS[item.value]:
                sheet.cell(row=row, column=column).fill = grey
    for column, width in zip("ABCDEFGH", (22, 8, 22, 16, 12, 14, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
