"""An automated accessibility check of the public pages with axe-core (WCAG 2.1 A and AA rules),
served to the page by the test itself from tests/browser/assets/axe-core (nothing is fetched
from outside the platform). No page may have a violation of impact serious or critical; each
page is checked in the normal, large-text and high-contrast modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_portal_browser import with_attachment  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
#: Where the page under test finds axe: on the live server's own origin (the CSP allows only
#: 'self'), answered by the test from the vendored file, never by the platform or a CDN.
AXE_PATH = "/__test-assets__/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
}"""


def violations(page, url: str) -> list[dict]:
    page.goto(url)
    page.add_script_tag(url=url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + AXE_PATH)
    assert page.evaluate("typeof axe") == "object"
    return page.evaluate(RUN, TAGS)


@pytest.fixture
def axe_page(page, live_server):
    source = AXE.read_bytes()
    page.route(
        f"{live_server.url}{AXE_PATH}",
        lambda route: route.fulfill(body=source, content_type="text/javascript"),
    )
    return page


def test_axe_finds_a_planted_violation(axe_page, live_server, demo_county):
    """The check can fail: an image without alternative text is reported as critical."""
    axe_page.goto(live_server.url + "/")
    axe_page.add_script_tag(url=live_server.url + AXE_PATH)
    axe_page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/none.png';"
        " document.querySelector('main').appendChild(i); }"
    )
    found = axe_page.evaluate(RUN, TAGS)
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in found)


@pytest.mark.parametrize("mode", ["normal", "large", "contrast"])
def test_the_public_pages_have_no_serious_violation(
    axe_page,
    live_server,
    with_attachment,  # noqa: F811
    mode,
):
    page = axe_page
    if mode != "normal":
        page.goto(live_server.url + "/")
        page.get_by_role("button", name={"large": "大字", "contrast": "高对比度"}[mode]).click()
    paths = [
        "/",  # home
        "/catalogue/",  # the standard catalogue
        "/gk/county-office/",  # an agency's column (the catalogue of its items)
        "/gk/county-office/statutory/",  # 法定主动公开内容
        "/gk/county-office/guide/",
        f"/gk/item/{with_attachment.pk}/",  # an item with an attachment
        "/gk/search/?q=通知&agency=county-office",  # search with results and a filter
        "/apply/",
        "/gk/normative-in-force/",
        "/sites/main/zfxxgk/",
        "/gk/no-such-page/",  # the 404
    ]
    found = {}
    for path in paths:
        blocking = [v for v in violations(page, live_server.url + path) if v["impact"] in BLOCKING]
        if blocking:
            found[path] = blocking
    assert found == {}
