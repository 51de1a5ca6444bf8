"""A report as an HTML page, tables with the template's rowspan/colspan headers."""

from __future__ import annotations

from html import escape

from gongkai.annual.document import Document
from gongkai.annual.render.grid import CellText, Table, format_value, report_blocks, report_title

_STYLE = """
body { font-family: "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", serif;
       max-width: 60em; margin: 2em auto; line-height: 1.8; color: #111; }
h1 { text-align: center; font-family: "SimHei", "Noto Sans CJK SC", sans-serif;
     font-size: 1.6em; line-height: 1.4; }
h2 { font-family: "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 1.15em; margin-top: 1.5em; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 0.9em; }
td { border: 1px solid #000; padding: 0.2em 0.4em; text-align: center; vertical-align: middle;
     min-width: 2.2em; }
td[data-cell] { white-space: nowrap; }
""".strip()


def to_html(doc: Document, *, cell_text: CellText = format_value, standalone: bool = True) -> str:
    """Render as HTML; blank (``null``) cells are empty ``<td>``. ``standalone`` adds <html>."""
    parts: list[str] = []
    for block in report_blocks(doc, cell_text=cell_text):
        if block.kind == "title":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<h2>{escape(block.text)}</h2>")
        elif block.table is not None:
            parts.append(html_table(block.table))
        else:
            parts.append(f"<p>{escape(block.text)}</p>")
    body = "\n".join(parts)
    if not standalone:
        return body + "\n"
    title = escape(report_title(doc))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def html_table(table: Table) -> str:
    """Return one ``<table>``; numeric cells carry ``data-cell`` with their document path."""
    lines = [f'<table class="report-table" data-part="{table.part}">']
    for row in table.rows:
        cells = []
        for cell in row:
            attrs = ""
            if cell.rowspan > 1:
                attrs += f' rowspan="{cell.rowspan}"'
            if cell.colspan > 1:
                attrs += f' colspan="{cell.colspan}"'
            if cell.path:
                attrs += f' data-cell="{escape(cell.path)}"'
            # Published reports (Word exports, CMS pages) draw every cell, headers too, as <td>.
            cells.append(f"<td{attrs}>{escape(cell.text)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)
