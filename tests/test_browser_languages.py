"""The English site in a real Chromium: the switch, English search words, facets, the shortlist."""

from __future__ import annotations

import re

import pytest
from browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    facet_counts,
    open_page,
    result_titles,
    screenshot,
    wait_for_results,
)
from helpers import ROOT, load_sample
from vitrine.content.vocabulary import load_vocabularies

pytestmark = pytest.mark.browser  # every test here drives Chromium

ENTERPRISE = "entreprises/coop-octet-libre/"


@pytest.fixture(scope="module")
def directory():
    return load_sample()


@pytest.fixture(scope="module")
def english():
    return load_vocabularies(ROOT / "content/vocabulaires.yml").in_language("en")


def test_the_switch_leads_to_the_same_page_in_the_other_language_and_back(browser, site_url):
    page = open_page(browser, f"{site_url}/{ENTERPRISE}")
    page.get_by_role("link", name="English").click()
    assert page.url == f"{site_url}/en/{ENTERPRISE}"
    assert page.get_attribute("html", "lang") == "en"
    assert "Directory" in page.locator(".site-header nav").inner_text()
    page.get_by_role("link", name="Français").click()
    assert page.url == f"{site_url}/{ENTERPRISE}"
    assert page.get_attribute("html", "lang") == "fr"
    assert page.console_errors == []
    page.context.close()


@pytest.mark.parametrize(
    ("word", "sector"),
    [
        ("catering", "traiteur-alimentation"),
        ("printing", "imprimerie-communication"),
        ("cleaning", "entretien-menager"),
    ],
)
def test_english_words_find_the_enterprises_of_their_sector(
    browser, site_url, directory, word, sector
):
    page = open_page(browser, f"{site_url}/en/recherche/?q={word}")
    wait_for_results(page)
    expected = {e.name for e in directory.enterprises if sector in e.data.secteurs}
    assert expected and expected <= set(result_titles(page))
    assert re.search(r"\d+ results?", page.locator("[data-summary]").inner_text())
    # The English site searches its own index only.
    assert not any("/pagefind/" in url and "/en/" not in url for url in page.requested)
    assert page.console_errors == []
    page.context.close()


def test_the_french_search_downloads_nothing_of_the_english_index(browser, site_url):
    page = open_page(browser, f"{site_url}/recherche/?q=traiteur")
    wait_for_results(page)
    assert not any("/en/" in url for url in page.requested)
    page.context.close()


def test_english_facets_count_with_english_labels(browser, site_url, directory, english):
    page = open_page(browser, f"{site_url}/en/recherche/")
    wait_for_results(page)
    counts = facet_counts(page, "secteur")
    expected = {}
    for enterprise in directory.enterprises:
        for code in enterprise.data.secteurs:
            label = english.label("secteurs", code)
            expected[label] = expected.get(label, 0) + 1
    assert counts == expected
    page.context.close()


def test_the_shortlist_works_on_the_english_site_and_follows_to_the_french_one(
    browser, site_url, directory
):
    first = directory.enterprises[0]
    page = open_page(browser, f"{site_url}/en/repertoire/")
    button = page.locator(".card", has_text=first.name).locator(".shortlist-toggle")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    page.goto(f"{site_url}/en/ma-selection/")
    link = page.locator(".shortlist-item h2 a")
    assert link.inner_text() == first.name
    assert link.get_attribute("href").endswith(f"/en/entreprises/{first.slug}/")
    page.goto(f"{site_url}/ma-selection/")  # one selection for both sites
    link = page.locator(".shortlist-item h2 a")
    assert link.get_attribute("href").endswith(f"/entreprises/{first.slug}/")
    assert "/en/" not in link.get_attribute("href")
    assert page.console_errors == []
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "en/",
        f"en/{ENTERPRISE}",
        "en/entreprises/cuisine-la-marmite-du-haut/",
        "en/accessibilite/",
        "en/ajouter-ou-modifier-votre-fiche/",
        "en/404.html",
        "en/evenements/2026-12-maillage-sherbrooke/",
        "en/evenements/2027-02-visite-ateliers-adaptes-windsor/",
    ],
)
def test_english_pages_have_no_serious_accessibility_violation(browser, site_url, path):
    context = browser.new_context(viewport=DESKTOP, locale="en-CA")
    page = context.new_page()
    page.goto(f"{site_url}/{path}")
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(
    "path", ["", ENTERPRISE, "accessibilite/", "evenements/2026-12-maillage-sherbrooke/"]
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_screenshots_of_both_languages_for_a_human_to_look_at(
    browser, site_url, language, path, viewport
):
    prefix = "en/" if language == "en" else ""
    page = open_page(browser, f"{site_url}/{prefix}{path}", viewport=viewport)
    kind = {"": "accueil", ENTERPRISE: "entreprise"}.get(path, path.strip("/").split("/")[0])
    name = f"langues-{language}-{kind}-{viewport['width']}"
    path = screenshot(page, name)  # None unless screenshots are asked for (--screenshots)
    assert path is None or path.stat().st_size > 0
    page.context.close()
