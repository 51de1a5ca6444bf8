"""The HTML preview: complete, escaped, laid out with the CJK font stacks and print CSS."""

from html.parser import HTMLParser

from gongkai.letters.compose import compose_letter
from gongkai.letters.html import render_html
from gongkai.letters.samples import sample_context


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def _parse(html: str) -> _Collect:
    collector = _Collect()
    collector.feed(html)
    return collector


def test_applicant_named_script_stays_text() -> None:
    context = {**sample_context("reply_granted"), "applicant_name": "<script>alert(1)</script>"}
    context["request_summary"] = "a & b <b>粗</b>"
    html = render_html(compose_letter("reply_granted", context))
    parsed = _parse(html)
    assert "script" not in parsed.tags and "b" not in parsed.tags
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>：" in text
    assert "a & b <b>粗</b>" in text
    assert "&amp;lt;" not in html  # escaped once, not twice


def test_preview_contains_the_whole_letter() -> None:
    letter = compose_letter("reply_partial", sample_context("reply_partial"))
    text = "".join(_parse(render_html(letter)).text)
    for part in (letter.title, letter.doc_number, letter.remedy, letter.closing, letter.date_text):
        assert part in text
    for paragraph in letter.paragraphs:
        assert paragraph in text


def test_css_has_the_page_the_font_stacks_and_the_page_numbers() -> None:
    html = render_html(compose_letter("reply_granted", sample_context("reply_granted")))
    assert "size: A4; margin: 37mm 26mm 35mm 28mm" in html
    assert '"方正小标宋简体"' in html and '"仿宋_GB2312"' in html
    body_rule = html[html.index("body {") :].split("}", 1)[0]
    assert body_rule.index('"仿宋_GB2312"') < body_rule.index('"Noto Serif CJK SC"')
    assert 'content: "— " counter(page) " —"' in html
    assert "@media print" in html
    assert '<html lang="zh-CN">' in html
