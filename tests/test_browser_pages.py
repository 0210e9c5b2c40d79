"""The pages in a real Chromium: accessible, usable without JavaScript, fit for phone and paper."""

import pytest
from browser import DESKTOP, PHONE, axe_violations, open_page, screenshot, screenshots_asked

pytestmark = pytest.mark.browser  # every test here drives Chromium

ENTERPRISE = "/entreprises/coop-octet-libre/"
AUDITED = {
    "accueil": "/",
    "repertoire": "/repertoire/",
    "entreprise": ENTERPRISE,
    "portfolio": "/portfolio/",
    "secteur": "/secteurs/informatique/",
}


@pytest.mark.parametrize("name", AUDITED)
def test_page_has_no_serious_accessibility_violation(browser, site_url, name):
    page = open_page(browser, site_url + AUDITED[name])
    assert axe_violations(page) == []
    assert page.console_errors == []
    page.context.close()


def test_browse_pages_work_with_javascript_disabled(browser, site_url):
    page = open_page(browser, site_url + "/", javascript=False)
    page.get_by_role("link", name="Tous les secteurs").click()
    page.get_by_role("link", name="Informatique et reconditionnement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Informatique et reconditionnement"
    page.get_by_role("link", name="Coopérative de travail Octet libre").click()
    assert page.url.endswith(ENTERPRISE)
    call = page.locator(".quick-contact").get_by_role("link", name="819 555-0195")
    assert call.get_attribute("href") == "tel:+18195550195"
    page.context.close()


def test_home_search_box_lands_on_the_search_page_without_javascript(browser, site_url):
    page = open_page(browser, site_url + "/", javascript=False)
    page.get_by_label("Que cherchez-vous?").fill("traiteur")
    page.get_by_label("Que cherchez-vous?").press("Enter")
    assert page.url.split("/", 3)[3] == "recherche/?q=traiteur"
    page.context.close()


@pytest.mark.parametrize("path", ["/", ENTERPRISE, "/portfolio/"])
def test_nothing_overflows_a_320_px_phone(browser, site_url, path):
    page = open_page(browser, site_url + path, viewport={"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.context.close()


def test_printed_enterprise_page_keeps_the_listing_and_drops_the_chrome(browser, site_url):
    page = open_page(browser, site_url + ENTERPRISE)
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator(".print-url").is_visible()
    assert page.locator("address").is_visible() and page.locator(".offer").is_visible()
    assert page.pdf()[:4] == b"%PDF"
    page.context.close()


@pytest.mark.skipif(
    not screenshots_asked(),
    reason="screenshots only when asked: --screenshots or VITRINE_SCREENSHOTS=1",
)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("name", ["accueil", "entreprise", "portfolio"])
def test_screenshots_for_a_human_to_look_at(browser, site_url, name, viewport):
    page = open_page(browser, site_url + AUDITED[name], viewport=viewport)
    assert screenshot(page, f"pages-{name}-{viewport['width']}").stat().st_size > 0
    page.context.close()
