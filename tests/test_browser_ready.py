"""« Prêt à contracter » in Chromium (issue 16): the block on a page with every fact,
with none and with some, in French and English; the « À vérifier » flag; and the
two search facets, whose answers are computed here from the sample listing files
and content/vocabulaires.yml (read with yaml, without the project's code).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
import yaml
from browser import DESKTOP, PHONE, axe_violations, open_page, screenshot
from helpers import BUILD_DATE, ROOT

pytestmark = pytest.mark.browser

VOCABULARIES = yaml.safe_load((ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8"))
FACT_KEYS = {"neq": "neq", "rena": "rena", "revenu-quebec": "revenu_quebec", "assurance": "assurance", "rbq": "rbq"}  # fmt: skip


def sample() -> dict[str, dict]:
    listings = {}
    for path in sorted((ROOT / "content/enterprises").glob("*.md")):
        listings[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return listings


LISTINGS = sample()


def declared(data: dict) -> set[str]:
    return {code for code, key in FACT_KEYS.items() if data.get(key)}


def reaching(size: str) -> set[str]:
    """The listings whose largest contract reaches the range: max >= the range's min."""
    low = int(VOCABULARIES["tailles_contrat"][size]["min"])
    return {
        slug
        for slug, d in LISTINGS.items()
        if (d.get("capacite_contrat") or {}).get("montant_max") is not None
        and int(d["capacite_contrat"]["montant_max"]) >= low
    }


ALL = next(
    s for s, d in LISTINGS.items() if declared(d) == set(FACT_KEYS) and d.get("capacite_contrat")
)
NONE = next(s for s, d in LISTINGS.items() if not declared(d) and not d.get("capacite_contrat") and not d.get("capacite"))  # fmt: skip
SOME = next(s for s, d in LISTINGS.items() if 1 < len(declared(d)) < len(FACT_KEYS))
STALE = next(
    s
    for s, d in LISTINGS.items()
    if d.get("date_mise_a_jour")
    and d["date_mise_a_jour"] < dt.date.fromisoformat(BUILD_DATE[:10]).replace(year=2025)
)


def block(page) -> dict[str, str]:
    """The block's lines, label → text, as a reader sees them."""
    return {
        " ".join(dt.inner_text().split()): " ".join(dd.inner_text().split())
        for dt, dd in zip(
            page.locator(".ready dt").all(), page.locator(".ready dd").all(), strict=True
        )
    }


def test_the_sample_shows_the_range():
    counts = [len(declared(d)) for d in LISTINGS.values()]
    assert counts.count(len(FACT_KEYS)) >= 2 and counts.count(0) >= 2
    assert any(0 < n < len(FACT_KEYS) for n in counts)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_a_page_with_every_fact_says_each_and_when_it_was_checked(browser, site_url, viewport):
    data = LISTINGS[ALL]
    page = open_page(browser, f"{site_url}/entreprises/{ALL}/", viewport=viewport)
    lines = block(page)
    assert "Non déclaré" not in " ".join(lines.values())
    amount = f"{int(data['capacite_contrat']['montant_max']):,}".replace(",", "\u00a0")
    assert lines["Plus gros contrat possible"] == f"jusqu'à {amount}\u00a0$".replace("\u00a0", " ")
    assert lines["NEQ (numéro d'entreprise du Québec)"].startswith(str(data["neq"]))
    assert lines["Licence RBQ (travaux de construction)"].startswith(data["rbq"]["licence"])
    assert lines["Registre des entreprises non admissibles (RENA)"].startswith("Non inscrite")
    checked = data["rbq"]["verifie_le"]
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    day = "1er" if checked.day == 1 else str(checked.day)
    assert lines["Licence RBQ (travaux de construction)"].endswith(
        f"dernière vérification : {day} {months[checked.month - 1]} {checked.year}"
    )
    assert page.locator(".ready time").first.get_attribute("datetime")
    assert axe_violations(page) == []
    assert page.locator(".to-check").count() == 0
    screenshot(page, f"ready-all-{viewport['width']}")
    assert page.console_errors == []
    page.context.close()


def test_a_page_with_nothing_declared_says_so_on_every_line(browser, site_url):
    page = open_page(browser, f"{site_url}/entreprises/{NONE}/")
    lines = block(page)
    assert len(lines) == 10 and set(lines.values()) == {"Non déclaré"}
    assert axe_violations(page) == []
    page.context.close()


def test_a_page_with_some_facts_shows_them_and_marks_the_others(browser, site_url):
    data = LISTINGS[SOME]
    page = open_page(browser, f"{site_url}/entreprises/{SOME}/")
    shown = {
        code
        for code in FACT_KEYS
        if page.locator(f'.ready dd[data-fact="{code}"]').inner_text().strip() != "Non déclaré"
    }
    assert shown == declared(data)
    screenshot(page, "ready-some-1280")
    page.context.close()


def test_the_english_page_says_the_same_in_english(browser, site_url):
    page = open_page(browser, f"{site_url}/en/entreprises/{ALL}/")
    lines = block(page)
    assert page.locator("#pret-a-contracter").inner_text() == "Ready to contract"
    amount = int(LISTINGS[ALL]["assurance"]["montant"])
    assert lines["Civil liability insurance"].startswith(f"${amount:,}")
    assert "last checked:" in lines["RBQ licence (construction work)"]
    assert axe_violations(page) == []
    page.context.close()
    page = open_page(browser, f"{site_url}/en/entreprises/{NONE}/")
    assert set(block(page).values()) == {"Not declared"}
    page.context.close()


def test_the_stale_listing_says_a_verifier_on_its_page_and_card(browser, site_url):
    page = open_page(browser, f"{site_url}/entreprises/{STALE}/", viewport=PHONE)
    flag = page.locator(".enterprise-header .to-check")
    assert flag.inner_text().startswith("À vérifier")
    assert "12 mois" in flag.inner_text()
    screenshot(page, "stale-390")
    page.goto(f"{site_url}/repertoire/")
    flagged = page.locator(".card:has(.to-check) h3 a").all_inner_texts()
    assert [" ".join(t.split()) for t in flagged] == [" ".join(LISTINGS[STALE]["nom"].split())]
    assert axe_violations(page) == []
    page.context.close()


# --- the two facets -----------------------------------------------------------------------


def ask(page, site_url: str, **facets) -> set[str]:
    page.goto(f"{site_url}/recherche/?{urlencode(facets)}")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    more = page.locator("[data-more]")
    while more.is_visible():
        count = page.locator(".search-hit").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.search-hit').length > {count}")
    hrefs = page.locator(".search-hit h3 a").evaluate_all("links => links.map(a => a.href)")
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


@pytest.fixture(scope="module")
def search(browser, site_url):
    page = open_page(browser, f"{site_url}/recherche/")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    yield page
    assert page.console_errors == []
    page.context.close()


@pytest.mark.parametrize("size", list(VOCABULARIES["tailles_contrat"]))
def test_the_contract_size_facet_finds_every_listing_that_reaches_the_range(search, site_url, size):
    expected = reaching(size)
    if expected:
        assert ask(search, site_url, taille=size) == expected
    else:  # nothing reaches it: the search says so
        search.goto(f"{site_url}/recherche/?{urlencode({'taille': size})}")
        search.wait_for_function(
            "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
        )
        assert search.locator(".search-hit").count() == 0


@pytest.mark.parametrize("fact", list(FACT_KEYS))
def test_the_declared_facts_facet_finds_every_listing_declaring_it(search, site_url, fact):
    expected = {slug for slug, d in LISTINGS.items() if fact in declared(d)}
    assert expected
    assert ask(search, site_url, fait=fact) == expected


def test_the_facets_combine_and_work_in_english(search, site_url):
    expected = {s for s, d in LISTINGS.items() if "rbq" in declared(d)} & reaching(
        list(VOCABULARIES["tailles_contrat"])[1]
    )
    assert (
        ask(search, site_url, fait="rbq", taille=list(VOCABULARIES["tailles_contrat"])[1])
        == expected
    )


def test_the_facts_facet_works_on_the_english_search(browser, site_url):
    page = open_page(browser, f"{site_url}/en/recherche/")
    assert ask(page, f"{site_url}/en", fait="assurance") == {
        s for s, d in LISTINGS.items() if "assurance" in declared(d)
    }
    page.context.close()


def test_the_browse_pages_list_the_same_without_javascript(browser, site_url):
    page = open_page(browser, f"{site_url}/faits-declares/")
    assert axe_violations(page) == []  # axe needs JavaScript: checked here, then without it
    page.context.close()
    page = open_page(browser, f"{site_url}/faits-declares/", javascript=False)
    for fact in FACT_KEYS:
        page.goto(f"{site_url}/faits-declares/{fact}/")
        hrefs = page.locator(".card h3 a").evaluate_all("links => links.map(a => a.href)")
        found = {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs}
        assert found == {s for s, d in LISTINGS.items() if fact in declared(d)}
    for size in VOCABULARIES["tailles_contrat"]:
        page.goto(f"{site_url}/tailles-de-contrat/{size}/")
        hrefs = page.locator(".card h3 a").evaluate_all("links => links.map(a => a.href)")
        assert {h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs} == reaching(size)
    page.context.close()
