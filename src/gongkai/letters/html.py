"""Render a letter as a standalone HTML page: a screen preview of the A4 sheet, and print CSS
that reproduces the GB/T 9704-2012 layout (also the input for the PDF renderer)."""

from __future__ import annotations

from html import escape

from gongkai.letters.fonts import (
    BODY_STACK,
    CSS_TITLE_FAMILY,
    FONT_FACES_CSS,
    NUMBER_STACK,
    css_family,
)
from gongkai.letters.model import Letter, signature_indents

__all__ = ["render_html"]

_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt %(number)s;
  margin-right: 14pt; vertical-align: top; padding-top: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt %(number)s;
  margin-left: 14pt; vertical-align: top; padding-top: 7mm; } }
html { background: #e8e8e8; }
body { margin: 0; font-family: %(body)s; font-size: 16pt; line-height: 28pt; color: #000; }
.sheet { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 8mm auto;
  padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.3); }
p { margin: 0; }
.head { font-family: %(title)s; color: #e60012; text-align: center; line-height: 1.4; }
.letter .head { border-bottom: 4px double #e60012; padding-bottom: 2mm; }
.number { text-align: right; min-height: 28pt; margin-top: 6pt; }
.document .number { text-align: center; border-bottom: 1.5px solid #e60012;
  padding-bottom: 4mm; margin-top: 28pt; }
h1 { font-family: %(title)s; font-size: 22pt; line-height: 36pt; font-weight: normal;
  text-align: center; margin: 28pt 0; }
.body, .attachments, .sign, .contact { letter-spacing: -0.25pt; }  /* 28 characters a line */
.body p { text-indent: 2em; text-align: justify; }
.body p.recipient { text-indent: 0; }
.end { break-inside: avoid; page-break-inside: avoid; }
.attachments { margin-top: 28pt; padding-left: 2em; }
.body .attachments p { padding-left: 3em; text-indent: -3em; white-space: pre-wrap; }
.body .sign p { text-indent: 0; text-align: right; }
.body p.contact { text-indent: 0; text-align: left; }
.sign { margin-top: 28pt; text-align: right; }
.seal { color: #999; }
.contact { padding-left: 2em; }
.cc { margin-top: 28pt; font-size: 14pt; padding: 0 14pt; border-top: 1px solid #000;
  border-bottom: 1px solid #000; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
"""


def render_html(letter: Letter, *, nonce: str = "") -> str:
    """Return the letter as one HTML document (no external resources); every text is escaped.

    Its only style is one ``<style>`` element (no ``style=`` attributes), marked with ``nonce``
    when given, so a Content-Security-Policy without 'unsafe-inline' admits it.
    """
    css = _CSS % {
        "title": CSS_TITLE_FAMILY,
        "body": css_family(BODY_STACK),
        "number": css_family(NUMBER_STACK),
    }
    size = max(22, min(36, int(442 // max(len(letter.agency), 1))))
    css += f".sheet .head {{ font-size: {size}pt; }}\n" + _signature_css(letter)
    parts = [
        f'<p class="head">{escape(letter.agency)}</p>',
        f'<p class="number">{escape(letter.doc_number)}</p>',
        f"<h1>{escape(letter.title)}</h1>",
        '<div class="body">',
        f'<p class="recipient">{escape(letter.recipient)}：</p>',
        *(f"<p>{escape(text)}</p>" for text in letter.paragraphs),
    ]
    if letter.remedy:
        parts.append(f'<p class="remedy">{escape(letter.remedy)}</p>')
    parts.append("</div>")
    # The closing line, attachments, signature, date and 附注 stay together on one page
    # (GB/T 9704 §7.3.5.4: the signature never stands alone).
    parts.append('<div class="end body">')
    if letter.closing:
        parts.append(f'<p class="closing">{escape(letter.closing)}</p>')
    if letter.attachments:
        lines = "".join(f"<p>{escape(line)}</p>" for line in letter.attachment_lines())
        parts.append(f'<div class="attachments">{lines}</div>')
    parts.append(_signature(letter))
    if letter.contact_line:
        parts.append(f'<p class="contact">{escape(letter.contact_line)}</p>')
    parts.append("</div>")
    if letter.cc:
        parts.append(f'<p class="cc">抄送：{escape(letter.cc)}</p>')
    body = "\n".join(parts)
    nonce_attribute = f' nonce="{escape(nonce)}"' if nonce else ""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(letter.title)}</title>\n"
        f"<style{nonce_attribute}>{FONT_FACES_CSS}{css}</style>\n"
        "</head>\n"
        f'<body>\n<div class="sheet {letter.style}">\n{body}\n</div>\n</body>\n</html>\n'
    )


def _signature(letter: Letter) -> str:
    """落款 centred over the date; the date four characters in from the right (as in the DOCX)."""
    return (
        '<div class="sign">'
        f'<p class="seal">{escape(letter.seal)}</p>'
        f'<p class="signatory">{escape(letter.signature)}</p>'
        f'<p class="date">{escape(letter.date_text)}</p>'
        "</div>"
    )


def _signature_css(letter: Letter) -> str:
    seal_right, name_right, date_right = signature_indents(
        letter.signature, letter.date_text, letter.seal
    )
    return (
        f".sign .seal {{ padding-right: {seal_right}em; }}\n"
        f".sign .signatory {{ padding-right: {name_right}em; }}\n"
        f".sign .date {{ padding-right: {date_right}em; }}\n"
    )
