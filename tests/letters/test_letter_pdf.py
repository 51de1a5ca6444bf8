"""PDF letters through WeasyPrint, read back with pdfplumber; refused without a Chinese font."""

import io

import pdfplumber
import pytest

from gongkai.letters import pdf
from gongkai.letters.compose import compose_letter
from gongkai.letters.fonts import cjk_fonts_installed
from gongkai.letters.model import LetterRenderError
from gongkai.letters.samples import sample_context

needs_cjk = pytest.mark.skipif(
    not cjk_fonts_installed(),
    reason="no Chinese font installed (fc-list :lang=zh is empty); install fonts-noto-cjk",
)


@needs_cjk
def test_pdf_reads_back_in_chinese() -> None:
    letter = compose_letter("reply_granted", sample_context("reply_granted"))
    data = pdf.render_pdf(letter)
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
        first = document.pages[0]
        assert round(float(first.width)) == 595 and round(float(first.height)) == 842  # A4
    compact = text.replace("\n", "").replace(" ", "")
    for expected in (
        "政府信息公开申请答复书",
        "城府办公开〔2026〕3号",
        "第三十六条第（二）项",
        "60日内",
        "6个月内",
        "2026年11月27日",
        "—1—",
    ):
        assert expected in compact, expected


def test_pdf_is_refused_with_a_clear_message_without_a_chinese_font(monkeypatch) -> None:
    monkeypatch.setattr(pdf, "cjk_fonts_installed", lambda: False)
    letter = compose_letter("receipt", sample_context("receipt"))
    assert not pdf.pdf_available()
    with pytest.raises(LetterRenderError) as excinfo:
        pdf.render_pdf(letter)
    message = str(excinfo.value)
    assert message.startswith("服务器未安装中文字体") and "DOCX" in message


def test_a_server_without_pango_gets_a_clear_message_not_a_crash(monkeypatch):
    import builtins

    from gongkai.letters import pdf
    from gongkai.letters.compose import compose_letter
    from gongkai.letters.model import LetterRenderError
    from gongkai.letters.samples import sample_context

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(pdf, "pdf_available", lambda: True)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(LetterRenderError, match="Pango"):
        pdf.render_pdf(compose_letter("reply_granted", sample_context("reply_granted")))
