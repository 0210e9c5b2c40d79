"""The digest e-mail in a real Chromium: as sent (with its dark-mode <style>), as a
client that drops <style> shows it, and as one that ignores max-width (Outlook for
Windows, older Yahoo for iOS).

Screenshots at 600 px and 320 px, with and without <style>, and in dark mode, when
asked for (see README), land in tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from browser import axe_violations, screenshot
from bs4 import BeautifulSoup
from helpers import ROOT

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
def sent_html(digest_site) -> str:
    """The e-mail HTML as staff import it."""
    return (digest_site / "infolettre/2026-12/courriel.html").read_text("utf-8")


@pytest.fixture(scope="module")
def email_html(sent_html) -> str:
    """The e-mail HTML with every <style> element removed."""
    page = BeautifulSoup(sent_html, "html.parser")
    for style in page.find_all("style"):
        style.decompose()
    return str(page)


@pytest.fixture(scope="module")
def no_max_width_html(email_html) -> str:
    """As a client that ignores max-width shows it."""
    return re.sub(r"max-width:\s*\d+px;?", "", email_html)


def open_email(browser, html: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-CA")
    page.route("**/*", lambda route: route.abort())  # no network: images may not load
    page.set_content(html, wait_until="domcontentloaded")
    return page


@pytest.mark.parametrize("viewport", [1024, 600])
@pytest.mark.parametrize("variant", ["email_html", "no_max_width_html"])
def test_nothing_is_wider_than_600_px(browser, request, variant, viewport):
    page = open_email(browser, request.getfixturevalue(variant), viewport)
    container = page.locator(".container").bounding_box()
    assert container["width"] <= 600
    measured = page.evaluate(
        "() => [...document.querySelectorAll('.container *')].map(e => e.getBoundingClientRect().width)"
    )
    assert max(measured) <= 600
    if viewport == 600 and variant == "email_html":
        screenshot(page, "digest-email-600")
    page.close()


@pytest.mark.parametrize("variant", ["email_html", "no_max_width_html", "sent_html"])
def test_no_horizontal_scroll_and_still_readable_at_320_px(browser, request, variant):
    page = open_email(browser, request.getfixturevalue(variant), 320)
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
    screenshot(page, {"email_html": "digest-email-320", "no_max_width_html": "digest-email-320-no-max-width", "sent_html": "digest-email-320-with-style"}[variant])  # fmt: skip
    page.close()


LOGO = ROOT / "theme/static/images/infolettre-logo.png"


def test_as_sent_at_600_px_with_its_style_and_logo(browser, sent_html):
    page = browser.new_page(viewport={"width": 600, "height": 900}, locale="fr-CA")
    page.route("**/*", lambda route: route.abort())
    page.route("**/infolettre-logo.png", lambda route: route.fulfill(path=LOGO))
    page.set_content(sent_html, wait_until="load")
    assert page.locator(".container").bounding_box()["width"] <= 600
    logo = page.locator("img.logo")
    assert logo.evaluate("i => [i.naturalWidth, i.width, i.height]") == [400, 200, 48]
    screenshot(page, "digest-email-600-with-style")
    page.close()


def test_dark_mode_keeps_text_readable(browser, sent_html):
    page = browser.new_page(viewport={"width": 600, "height": 900}, color_scheme="dark")
    page.route("**/*", lambda route: route.abort())
    page.set_content(sent_html, wait_until="domcontentloaded")
    colours = page.evaluate(
        """() => ({
            item: getComputedStyle(document.querySelector('.item')).backgroundColor,
            text: getComputedStyle(document.querySelector('.item p')).color,
            title: getComputedStyle(document.querySelector('.title')).color,
        })"""
    )
    assert colours["item"] == "rgb(27, 35, 32)"
    assert colours["text"] == "rgb(230, 236, 233)"
    assert colours["title"] == "rgb(255, 255, 255)"
    screenshot(page, "digest-email-600-dark")
    page.close()


def test_email_has_no_serious_accessibility_violation(browser, email_html):
    page = open_email(browser, email_html, 600)
    assert axe_violations(page) == []
    page.close()
