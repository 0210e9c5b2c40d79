"""A buyer's question gets the right answer, first time, on any screen (issue 15).

The questions are words a buyer types and the territory they tick; the answers
are computed here from the sample listing files and content/vocabulaires.yml
(read with yaml, catch-all territories included when the vocabularies declare
them under ``couvertures``), independently of the site under test. Each is
asked to the built site in Chromium, through an address that uses codes.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import yaml
from browser import DESKTOP, PHONE, axe_violations, open_page, screenshot
from helpers import ROOT, served_per_yaml

# --- what the sample content says, read without the project's code ---------------------


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", fold(text)) if w]


pytestmark = pytest.mark.browser

VOCABULARIES = yaml.safe_load((ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8"))


def french(label) -> str:
    """A vocabulary label as the French site shows it (``{fr, en}`` or a plain string)."""
    return label["fr"] if isinstance(label, dict) else label


def read_listings() -> list[dict]:
    listings = []
    for path in sorted((ROOT / "content/enterprises").glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        label = lambda vocabulary, codes: [french(VOCABULARIES[vocabulary][c]) for c in codes]  # noqa: E731
        # What a buyer can find a listing by: what its page shows in the index.
        searchable = " ".join(
            [
                data["nom"],
                data["mission"],
                *(f"{item['nom']} {item.get('description', '')}" for item in data["offre"]),
                body,
                *label("secteurs", data["secteurs"]),
                *label("territoires", data["territoires"]),
                *label("certifications", data.get("certifications") or []),
                data["adresse"]["ville"],
            ]
        )
        listings.append(
            {
                "name": data["nom"],
                "sectors": set(data["secteurs"]),
                "serves": served_per_yaml(data["territoires"]),
                "words": set(words(searchable)),
            }
        )
    return listings


LISTINGS = read_listings()
USED_SECTORS = sorted({code for listing in LISTINGS for code in listing["sectors"]})


def sector_word(code: str) -> str:
    """What a buyer types for a sector: its label's first long word, without accents."""
    return next(w for w in words(french(VOCABULARIES["secteurs"][code])) if len(w) >= 5)


def answers(*, sector: str | None = None, word: str | None = None, territory: str | None = None):
    return {
        listing["name"]
        for listing in LISTINGS
        if (sector is None or sector in listing["sectors"])
        and (word is None or any(w.startswith(fold(word)) for w in listing["words"]))
        and (territory is None or territory in listing["serves"])
    }


def serving(territory: str) -> set[str]:
    return answers(territory=territory)


# --- the questions -----------------------------------------------------------------------

QUESTIONS = [
    pytest.param(
        sector_word(code),
        territory,
        answers(sector=code, territory=territory),
        id=f"{code}-{territory or 'partout'}",
    )
    for code in USED_SECTORS
    for territory in (None, "sherbrooke", "memphremagog")
] + [
    # Missing accents and a typo: the words the buyer meant.
    pytest.param("cafe", None, answers(word="café"), id="cafe"),
    pytest.param("menage", None, answers(word="ménage"), id="menage"),
    pytest.param(
        "traiteurzz",
        "sherbrooke",
        answers(word="traiteur", territory="sherbrooke"),
        id="traiteurzz-sherbrooke",
    ),
]
NONSENSE = ["asdfgh", "xyzzy", "qwertyuiop", "zzz", "de", "à", "x", "les de"]


def ask(page, site_url: str, query: str = "", **facets) -> None:
    """Open the search page at an address, as a shared link would (a fresh page: shown from 0)."""
    params = {"q": query, **facets} if query else facets
    page.goto(f"{site_url}/recherche/?{urlencode(params)}")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )


def titles(page) -> set[str]:
    more = page.locator("[data-more]")
    while more.is_visible():
        count = page.locator(".search-hit").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.search-hit').length > {count}")
    # As the files spell them: the pages put French typography's no-break spaces in.
    return {" ".join(t.split()) for t in page.locator(".search-hit h3 a").all_inner_texts()}


@pytest.fixture(scope="module")
def page(browser, site_url):
    page = open_page(browser, f"{site_url}/recherche/")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    yield page
    assert page.console_errors == []
    page.context.close()


def test_the_questions_have_answers_and_catch_alls_count():
    assert len(USED_SECTORS) >= 8
    assert all(answers(sector=code) for code in USED_SECTORS)
    assert answers(sector="traiteur-alimentation", territory="sherbrooke")
    if "couvertures" in VOCABULARIES:  # a listing for « toute l'Estrie » serves Sherbrooke
        assert "L'Atelier d'impression Mots et Marges" in serving("sherbrooke")


@pytest.mark.parametrize(("query", "territory", "expected"), QUESTIONS)
def test_a_buyer_question_finds_every_enterprise_and_only_those_serving_the_territory(
    page, site_url, query, territory, expected
):
    ask(page, site_url, query, **({"territoire": territory} if territory else {}))
    found = titles(page)
    assert expected <= found, f"missing: {sorted(expected - found)}"
    if territory:
        assert found <= serving(territory), (
            f"does not serve {territory}: {found - serving(territory)}"
        )
    # Enterprises only unless events are asked for.
    assert found <= {listing["name"] for listing in LISTINGS}


@pytest.mark.parametrize("query", NONSENSE)
def test_nonsense_and_stop_words_find_nothing_and_say_where_to_go(page, site_url, query):
    ask(page, site_url, query)
    assert titles(page) == set()
    assert page.locator("[data-summary]").inner_text().startswith("Aucun résultat")
    advised(page)
    assert suggestion(page).count() == 0  # nothing close enough finds anything
    help_links = page.locator("[data-help] a").evaluate_all(
        "a => a.map(l => l.getAttribute('href'))"
    )
    assert {"/secteurs/", "/territoires/"} <= set(help_links)


def test_addresses_use_codes_and_old_labels_still_work(page, site_url):
    expected = answers(sector="traiteur-alimentation", territory="sherbrooke")
    ask(page, site_url, territoire="Sherbrooke", secteur="Traiteur et alimentation")
    assert titles(page) == expected
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"territoire": ["sherbrooke"], "secteur": ["traiteur-alimentation"]}
    assert page.locator("[data-warning]").is_hidden()


def test_an_unknown_code_says_so_instead_of_returning_nothing(page, site_url):
    ask(page, site_url, territoire="atlantide")
    warning = page.locator("[data-warning]")
    assert warning.is_visible() and "atlantide" in warning.inner_text()
    assert len(titles(page)) == len(LISTINGS)


def test_landing_lists_enterprises_and_events_only_when_asked_for(page, site_url, directory_events):
    ask(page, site_url)
    assert titles(page) == {listing["name"] for listing in LISTINGS}
    ask(page, site_url, fiche="evenement")
    upcoming, past = directory_events
    assert titles(page) == upcoming and not titles(page) & past
    ask(page, site_url, "traiteur")
    assert titles(page) <= {listing["name"] for listing in LISTINGS}


@pytest.fixture(scope="module")
def directory_events():
    """Upcoming and past events at the sample build's date, read from their files."""
    import datetime as dt

    from helpers import BUILD_DATE

    now = dt.datetime.fromisoformat(BUILD_DATE)
    upcoming, past = set(), set()
    for path in (ROOT / "content/events").glob("*.md"):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        end = (
            data["fin"]
            if isinstance(data["fin"], dt.datetime)
            else dt.datetime.fromisoformat(str(data["fin"]))
        )
        (upcoming if end.replace(tzinfo=None) >= now else past).add(data["titre"])
    return upcoming, past


def test_a_result_says_why_it_matched(page, site_url):
    ask(page, site_url, "traiteur")
    card = page.locator(".search-hit").first
    assert card.locator(".search-hit__excerpt mark").count() or card.locator("mark").count()
    assert "Offre" in card.inner_text() and "Ville" in card.inner_text()
    assert card.locator(".search-hit__offer mark").count()
    text = card.inner_text()
    assert "Secteurs\u00a0:" in text and "Territoires\u00a0:" in text


# --- « Vouliez-vous dire … ? » and the events-only hint --------------------------------

# A typo of a word the sample listings hold, the word meant, the territory ticked.
TYPOS = [
    pytest.param("traiteurr", "traiteur", "sherbrooke", id="traiteurr-sherbrooke"),
    pytest.param("menagge", "ménage", None, id="menagge"),
    pytest.param("imprimmerie", "imprimerie", None, id="imprimmerie"),
]
# Another form of a word the listings hold, which Pagefind's stemmer doesn't join to it:
# a buyer's verb for the listings' noun.
FORMS = [pytest.param("nettoyer", "nettoyage", None, id="nettoyer")]


def advised(page) -> None:
    """Wait until the search shown has its suggestions (search.js sets data-advised)."""
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.advised || 0) > 0"
    )


def follow(page, link) -> None:
    shown = int(page.get_attribute("#recherche", "data-shown"))
    link.click()
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )


def suggestion(page):
    return page.locator("[data-advice] a[data-q]")


def unquoted(text: str) -> str:
    return text.strip("«»“”\u00a0 ")


def upcoming_events_with(word: str) -> set[str]:
    """The upcoming events whose page holds a word starting with ``word`` (French site)."""
    import datetime as dt

    from helpers import BUILD_DATE

    now = dt.datetime.fromisoformat(BUILD_DATE)
    found = set()
    for path in (ROOT / "content/events").glob("*.md"):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        end = dt.datetime.fromisoformat(str(data["fin"])).replace(tzinfo=None)
        kind = french(VOCABULARIES["types_evenements"][data["type"]])
        text = " ".join([data["titre"], kind, body, data["lieu"]["nom"], data["lieu"]["ville"]])
        if end >= now and any(w.startswith(fold(word)) for w in words(text)):
            found.add(data["titre"])
    return found


def test_the_typos_are_of_words_the_listings_hold():
    for typo, meant, _ in (param.values for param in TYPOS + FORMS):
        assert fold(typo) not in {w for listing in LISTINGS for w in listing["words"]}
        assert answers(word=meant), meant
    assert len(upcoming_events_with("maillage")) >= 1
    assert not answers(word="maillage")  # only events hold it


@pytest.mark.parametrize(("typo", "meant", "territory"), TYPOS + FORMS)
def test_a_typo_suggests_the_word_meant_which_finds_its_enterprises(
    page, site_url, typo, meant, territory
):
    facets = {"territoire": territory} if territory else {}
    ask(page, site_url, typo, **facets)
    advised(page)
    link = suggestion(page)
    assert link.count() == 1
    assert fold(unquoted(link.inner_text())) == fold(meant)
    assert page.locator("[data-advice]").inner_text().startswith("Vouliez-vous dire")
    follow(page, link)
    query = parse_qs(urlsplit(page.url).query)
    assert fold(query["q"][0]) == fold(meant) and input_value(page) == query["q"][0]
    assert query.get("territoire") == ([territory] if territory else None)  # filters kept
    expected = answers(word=meant, territory=territory)
    found = titles(page)
    assert expected <= found, f"missing: {sorted(expected - found)}"
    if territory:
        assert found <= serving(territory)
    assert suggestion(page).count() == 0  # the word meant is not corrected again


def input_value(page) -> str:
    return page.locator("#search-q").input_value()


def offer_words() -> list[str]:
    """A word a buyer may type for each listing: its first offer item's first long word."""
    found = []
    for path in sorted((ROOT / "content/enterprises").glob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        long = [w for w in re.split(r"[^\w]+", data["offre"][0]["nom"].lower()) if len(w) >= 6]
        if long and long[0] not in found:
            found.append(long[0])
    return found


@pytest.mark.parametrize("query", [*offer_words(), "recycler", "reparer", "livraisons"])
def test_real_words_and_their_other_forms_are_not_corrected(page, site_url, query):
    ask(page, site_url, query)
    advised(page)
    assert titles(page)
    assert suggestion(page).count() == 0


def test_the_word_list_is_fetched_only_when_a_search_finds_nothing(page, site_url):
    for query in ("traiteur", "traiteurr", "cafe"):
        page.requested.clear()
        ask(page, site_url, query)
        advised(page)
        assert titles(page)
        assert not [url for url in page.requested if url.endswith("/mots.json")], query
    page.requested.clear()
    ask(page, site_url, "imprimmerie")
    advised(page)
    assert [url for url in page.requested if url.endswith("/pagefind/mots.json")]


def test_a_word_only_upcoming_events_hold_says_so_and_ticks_them(page, site_url):
    events = upcoming_events_with("maillage")
    ask(page, site_url, "maillage")
    advised(page)
    assert titles(page) == set()
    hint = page.locator("[data-advice] p").filter(has=page.locator("a[data-tick]"))
    count = len(events)
    said = (
        "1 événement à venir correspond"
        if count == 1
        else f"{count} événements à venir correspondent"
    )
    assert hint.inner_text().startswith(said + " à «\u00a0maillage\u00a0»\u00a0:")
    follow(page, hint.locator("a"))
    assert parse_qs(urlsplit(page.url).query)["fiche"] == ["entreprise", "evenement"]
    assert titles(page) == events
    assert page.locator(".search-chip", has_text="Événement à venir").count() == 1


def test_english_typos_suggest_english_words(browser, site_url):
    page = open_page(browser, f"{site_url}/en/recherche/?q=cateringg")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    advised(page)
    link = suggestion(page)
    assert link.inner_text() == "“catering”"
    assert page.locator("[data-advice]").inner_text().startswith("Did you mean")
    follow(page, link)
    expected = answers(sector="traiteur-alimentation")
    assert VOCABULARIES["secteurs"]["traiteur-alimentation"]["en"].startswith("Catering")
    assert expected <= titles(page)
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("query", ["imprimmerie", "maillage"])
def test_the_no_result_page_with_suggestions_passes_axe(browser, site_url, viewport, query):
    page = open_page(browser, f"{site_url}/recherche/?q={query}", viewport=viewport)
    advised(page)
    assert page.locator("[data-advice]").is_visible()
    screenshot(page, f"recherche-suggestion-{query}-{viewport['width']}")
    assert axe_violations(page) == []
    assert page.console_errors == []


# --- on a phone and on a desktop ---------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_first_result_shows_without_scrolling_and_chips_remove_filters(browser, site_url, viewport):
    page = open_page(browser, f"{site_url}/recherche/?q=traiteur", viewport=viewport)
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    first = page.locator(".search-hit").first.bounding_box()
    assert first["y"] < viewport["height"] - 100, first  # its title and more, in the first screen

    toggle = page.locator("[data-filter-toggle]")
    if viewport is PHONE:
        assert page.locator(".facet").first.is_hidden()
        assert toggle.inner_text() == "Filtrer (0)"
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    facet = page.locator('.facet[data-group="territoire"]')
    facet.locator("summary").click()
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.counted || 0) > 0"
    )
    shown = int(page.get_attribute("#recherche", "data-shown"))
    facet.get_by_label("Sherbrooke").check()
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )
    chips = page.locator(".search-chip")
    assert chips.count() == 1 and "Sherbrooke" in chips.first.inner_text()
    expected = answers(word="traiteur", territory="sherbrooke")
    assert titles(page) >= expected and titles(page) <= serving("sherbrooke")
    if viewport is PHONE:
        assert toggle.inner_text() == "Filtrer (1)"
        page.locator("[data-show-results]").click()
        assert page.locator(".facet").first.is_hidden()
    screenshot(page, f"recherche-filtre-{viewport['width']}")
    assert axe_violations(page) == []

    shown = int(page.get_attribute("#recherche", "data-shown"))
    chips.first.click()
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )
    assert chips.count() == 0
    assert "territoire" not in page.url
    assert titles(page) >= answers(word="traiteur")
    assert page.console_errors == []


def test_keyboard_only_search_filter_and_chip(browser, site_url):
    page = open_page(browser, f"{site_url}/recherche/", viewport=PHONE)
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    page.locator("#search-q").focus()
    page.keyboard.type("menage")
    shown = int(page.get_attribute("#recherche", "data-shown"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )
    assert titles(page) >= answers(word="ménage")

    page.locator("[data-filter-toggle]").focus()
    page.keyboard.press("Enter")  # opens the facets, focus on the first group
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # « Territoire desservi »
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.counted || 0) > 0"
    )
    page.keyboard.press("Tab")  # its first value
    assert page.evaluate("document.activeElement.name") == "territoire"
    shown = int(page.get_attribute("#recherche", "data-shown"))
    page.keyboard.press("Space")
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )
    page.keyboard.press("Escape")  # closes the facets, back on « Filtrer »
    assert page.evaluate("document.activeElement.dataset.filterToggle") == ""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "search-chip"
    shown = int(page.get_attribute("#recherche", "data-shown"))
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => Number(document.getElementById('recherche').dataset.shown) > {shown}"
    )
    assert page.locator(".search-chip").count() == 0
    assert page.console_errors == []


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_page_does_not_jump_while_results_arrive(browser, site_url, viewport):
    """Cumulative layout shift, as Lighthouse counts it, measured in Chromium."""
    page = open_page(browser, f"{site_url}/recherche/?q=traiteur", viewport=viewport)
    page.wait_for_function(
        "() => Number(document.getElementById('recherche').dataset.shown || 0) > 0"
    )
    assert page.evaluate(LAYOUT_SHIFT) <= 0.1
    assert page.console_errors == []
