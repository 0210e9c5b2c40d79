"""The digest e-mail in a real Chromium, as a client that drops <style> would show it.

Screenshots at 600 px and 320 px, when asked for (see README), land in tests/artifacts/
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import pytest
from browser import axe_violations, screenshot
from helpers import soup

pytestmark = pytest.mark.browser  # every test here drives Chromium

# Boxes of visible elements wider than a limit, and the page's horizontal overflow.
MEASURE = """(limit) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || el.closest('[style*="display: none"]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > limit + 0.5) wide.push(`${el.tagName}.${el.className} ${box.width}`);
  }
  return {wide, scroll: document.documentElement.scrollWidth, inner: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def email_html(digest_site) -> str:
    """The e-mail HTML with every <style> element removed."""
    page = soup(digest_site / "infolettre/2026-12/courriel.html")
    for style in page.find_all("style"):
        style.decompose()
    return str(page)


def open_email(browser, html: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-CA")
    page.route("**/*", lambda route: route.abort())  # no network: images may not load
    page.set_content(html, wait_until="domcontentloaded")
    return page


@pytest.mark.parametrize("viewport", [1024, 600])
def test_nothing_is_wider_than_600_px(browser, email_html, viewport):
    page = open_email(browser, email_html, viewport)
    container = page.locator(".container").bounding_box()
    assert container["width"] <= 600
    measured = page.evaluate(
        "() => [...document.querySelectorAll('.container *')].map(e => e.getBoundingClientRect().width)"
    )
    assert max(measured) <= 600
    if viewport == 600:
        screenshot(page, "digest-email-600")
    page.close()


def test_no_horizontal_scroll_and_still_readable_at_320_px(browser, email_html):
    page = open_email(browser, email_html, 320)
    measured = page.evaluate(MEASURE, 320)
    assert measured["scroll"] <= measured["inner"], measured
    assert measured["wide"] == []
    title = page.locator("h1")
    assert title.inner_text() == "Infolettre de décembre : test"
    assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 20
    for name in ("Nouvelle Coop", "Atelier Mis à jour", "Premier jour"):
        link = page.get_by_role("link", name=name)
        assert link.is_visible()
        assert link.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14
    body_size = page.locator(".item p").first.evaluate("e => getComputedStyle(e).fontSize")
    assert body_size == "15px"
    assert not page.locator("body > div").first.is_visible()  # the preheader stays hidden
    screenshot(page, "digest-email-320")
    page.close()


def test_email_has_no_serious_accessibility_violation(browser, email_html):
    page = open_email(browser, email_html, 600)
    assert axe_violations(page) == []
    page.close()
