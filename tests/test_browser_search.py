"""Search as a buyer uses it, in a real Chromium (« Ma sélection »: test_browser_shortlist.py).

The sample site is built once (``sample_site``) and served on 127.0.0.1
(``site_url``); expectations come from the validated content, not from the
pages under test.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    facet_counts,
    open_facet,
    open_page,
    result_titles,
    screenshot,
    wait_for_results,
)
from bs4 import BeautifulSoup
from helpers import ROOT, build, load_sample, served_per_yaml
from vitrine.content.vocabulary import load_vocabularies
from vitrine.outputs.search import index as search

pytestmark = pytest.mark.browser  # most tests here drive Chromium


@pytest.fixture(scope="module")
def directory():
    """The sample content, dated from the repository's history as the build dates it."""
    from vitrine.content.history import apply_dates, file_commits, repository_dates

    directory = load_sample()
    folders = [ROOT / "content/enterprises", ROOT / "content/events"]
    history = repository_dates(file_commits(folders))
    apply_dates(directory.enterprises, history)
    return directory


def freshest(enterprise) -> dt.date:
    """What « Mise à jour la plus récente » sorts by (search.sorted_pages)."""
    return enterprise.updated or enterprise.added or dt.date.min


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory):
    """The sample site with its index in shards of 8 pages, merged in the browser
    as at province scale (outputs/search/shards.py)."""
    output = tmp_path_factory.mktemp("lots") / "output"
    site = build(ROOT / "content", output, VITRINE_SEARCH_SHARD_PAGES=8)
    assert len(list(site.glob("pagefind/*/pagefind-entry.json"))) >= 4
    return site


@pytest.fixture(scope="module")
def sharded_url(sharded_site):
    from browser import serve

    with serve(sharded_site) as url:
        yield url


@pytest.fixture(params=["un lot", "plusieurs lots"])
def any_url(request, site_url):
    """The search page with a one-shard index, then with one split in shards."""
    return site_url if request.param == "un lot" else request.getfixturevalue("sharded_url")


def names_with(directory, field: str, code: str) -> set[str]:
    """The listings the search finds under ``code``: for a territory, those that
    serve it, catch-alls such as « Toute l'Estrie » included (vocabulaires.yml)."""
    if field == "territoires":
        return {
            e.name for e in directory.enterprises if code in served_per_yaml(e.data.territoires)
        }
    return {e.name for e in directory.enterprises if code in getattr(e.data, field)}


# --- the index -------------------------------------------------------------------


def test_index_holds_exactly_the_listing_and_event_pages_in_french(sample_site, directory):
    entry = json.loads((sample_site / "pagefind/0/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["fr"]  # French stemming
    assert entry["languages"]["fr"]["page_count"] == len(directory.enterprises) + len(
        directory.events
    )
    assert (sample_site / "recherche/index.html").exists()
    assert (sample_site / "ma-selection/index.html").exists()


def test_search_page_gets_what_python_owns_from_the_build(sample_site):
    """search.js repeats no constant: sort keys, page addresses and facet values come
    from the page's search-data block, written from the same sources as the index."""
    from vitrine import urls

    page = BeautifulSoup(
        (sample_site / "recherche/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    data = json.loads(page.select_one("#search-data").string)
    assert tuple(data["sorts"]) == search.SORTS
    assert data["event_sort"] == search.EVENT_SORT
    assert [o["value"] for o in page.select("#search-sort option")] == ["", *search.SORTS]
    assert data["enterprise_path"] == urls.enterprise("{slug}")
    labels = load_vocabularies(ROOT / "content/vocabulaires.yml")
    values = {group["key"]: group["values"] for group in data["groups"]}
    assert values["territoire"] == labels["territoires"]
    assert values["secteur"] == labels["secteurs"]
    assert set(values["fiche"]) == {"entreprise", "evenement"}  # never past events
    script = (ROOT / "theme/static/js/search.js").read_text(encoding="utf-8")
    assert '"nom"' not in script and '"maj"' not in script and "entreprises/" not in script


def indexed_pages(site) -> dict[str, dict]:
    """Every page Pagefind indexed, by address: the text it indexed and its metadata."""
    pages = {}
    for fragment in site.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        pages[record["url"]] = record
    return pages


def test_index_holds_what_buyers_search_once_and_no_boilerplate(sample_site, directory):
    """Issue 8: at province scale every indexed word costs indexer memory and download."""
    pages = indexed_pages(sample_site)
    labels = load_vocabularies(ROOT / "content/vocabulaires.yml")
    for enterprise in directory.enterprises:
        d = enterprise.data
        indexed = pages[f"/entreprises/{enterprise.slug}/"]
        text, meta = indexed["content"], indexed["meta"]
        assert enterprise.name in text
        assert all(item.nom in text for item in d.offre)
        # Mission, labels and town are searchable through their metadata only.
        assert meta["mission"] == d.mission and d.mission not in text
        assert meta["ville"] == d.adresse.ville
        assert meta["forme"] == labels.label("formes_juridiques", d.forme_juridique)
        for code in d.secteurs:
            assert labels.label("secteurs", code) in meta["secteurs"]
        # Repeated headings, contacts, figures and the shortlist button are left out.
        for boilerplate in ("Nous joindre", "En bref", "Fiche en ligne", "Ma sélection"):
            assert boilerplate not in text, (enterprise.slug, boilerplate)
        if d.contact.telephone:
            assert d.contact.telephone not in text
        # No JSON in the metadata: Pagefind indexes every metadata word.
        assert not any(value.lstrip().startswith(("{", "[")) for value in meta.values())
    for event in directory.events:
        text = pages[f"/evenements/{event.slug}/"]["content"]
        assert event.name in text
        assert "Tous les événements" not in text


@pytest.mark.parametrize("shards", ["un lot", "plusieurs lots"])
def test_sort_orders_hold_every_indexed_page_once_in_the_order_a_buyer_expects(
    request, shards, directory
):
    """tri-<key>.json names each page by its shard and its id in search results."""
    site = request.getfixturevalue("sample_site" if shards == "un lot" else "sharded_site")

    def address(token: str) -> str:
        lot, page_id = token.split("/")
        fragment = site / f"pagefind/{lot}/fragment/{page_id}.pf_fragment"
        return json.loads(gzip.decompress(fragment.read_bytes())[len(b"pagefind_dcd") :])["url"]

    def order(key: str) -> list[str]:
        tokens = json.loads((site / f"pagefind/tri-{key}.json").read_text(encoding="utf-8"))
        return [address(token) for token in tokens]

    enterprises = {f"/entreprises/{e.slug}/": e for e in directory.enterprises}
    events = {f"/evenements/{e.slug}/" for e in directory.events}
    by_name, by_update = order("nom"), order("maj")
    assert sorted(by_name) == sorted(by_update) == sorted([*enterprises, *events])
    assert [url for url in by_name if url in enterprises] == list(enterprises)  # French order
    # « É » among the E, not after Z as code points would have it.
    ebenisterie = by_name.index("/entreprises/ebenisterie-bois-franc-nova/")
    assert ebenisterie < by_name.index("/entreprises/emballages-solidaires-bromont/")
    stamps = [freshest(enterprises[url]) for url in by_update[: len(enterprises)]]
    assert stamps == sorted(stamps, reverse=True)
    assert set(by_update[len(enterprises) :]) == events  # events have no update: last


# --- helpers: drive the search page like a person ------------------------------------


def search_page(browser, site_url: str, query: str = "", **kwargs):
    page = open_page(browser, f"{site_url}/recherche/{'?q=' + query if query else ''}", **kwargs)
    wait_for_results(page)
    return page


def shown(page) -> int:
    """How many searches the page has shown (search.js counts them in data-shown)."""
    return int(page.get_attribute("#recherche", "data-shown") or 0)


def total(page) -> int:
    return int(re.search(r"(\d+) résultats?", page.locator("[data-summary]").inner_text())[1])


def tick(page, group: str, value: str) -> None:
    """Tick a facet value, opening its group first."""
    open_facet(page, group)
    before = shown(page)
    page.locator(f'.facet[data-group="{group}"]').get_by_label(value, exact=False).first.check()
    wait_for_results(page, before)


def choose_sort(page, value: str) -> None:
    before = shown(page)
    page.select_option("#search-sort", value)
    wait_for_results(page, before)


# --- search ------------------------------------------------------------------------


def test_sector_word_finds_every_listing_of_that_sector(browser, any_url, directory):
    page = search_page(browser, any_url, "traiteur")
    found = set(result_titles(page))
    assert names_with(directory, "secteurs", "traiteur-alimentation") <= found
    # Results say why they matched and where the enterprise works, not just a title.
    cordee = page.locator(".search-hit", has_text="Coopérative d'alimentation La Cordée")
    assert cordee.locator("mark").count()
    assert "Territoires\u00a0: Le Haut-Saint-François" in cordee.inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize(
    ("typed", "sector"),
    [("demenagement", "demenagement-transport"), ("ebenisterie", "ebenisterie")],
)
def test_spelling_without_accents_finds_accented_words(browser, site_url, directory, typed, sector):
    page = search_page(browser, site_url, typed)
    assert names_with(directory, "secteurs", sector) <= set(result_titles(page))
    assert page.console_errors == []


def test_territory_facet_narrows_results_and_counts_follow(browser, any_url, directory):
    page = search_page(browser, any_url)  # no query: every enterprise
    everything = len(directory.enterprises)
    assert total(page) == everything
    sectors_before = facet_counts(page, "secteur")
    territories_before = facet_counts(page, "territoire")

    tick(page, "territoire", "Sherbrooke")

    in_sherbrooke = names_with(directory, "territoires", "sherbrooke")
    assert set(result_titles(page)) == in_sherbrooke
    assert total(page) == len(in_sherbrooke) < everything
    sectors_after = facet_counts(page, "secteur")
    assert sectors_after != sectors_before
    assert sum(sectors_after.values()) < sum(sectors_before.values())
    assert sectors_after["Traiteur et alimentation"] == len(
        in_sherbrooke & names_with(directory, "secteurs", "traiteur-alimentation")
    )
    # A facet's own counts ignore its selection: the other territories stay choosable.
    assert facet_counts(page, "territoire") == territories_before
    assert parse_qs(urlsplit(page.url).query)["territoire"] == ["sherbrooke"]  # the code

    tick(page, "territoire", "Coaticook")  # values of one facet are alternatives
    either = in_sherbrooke | names_with(directory, "territoires", "coaticook")
    assert set(result_titles(page)) == either
    assert page.console_errors == []


def test_facets_and_sort_orders_load_only_when_a_buyer_asks(browser, any_url, directory):
    """At province scale the facets' data weighs more than a first search (issue 8)."""
    page = search_page(browser, any_url, "traiteur")

    def fetched(part: str) -> list[str]:
        return [url for url in page.requested if part in urlsplit(url).path]

    assert fetched(".pf_index") and fetched(".pf_fragment")
    # Only the small « fiche » filter (enterprises by default), one file per shard.
    shards = page.get_attribute("#recherche", "data-shards").split()
    assert len(set(fetched(".pf_filter"))) == len(shards)
    assert fetched("/tri-") == []
    assert page.locator(".facet[open]").count() == 0

    counts = facet_counts(page, "secteur")  # opening one group brings every facet
    assert len(set(fetched(".pf_filter"))) > len(shards)
    caterers = names_with(directory, "secteurs", "traiteur-alimentation")
    assert counts["Traiteur et alimentation"] == len(caterers)
    assert facet_counts(page, "territoire")

    choose_sort(page, "maj")  # only that sort's list
    assert [urlsplit(url).path.rsplit("/", 1)[1] for url in fetched("/tri-")] == ["tri-maj.json"]
    assert facet_counts(page, "secteur") == counts
    assert page.console_errors == []


def test_facet_groups_stay_while_their_data_loads_and_count_the_latest_search(browser, sharded_url):
    page = search_page(browser, sharded_url)
    held, released = [], []

    def hold(route):
        (route.continue_() if released else held.append(route))

    page.route("**/*.pf_filter", hold)
    page.locator('.facet[data-group="secteur"] summary').click()
    before = shown(page)
    page.fill("#search-q", "coop")  # a search while the facets' data is on its way
    wait_for_results(page, before)
    assert held
    assert page.locator(".facet:visible").count() == page.locator(".facet").count()
    opened = page.locator('.facet[data-group="secteur"]')
    assert opened.locator(".facet-note").inner_text() == "Chargement des filtres…"

    released.append(True)
    for route in held:
        route.continue_()
    counts = facet_counts(page, "secteur")
    assert counts == facet_counts(search_page(browser, sharded_url, "coop"), "secteur")
    assert opened.locator(".facet-note").is_hidden()
    assert page.console_errors == []


def test_an_address_with_a_sort_and_ticked_facets_opens_as_it_was_shared(
    browser, any_url, directory
):
    page = search_page(browser, any_url, "&tri=nom&fiche=Entreprise&territoire=Sherbrooke")
    assert page.locator("#search-sort").input_value() == "nom"
    territory = page.locator('.facet[data-group="territoire"]')
    assert territory.get_attribute("open") is not None
    assert territory.get_by_label("Sherbrooke", exact=False).first.is_checked()
    open_facet(page, "fiche")
    assert page.locator('.facet[data-group="fiche"]').get_by_label("Entreprise").is_checked()
    in_sherbrooke = [
        e.name for e in directory.enterprises if "sherbrooke" in served_per_yaml(e.data.territoires)
    ]
    assert result_titles(page) == in_sherbrooke  # in French order
    assert page.locator("[data-clear]").is_visible()
    assert facet_counts(page, "secteur")
    assert page.console_errors == []


def test_sorting_by_name_and_by_update_keeps_every_listing(browser, any_url, directory):
    page = search_page(browser, any_url)

    choose_sort(page, "nom")
    assert "tri=nom" in page.url
    by_name = result_titles(page)
    assert by_name == [e.name for e in directory.enterprises]  # French order

    choose_sort(page, "maj")
    by_update = result_titles(page)
    assert sorted(by_update) == sorted(e.name for e in directory.enterprises)
    stamps = {e.name: freshest(e) for e in directory.enterprises}
    assert [stamps[name] for name in by_update] == sorted(stamps.values(), reverse=True)
    assert page.console_errors == []


def test_events_come_when_asked_for_upcoming_only_soonest_first(browser, any_url, directory):
    page = search_page(browser, any_url, "&fiche=evenement")
    upcoming = sorted(
        (e for e in directory.events if e.is_upcoming(directory.build_time)),
        key=lambda e: e.data.debut,
    )
    assert len(upcoming) < len(directory.events)  # the sample has past events too
    assert result_titles(page) == [e.name for e in upcoming]
    assert page.console_errors == []


def test_header_search_box_leads_to_results_from_any_page(browser, site_url):
    page = open_page(browser, f"{site_url}/repertoire/")
    page.fill("#site-search-q", "imprimerie")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=imprimerie"))
    wait_for_results(page)
    assert page.input_value("#search-q") == "imprimerie"
    assert total(page) > 0
    assert page.console_errors == []


def test_without_javascript_search_says_so_and_links_to_browse_pages(browser, site_url):
    page = open_page(browser, f"{site_url}/recherche/?q=traiteur", javascript=False)
    notice = page.locator(".search-notice")
    assert "JavaScript" in notice.inner_text()
    links = notice.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert {"/repertoire/", "/secteurs/", "/territoires/"} <= set(links)
    assert not page.locator("#recherche").is_visible()
    # No dead shortlist controls either.
    listing = open_page(browser, f"{site_url}/repertoire/", javascript=False)
    assert listing.locator(".shortlist-toggle").count() > 0
    assert listing.locator(".shortlist-toggle:visible").count() == 0
    assert not listing.locator(".shortlist-nav").is_visible()
    assert listing.locator("form.site-search").get_attribute("action") == "/recherche/"


# --- accessibility and looks -------------------------------------------------------


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_search_page_passes_axe(browser, site_url, directory, viewport):
    width = viewport["width"]
    page = search_page(browser, site_url, "recyclage", viewport=viewport)
    tick(page, "langue", "Français")
    page.locator(".search-hit .shortlist-toggle").first.click()
    screenshot(page, f"recherche-{width}")
    assert axe_violations(page) == []
    assert page.console_errors == []
