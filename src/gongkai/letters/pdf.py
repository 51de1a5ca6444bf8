"""Render a letter as PDF with WeasyPrint, from the HTML preview.

Without a Chinese font every character would print as an empty box, so refuse instead: the
caller offers the DOCX, which the reader's own computer renders with its own fonts.
"""

from __future__ import annotations

import logging

from gongkai.letters.fonts import cjk_fonts_installed
from gongkai.letters.html import render_html
from gongkai.letters.model import Letter, LetterRenderError

__all__ = ["pdf_available", "render_pdf"]

NO_CJK_FONT = (
    "服务器未安装中文字体（fc-list :lang=zh 无结果），无法生成 PDF，请下载 DOCX 版本。"
    " / No Chinese font is installed on the server (fc-list :lang=zh is empty), so no PDF can be"
    " made; download the DOCX instead."
)

NO_PANGO = (
    "服务器缺少 Pango 库（Debian/Ubuntu：apt-get install libpango-1.0-0 libpangoft2-1.0-0），"
    "无法生成 PDF，请下载 DOCX 版本。 / The Pango library is missing on the server, so no PDF can"
    " be made; download the DOCX instead."
)


class _QuietMissingFaces(logging.Filter):
    """Hide the expected note that 小标宋 is not installed; the CSS falls back on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Font-face")


# WeasyPrint logs every layout step at INFO; one letter is not worth seven log lines.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("weasyprint").addFilter(_QuietMissingFaces())


def pdf_available() -> bool:
    """Tell whether PDF letters can be made here (a Chinese font is installed)."""
    return cjk_fonts_installed()


def render_pdf(letter: Letter) -> bytes:
    """Return the letter as PDF bytes; raise LetterRenderError when no Chinese font is installed."""
    if not pdf_available():
        raise LetterRenderError(NO_CJK_FONT)
    try:
        # Imported late: loading Pango is slow and needs system libraries.
        from weasyprint import HTML
    except OSError as error:  # Pango missing: WeasyPrint cannot load its libraries
        raise LetterRenderError(NO_PANGO) from error
    return HTML(string=render_html(letter)).write_pdf()
