"""A report document out as HTML, DOCX, XLSX, JSON or PDF.

- HTML: the tables with real headers (``<th>`` with ``scope``) and the template's merged cells,
  each value cell carrying its document path; readable on a phone (tables scroll sideways
  inside their box, the text reflows) and in print (no navigation, tables not split mid-row).
- DOCX: for the 2021 format the official Word template (国办公开办函〔2021〕30号's
  「政府信息公开工作年度报告格式模板」, kept in this app as
  ``data/annual-report-template-2021.docx``, the same file as
  tests/fixtures/annual-report-template-2021.docx) with its own tables filled in; for 2019 and
  2020 the 60号 layout drawn by :func:`gongkai.annual.render.word.to_docx`.
- XLSX: :func:`gongkai.annual.render.spreadsheet.to_xlsx` (one sheet per report, the findings).
- JSON: the document of docs/spec/annual-report-json.md.
- PDF: the HTML through WeasyPrint, only where a Chinese font is installed
  (:class:`OutputUnavailable` with a clear message otherwise).
"""

from __future__ import annotations

import copy
import io
import json
from html import escape
from pathlib import Path

from gongkai.annual.document import Document
from gongkai.annual.formats import APPLICATION_COLUMN_KEYS, REVIEW_COLUMNS, REVIEW_GROUPS
from gongkai.annual.formats import get_format as _get_format
from gongkai.annual.render.grid import Table, format_value, report_blocks, report_title
from gongkai.auditor.models import DocumentEncoder

__all__ = [
    "FORMATS",
    "TEMPLATE_2021",
    "OutputUnavailable",
    "render",
    "report_html",
    "to_docx",
    "to_json",
    "to_pdf",
]

FORMATS = ("html", "docx", "xlsx", "json", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "pdf": "application/pdf",
}
TEMPLATE_2021 = Path(__file__).resolve().parent / "data" / "annual-report-template-2021.docx"


class OutputUnavailable(RuntimeError):
    """This output cannot be made on this machine (the message says why, Chinese first)."""


def render(doc: Document, fmt: str) -> bytes:
    """Return ``doc`` rendered as ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "html":
        return report_html(doc).encode("utf-8")
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "xlsx":
        from gongkai.annual.render.spreadsheet import to_xlsx

        return to_xlsx([doc])
    if fmt == "json":
        return to_json(doc).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(doc)
    raise ValueError(f"不支持的格式 {fmt!r}（可用 {', '.join(FORMATS)}） / unknown format")


def to_json(doc: Document) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, cls=DocumentEncoder) + "\n"


# --- HTML --------------------------------------------------------------------------------

#: The page's style sheet, also served as static/annualreport/report.css: the last block (narrow
#: screens) is left out of the PDF, as WeasyPrint reads no width queries.
_CSS = (Path(__file__).resolve().parent / "static" / "annualreport" / "report.css").read_text(
    encoding="utf-8"
)
STYLE, _, PHONE_STYLE = _CSS.partition("/* narrow screens")
PHONE_STYLE = "/* narrow screens" + PHONE_STYLE


def report_html(
    doc: Document,
    *,
    standalone: bool = True,
    flagged: frozenset[str] = frozenset(),
    phone: bool = True,
    level: int = 1,
) -> str:
    """Return the report as HTML (a whole page, or the ``<article>`` for a portal page).

    ``level`` is the heading level of the title (the six headings one below it): 1 for the
    report's own page, lower inside a staff page that has its own title."""
    parts = ['<article class="annual-report">']
    for block in report_blocks(doc):
        if block.kind == "title":
            parts.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif block.kind == "heading":
            parts.append(f"<h{level + 1}>{escape(block.text)}</h{level + 1}>")
        elif block.table is not None:
            parts.append(html_table(block.table, flagged=flagged))
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    parts.append("</article>")
    body = "\n".join(parts)
    if not standalone:
        return body
    title = escape(report_title(doc))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{STYLE}\n{PHONE_STYLE if phone else ''}\n</style>\n"
        "</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


_CAPTIONS = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


def html_table(table: Table, *, flagged: frozenset[str] = frozenset()) -> str:
    """One table: header cells are ``<th>`` (``scope`` col/colgroup above the values, row/
    rowgroup beside them), values ``<td data-cell="part.row.col">``."""
    lines = [
        '<div class="table-box">',
        f'<table class="report-table" data-part="{table.part}">',
        f'<caption class="visually-hidden">{escape(_CAPTIONS.get(table.part, ""))}</caption>',
    ]
    for row in table.rows:
        has_values = any(cell.path for cell in row)
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.path:
                cls = ' class="flagged"' if cell.path in flagged else ""
                cells.append(
                    f'<td{attrs}{cls} data-cell="{escape(cell.path)}">{escape(cell.text)}</td>'
                )
                continue
            if not cell.header:
                cells.append(f"<td{attrs}>{escape(cell.text)}</td>")
                continue
            if has_values:
                scope = "rowgroup" if cell.rowspan > 1 else "row"
            else:
                scope = "colgroup" if cell.colspan > 1 else "col"
            cells.append(f'<th scope="{scope}"{attrs}>{escape(cell.text)}</th>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</table>", "</div>"]
    return "\n".join(lines)


# --- DOCX --------------------------------------------------------------------------------


def to_docx(doc: Document) -> bytes:
    """The report as Word: the official 2021 template filled in, or the 2019 layout."""
    if doc["format"] != "2021":
        from gongkai.annual.render.word import to_docx as drawn

        return drawn(doc)
    from docx import Document as open_word

    word = open_word(str(TEMPLATE_2021))
    _fill_text(word, doc)
    proactive, applications, review = word.tables[:3]
    _fill_proactive(proactive, doc)
    _fill_applications(applications, doc)
    _fill_review(review, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set(cell, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    runs = paragraph.runs
    if runs:
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""
    else:
        paragraph.add_run(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _unique(cells) -> list:
    out, seen = [], set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _value(doc: Document, part: str, row: str, col: str) -> str:
    return format_value(((doc.get(part) or {}).get(row) or {}).get(col))


def _fill_proactive(table, doc: Document) -> None:
    columns: list[str] = []
    proactive = doc.get("proactive") or {}
    for row in table.rows:
        cells = _unique(row.cells)
        label = cells[0].text.strip()
        if label == "信息内容":
            columns = [c.text.strip() for c in cells[1:]]
        elif label in proactive:
            for cell, col in zip(cells[1:], columns, strict=False):
                _set(cell, _value(doc, "proactive", label, _column_key(col, proactive[label])))


def _column_key(printed: str, cells: dict) -> str:
    """The template prints 「本年收费金额（单位：万元）」 in a half-width-free way; match loosely."""
    if printed in cells:
        return printed
    for key in cells:
        if key.replace("（", "(").replace("）", ")") == printed.replace("（", "(").replace(
            "）", ")"
        ):
            return key
    return printed


def _fill_applications(table, doc: Document) -> None:
    rows = _get_format(doc["format"]).application_row_keys
    for key, row in zip(rows, table.rows[3:], strict=True):
        cells = row.cells[3:]
        for cell, col in zip(cells, APPLICATION_COLUMN_KEYS, strict=True):
            _set(cell, _value(doc, "applications", key, col))


def _fill_review(table, doc: Document) -> None:
    cells = table.rows[3].cells
    paths = [(g, c) for g, _ in REVIEW_GROUPS for c, _ in REVIEW_COLUMNS]
    for cell, (group, col) in zip(cells, paths, strict=True):
        _set(cell, _value(doc, "review_litigation", group, col))


_PLACEHOLDERS = {
    "一、总体情况": "overview",
    "五、存在的主要问题及改进情况": "problems",
    "六、其他需要报告的事项": "other",
}


def _fill_text(word, doc: Document) -> None:
    sections = doc.get("sections") or {}
    paragraphs = list(word.paragraphs)
    for i, p in enumerate(paragraphs):
        text = p.text.strip()
        if text == "政府信息公开工作年度报告格式模板":
            _replace(p, [report_title(doc)])
        elif text in _PLACEHOLDERS and i + 1 < len(paragraphs):
            lines = [
                line.strip()
                for line in (sections.get(_PLACEHOLDERS[text]) or "").splitlines()
                if line.strip()
            ]
            target = paragraphs[i + 1]
            if target.text.strip().startswith("（文字描述"):
                _replace(target, lines or [""])


def _replace(paragraph, lines: list[str]) -> None:
    """Put ``lines`` where ``paragraph`` is, one paragraph each, in its formatting."""
    runs = paragraph.runs
    if runs:
        runs[0].text = lines[0]
        for run in runs[1:]:
            run.text = ""
    else:
        paragraph.add_run(lines[0])
    anchor = paragraph._p
    for line in lines[1:]:
        new = copy.deepcopy(paragraph._p)
        anchor.addnext(new)
        anchor = new
        from docx.text.paragraph import Paragraph

        para = Paragraph(new, paragraph._parent)
        para.runs[0].text = line
        for run in para.runs[1:]:
            run.text = ""


# --- PDF ---------------------------------------------------------------------------------


def to_pdf(doc: Document) -> bytes:
    """The HTML through WeasyPrint; :class:`OutputUnavailable` without a Chinese font."""
    from gongkai.letters.fonts import cjk_fonts_installed

    if not cjk_fonts_installed():
        raise OutputUnavailable(
            "本机没有安装中文字体，无法生成PDF（请安装 fonts-noto-cjk） / no Chinese font is "
            "installed, so no PDF can be made (install fonts-noto-cjk)"
        )
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing
        raise OutputUnavailable(
            f"无法加载WeasyPrint（缺少Pango库） / WeasyPrint cannot load: {error}"
        ) from None
    return HTML(string=report_html(doc, phone=False)).write_pdf()
