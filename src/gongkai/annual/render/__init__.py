"""Render a report document into each layout published reports come in, and into exports.

Every renderer prints the title 「{agency}{year}年政府信息公开工作年度报告」, the six section
headings, the text of ``doc["sections"]`` and the tables as the official template draws them,
so a rendered document is a complete report. ``cell_text=`` changes how values print
(``perturb.with_thousands``). :mod:`.converter` and :mod:`.variants` render the layouts the
auditor's round-trip tests read besides these (converter and OCR Markdown, HTML in a script
literal, one cell per line, merged identical lines, table 二 with fewer columns).
"""

from gongkai.annual.render.converter import to_converter_markdown
from gongkai.annual.render.grid import build_tables, format_value, report_blocks, report_title
from gongkai.annual.render.html import to_html
from gongkai.annual.render.layout import to_layout_text
from gongkai.annual.render.spreadsheet import to_xlsx
from gongkai.annual.render.text import to_crawler_text, to_markdown, to_pipe_text
from gongkai.annual.render.variants import to_cell_lines, to_proactive_variant, to_script_html
from gongkai.annual.render.word import to_docx

__all__ = [
    "build_tables",
    "format_value",
    "report_blocks",
    "report_title",
    "to_crawler_text",
    "to_docx",
    "to_cell_lines",
    "to_converter_markdown",
    "to_html",
    "to_layout_text",
    "to_markdown",
    "to_pipe_text",
    "to_proactive_variant",
    "to_script_html",
    "to_xlsx",
]
