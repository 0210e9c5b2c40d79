"""« Ils s'engagent », a signatory's page, « Résultats de la campagne » in a real Chromium."""

import pytest
from browser import axe_violations, open_page

pytestmark = pytest.mark.browser

PAGES = {
    "signataires": "/ils-s-engagent/",
    "signataire": "/ils-s-engagent/ville-de-sherbrooke/",
    "resultats": "/resultats/",
    "entreprise-avec-contrats": "/entreprises/coop-entretien-lumiere/",
}


@pytest.mark.parametrize("name", PAGES)
def test_contract_pages_have_no_serious_accessibility_violation(browser, site_url, name):
    page = open_page(browser, site_url + PAGES[name])
    assert axe_violations(page) == []
    assert page.console_errors == []
    page.context.close()


def test_a_buyer_goes_from_the_menu_to_a_signatory_and_its_contracts_without_javascript(
    browser, site_url
):
    page = open_page(browser, site_url + "/", javascript=False)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Ils s'engagent"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ils s'engagent"
    page.get_by_role("link", name="Ville de Sherbrooke").click()
    table = page.get_by_role("table", name="Contrats publics accordés par Ville de Sherbrooke")
    assert table.locator("tbody tr").count() == 2
    table.get_by_role("link", name="Coopérative de travail Entretien Lumière").first.click()
    section = page.locator(".public-contracts")
    assert section.get_by_role("heading", name="Contrats publics obtenus").is_visible()
    assert "2 contrats" in section.locator(".contracts-summary").inner_text()
    page.context.close()


def test_results_page_reads_by_year_and_says_what_the_data_leaves_out(browser, site_url):
    page = open_page(browser, site_url + "/resultats/")
    table = page.get_by_role(
        "table", name="Contrats publics obtenus par les entreprises du répertoire, par année"
    )
    years = table.locator("tbody tr th").all_inner_texts()
    assert years == sorted(years, reverse=True) and years
    assert "25\u00a0000\u00a0$ ou plus" in page.locator(".data-limits").first.inner_text()
    page.context.close()


@pytest.mark.parametrize("path", ["/resultats/", "/ils-s-engagent/ville-de-sherbrooke/"])
def test_contract_tables_scroll_inside_a_320_px_phone(browser, site_url, path):
    page = open_page(browser, site_url + path, viewport={"width": 320, "height": 640})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.context.close()
