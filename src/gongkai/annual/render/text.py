"""Plain-text layouts of a report: a web page copied as text (the seed), a crawler's page text
(the Pingtan archive) and Markdown as HTML-to-Markdown converters emit it."""

from __future__ import annotations

import random

from gongkai.annual.document import Document
from gongkai.annual.render.grid import Block, CellText, Table, format_value, report_blocks

#: Full-width punctuation the seed's copy turned half-width (「（一）」 → 「(一)」).
_HALFWIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})


def to_pipe_text(
    doc: Document, *, halfwidth: bool = True, cell_text: CellText = format_value
) -> str:
    """Render as a web page copied as text: one table cell per line ending in `` |``.

    A row with fewer cells than the grid has columns (spans) ends with a run of ``|``, one per
    missing cell, as in the seed (``第二十条第(一)项 | |||``), except in a table's last row.
    The title takes two lines.
    """
    lines = [doc.get("agency", ""), f"{doc.get('year', '')}年政府信息公开工作年度报告"]
    for block in report_blocks(doc, cell_text=cell_text)[1:]:
        if block.table is None:
            lines.append(block.text)
            continue
        rows = block.table.rows
        for n, row in enumerate(rows):
            cells = [f"{cell.text} |" for cell in row]
            missing = block.table.ncols - len(row)
            if missing > 0 and n < len(rows) - 1:  # the copy drops them after a table's last row
                cells[-1] += " " + "|" * missing
            lines += cells
    text = "\n".join(lines) + "\n"
    return text.translate(_HALFWIDTH) if halfwidth else text


def to_crawler_text(
    doc: Document,
    *,
    spacing: random.Random | None = None,
    space_rate: float = 0.3,
    cell_text: CellText = format_value,
) -> str:
    """Render as a crawler's page.txt (the Pingtan archive): a header, then the body on one line.

    Table cells are concatenated with nothing between them, so a row reads ``一、本年新收…1000001``;
    a blank cell is one space (an ``&nbsp;``). With ``spacing``, spaces are sprinkled between
    cells at random (never inside a number), as badly padded pages have them.
    """
    title = f"{doc.get('agency', '')}{doc.get('year', '')}年政府信息公开工作年度报告"
    header = [
        f"标题: {title}",
        "发布时间: ",
        "文号: ",
        f"发布机构: {doc.get('agency', '')}",
        "栏目: 政府信息公开年报",
        "原文链接: ",
        "本地目录: ",
        "页面链接与图片详见 links.tsv(同目录)",
        "==================== 正文 ====================",
    ]
    body: list[str] = []
    for block in report_blocks(doc, cell_text=cell_text)[1:]:
        if block.table is None:
            body.append(block.text)
            continue
        for cell in block.table.cells():
            if body and spacing is not None and spacing.random() < space_rate:
                body.append(" ")
            body.append(cell.text or " ")
    return "\n".join(header) + "\n" + "".join(body) + "\n"


def to_markdown(doc: Document, *, cell_text: CellText = format_value) -> str:
    """Render as Markdown, tables as pipe tables the way HTML-to-Markdown converters flatten
    spans: the text in the first covered position, the other covered positions empty."""
    out: list[str] = []
    for block in report_blocks(doc, cell_text=cell_text):
        out.append(_markdown_block(block))
    return "\n\n".join(out) + "\n"


def _markdown_block(block: Block) -> str:
    if block.kind == "title":
        return f"# {block.text}"
    if block.kind == "heading":
        return f"## {block.text}"
    if block.table is None:
        return block.text
    return markdown_table(block.table)


def markdown_table(table: Table) -> str:
    rows = [[_md_escape(cell.text) if cell else "" for cell in row] for row in table.positions()]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * table.ncols]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
