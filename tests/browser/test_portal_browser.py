"""The public portal in a real Chromium on the demo county: browsing the 政府信息公开 catalogue
(by category and year) down to an item, an item page with its attachment downloaded and opened,
search with filters and highlighting, the large-text and high-contrast modes (with and without
JavaScript), and the pages on a 360 px phone."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from playwright.sync_api import expect

from gongkai.agencies.models import Agency
from gongkai.publications import services as ps
from gongkai.testing import factories as f
from tests.publications.conftest import draft_data, publish, walk_to_approved

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"width": 360, "height": 740}


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def with_attachment(demo_county, settings, tmp_path):
    """A published item of the county office with a DOCX attachment."""
    settings.MEDIA_ROOT = tmp_path
    office = Agency.objects.get(slug="county-office")
    clerk = f.staff("portal_clerk", office, "clerk")
    approver = f.staff("portal_approver", office, "approver")
    item = ps.create_draft(
        actor=clerk,
        agency=office,
        data=draft_data(title="城口县复工复产补贴申领办法", doc_number="城府办发〔2021〕99号"),
        attachments=[SimpleUploadedFile("申领办法.docx", docx_bytes("复工复产补贴申领条件"))],
    )
    walk_to_approved(item, clerk, approver)
    return publish(item, clerk)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_browsing_the_catalogue_by_category_and_year_to_an_item(page, live_server, demo_county):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="法定主动公开内容").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("法定主动公开内容")
    page.get_by_role("link", name="城口县人民政府办公室", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("法定主动公开内容")
    # the first non-zero cell of a year column: its count is what the filtered list shows
    cell = page.locator("table.statutory tbody td a[href*='year=']").first
    count = int(cell.inner_text())
    href = cell.get_attribute("href")
    year = re.search(r"year=(\d{4})", href).group(1)
    cell.click()
    expect(page.locator("#total")).to_have_text(f"共 {count} 条")
    expect(page.get_by_label("年度")).to_have_value(year)
    first = page.locator("ul.items li a").first
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".meta-box")).to_contain_text(year)
    # and the column's guide names the office to contact
    page.locator(".crumbs").get_by_role("link", name="县政府办公室").click()
    page.get_by_role("link", name="政府信息公开指南").click()
    expect(page.locator("#office")).to_contain_text("政务公开科")
    expect(page.locator("#office")).to_contain_text("023-5900")


def test_an_item_page_with_its_attachment(page, live_server, with_attachment):
    item = with_attachment
    page.goto(f"{live_server.url}/gk/item/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(item.title)
    expect(page.locator(".meta-box")).to_contain_text("城府办发〔2021〕99号")
    expect(page.locator(".meta-box")).to_contain_text(item.index_number)
    with page.expect_download() as caught:
        page.get_by_role("link", name="申领办法.docx").click()
    download = caught.value
    assert download.suggested_filename == "申领办法.docx"
    opened = Document(download.path())
    assert [p.text for p in opened.paragraphs] == ["复工复产补贴申领条件"]


def test_search_with_filters_highlights_the_query(page, live_server, demo_county):
    page.goto(live_server.url + "/gk/search/")
    page.get_by_role("searchbox").fill("通知")
    page.get_by_role("button", name="检索").click()
    everywhere = int(re.search(r"\d+", page.locator("#total").inner_text()).group())
    assert everywhere > 0
    marks = page.locator("ul.items li mark")
    expect(marks.first).to_have_text("通知")
    assert marks.count() >= page.locator("ul.items li").count()  # every result shows it marked
    page.locator("select[name=agency]").select_option(label="城口县人民政府办公室")
    page.get_by_role("button", name="检索").click()
    narrowed = int(re.search(r"\d+", page.locator("#total").inner_text()).group())
    assert 0 < narrowed < everywhere
    for meta in page.locator("ul.items li .meta").all_inner_texts():
        assert "县政府办公室" in meta
    expect(page.get_by_role("searchbox")).to_have_value("通知")


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def test_the_large_text_mode_persists(page, live_server, demo_county):
    page.goto(live_server.url + "/")
    normal = root_font_px(page)
    button = page.get_by_role("button", name="大字")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    page.goto(live_server.url + "/gk/")  # another page, and a reload: still large
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    page.reload()
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    page.get_by_role("button", name="高对比度").click()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    page.get_by_role("button", name="大字").click()
    page.get_by_role("button", name="高对比度").click()
    page.reload()
    assert root_font_px(page) == pytest.approx(normal)


def test_the_large_text_mode_without_javascript(browser, live_server, demo_county):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/gk/")
        normal = root_font_px(page)
        page.get_by_role("button", name="大字").click()
        page.wait_for_url(live_server.url + "/gk/")
        expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
        assert root_font_px(page) == pytest.approx(normal * 1.25)
        page.goto(live_server.url + "/apply/")
        assert root_font_px(page) == pytest.approx(normal * 1.25)
    finally:
        context.close()


def test_the_pages_fit_a_360_px_phone_in_large_text(page, live_server, with_attachment):
    page.set_viewport_size(PHONE_360)
    paths = [
        "/",
        "/gk/",
        "/gk/county-office/",
        "/gk/county-office/guide/",
        "/gk/county-office/statutory/",
        f"/gk/item/{with_attachment.pk}/",
        "/gk/search/?q=通知",
        "/gk/normative-in-force/",
        "/apply/",
        "/sites/main/zfxxgk/",
    ]
    for large in (False, True):
        if large:
            page.goto(live_server.url + "/")
            page.get_by_role("button", name="大字").click()
            expect(page.get_by_role("button", name="大字")).to_have_attribute(
                "aria-pressed", "true"
            )
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("h1").first.is_visible(), path
            assert fits(page), (path, large, page.evaluate("document.documentElement.scrollWidth"))
