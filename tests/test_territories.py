"""A buyer's question gets the right answer: catch-all territories, certifications, prices.

Expected answers are computed from the sample listings and from vocabulaires.yml
read here (helpers.served_per_yaml), never from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from helpers import (
    ROOT,
    build,
    catch_alls_per_yaml,
    load_sample,
    served_per_yaml,
)
from vitrine.content.history import FileDates, apply_dates
from vitrine.content.vocabulary import VocabularyError, load_vocabularies
from vitrine.formatting import money_fr
from vitrine.outputs.search.index import sorted_pages


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(site: Path, url: str) -> list[str]:
    """Names of the cards on a browse page and on each page after it (rel=next)."""
    names: list[str] = []
    while url:
        page = soup(site / url.lstrip("/") / "index.html")
        names += [a.get_text() for a in page.select("main .card h3 a")]
        following = page.select_one("main .pager a[rel=next]")
        url = following["href"] if following else ""
    return names


@pytest.fixture(scope="module")
def small_pages_site(tmp_path_factory) -> Path:
    """The sample content with four listings a page, so browse pages paginate."""
    return build(
        ROOT / "content", tmp_path_factory.mktemp("small-pages") / "output", VITRINE_PAGE_SIZE=4
    )


# --- browse pages by territory ------------------------------------------------------


def test_each_territory_page_lists_every_enterprise_that_serves_it(small_pages_site):
    directory = load_sample()
    codes = list(directory.vocabularies["territoires"])
    assert codes
    for code in codes:
        expected = sorted(
            e.name for e in directory.enterprises if code in served_per_yaml(e.data.territoires)
        )
        shown = listed(small_pages_site, f"/territoires/{code}/")
        assert sorted(shown) == expected, code
        assert len(shown) == len(set(shown)), code  # each once, across pages


def test_catch_alls_reach_the_territories_they_cover(sample_site):
    """The issue's case: Sherbrooke lists listings that serve all Estrie without naming it."""
    directory = load_sample()
    through_catch_all = [
        e.name
        for e in directory.enterprises
        if "sherbrooke" not in e.data.territoires
        and "sherbrooke" in served_per_yaml(e.data.territoires)
    ]
    assert through_catch_all  # the sample has some
    assert set(through_catch_all) <= set(listed(sample_site, "/territoires/sherbrooke/"))


def test_the_listing_shows_the_territories_it_wrote(sample_site):
    directory = load_sample()
    labels = directory.vocabularies["territoires"]
    catch_alls = catch_alls_per_yaml()
    wide = [e for e in directory.enterprises if catch_alls & set(e.data.territoires)]
    assert wide
    for enterprise in wide:
        page = soup(sample_site / f"entreprises/{enterprise.slug}/index.html")
        shown = [a.get_text() for a in page.select(".fact-territories a")]
        assert shown == [labels[c] for c in enterprise.data.territoires]
        # The search index: the filter knows every served territory, the metadata what was written.
        filters = [s.get_text() for s in page.select('[data-pagefind-filter="territoire"]')]
        assert sorted(filters) == sorted(
            labels[c] for c in served_per_yaml(enterprise.data.territoires)
        )
        meta = page.select_one('[data-pagefind-meta="territoires"]').get_text()
        assert meta == " · ".join(labels[c] for c in enterprise.data.territoires)


def test_the_home_page_counts_real_territories_only(sample_site):
    directory = load_sample()
    catch_alls = catch_alls_per_yaml()
    served = {c for e in directory.enterprises for c in served_per_yaml(e.data.territoires)}
    real = served - catch_alls
    stats = soup(sample_site / "index.html").select_one(".stats").get_text(" ", strip=True)
    assert f"{len(real)} territoires desservis" in stats


def test_the_territory_index_counts_what_each_page_lists(sample_site):
    directory = load_sample()
    page = soup(sample_site / "territoires/index.html")
    for li in page.select(".counts li"):
        count = int(li.select_one(".count").contents[0])
        assert count == len(listed(sample_site, li.a["href"])), li.a["href"]
    assert len(page.select(".counts li")) == len(directory.vocabularies["territoires"])


def test_open_data_keeps_what_was_written_and_adds_what_is_covered(sample_site):
    directory = load_sample()
    records = {
        r["code"]: r
        for r in json.loads((sample_site / "donnees/entreprises.json").read_text("utf-8"))[
            "entreprises"
        ]
    }
    text = (sample_site / "donnees/entreprises.csv").read_bytes().decode("utf-8-sig")
    rows = {row["Code"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    labels = directory.vocabularies["territoires"]
    for enterprise in directory.enterprises:
        record = records[enterprise.slug]
        assert [t["code"] for t in record["territoires"]] == enterprise.data.territoires
        covered = [t["code"] for t in record["territoires_couverts"]]
        assert set(covered) == served_per_yaml(enterprise.data.territoires)
        assert covered[: len(enterprise.data.territoires)] == enterprise.data.territoires
        row = rows[enterprise.slug]
        assert row["Codes territoires"] == " | ".join(enterprise.data.territoires)
        assert row["Territoires couverts"] == " | ".join(labels[c] for c in covered)
    # Added after the columns that were there before it; later columns come after it.
    header = list(rows[directory.enterprises[0].slug])
    assert header.index("Territoires couverts") == header.index("Dernière mise à jour") + 1


# --- the vocabulary file's couvertures ----------------------------------------------


def test_served_gives_the_written_codes_then_what_they_cover_in_list_order(vocabularies):
    order = list(vocabularies["territoires"])
    for codes in (["tout-le-quebec"], ["sherbrooke", "toute-l-estrie"], ["coaticook"], []):
        served = vocabularies.served("territoires", codes)
        assert served[: len(codes)] == codes
        assert len(served) == len(set(served))
        rest = served[len(codes) :]
        assert rest == sorted(rest, key=order.index)
        assert set(served) == served_per_yaml(codes)
    assert vocabularies.served("secteurs", ["informatique"]) == ["informatique"]


def test_couvertures_is_not_a_list_of_labels(vocabularies):
    assert "couvertures" not in vocabularies.lists
    with pytest.raises(KeyError):
        vocabularies["couvertures"]


def vocabulary_file(tmp_path: Path, covers: str) -> Path:
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    head = text.split("\ncouvertures:")[0].rstrip("\n")
    path = tmp_path / "vocabulaires.yml"
    path.write_text(f"{head}\n\ncouvertures:\n{covers}", encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


@pytest.mark.parametrize(
    ("covers", "at", "words"),
    [
        (
            "  territoire:\n    toute-l-estrie: [sherbrooke]\n",
            "  territoire:",
            ["« territoire » n'est pas une liste", "territoires"],
        ),
        (
            "  territoires:\n    toute-lestrie: [sherbrooke]\n",
            "toute-lestrie",
            ["« toute-lestrie » n'est pas un code", "« toute-l-estrie »"],
        ),
        (
            "  territoires:\n    toute-l-estrie:\n      - sherbrooke\n      - magog\n",
            "- magog",
            ["« magog » n'est pas un code de la liste « territoires »"],
        ),
        (
            "  territoires:\n    toute-l-estrie: [tout-le-quebec]\n"
            "    tout-le-quebec: [toute-l-estrie]\n",
            "tout-le-quebec: [toute-l-estrie]",  # the line that closes the cycle
            ["cycle", "toute-l-estrie couvre tout-le-quebec couvre toute-l-estrie"],
        ),
        (
            "  territoires:\n    tout-le-quebec: [tout-le-quebec]\n",
            "tout-le-quebec: [tout-le-quebec]",
            ["cycle", "se couvrir elle-même"],
        ),
        (
            "  territoires:\n    toute-l-estrie:\n      code: sherbrooke\n",
            "    toute-l-estrie:",
            ["écrivez la liste des codes couverts"],
        ),
        ("  - territoires\n", "couvertures:", ["doit associer une liste"]),
    ],
    ids=[
        "unknown-list",
        "unknown-code",
        "unknown-covered-code",
        "cycle",
        "self",
        "not-a-list",
        "shape",
    ],
)
def test_couvertures_mistakes_are_reported_in_french_with_their_line(tmp_path, covers, at, words):
    path = vocabulary_file(tmp_path, covers)
    with pytest.raises(VocabularyError) as caught:
        load_vocabularies(path)
    err = caught.value
    assert err.line == line_of(path, at)
    assert str(err).startswith(f"{path}:{err.line}: ")
    for word in words:
        assert word in err.message


def test_other_vocabulary_mistakes_have_their_line_too(tmp_path):
    path = tmp_path / "vocabulaires.yml"
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("  sherbrooke:\n", "  Sherbrooke:\n"), "utf-8")
    with pytest.raises(VocabularyError) as caught:
        load_vocabularies(path)
    assert caught.value.line == line_of(path, "  Sherbrooke:")
    assert "minuscules sans accents" in caught.value.message


def test_validate_reports_a_vocabulary_mistake_at_its_line(tmp_path, capsys):
    from vitrine.__main__ import main

    content = tmp_path / "content"
    (content / "enterprises").mkdir(parents=True)
    (content / "events").mkdir()
    path = vocabulary_file(content, "  territoires:\n    toute-l-estrie: [magog]\n")
    assert main(["validate", "--content", str(content)]) == 1
    out = capsys.readouterr().out
    assert f":{line_of(path, '[magog]')}: " in out and "« magog »" in out


# --- browse pages by certification -------------------------------------------------


def test_each_certification_has_a_browse_page_without_javascript(sample_site):
    directory = load_sample()
    codes = list(directory.vocabularies["certifications"])
    index = soup(sample_site / "certifications/index.html")
    assert [li.a["href"] for li in index.select(".counts li")] == [
        f"/certifications/{c}/" for c in codes
    ]
    for code in codes:
        expected = sorted(e.name for e in directory.enterprises if code in e.data.certifications)
        page = soup(sample_site / f"certifications/{code}/index.html")
        assert not page.select("main script")
        assert page.select_one("h1").get_text() == directory.vocabularies.label(
            "certifications", code
        )
        assert sorted(listed(sample_site, f"/certifications/{code}/")) == expected


def test_certifications_are_reachable_from_home_nav_and_listing(sample_site):
    directory = load_sample()
    home = soup(sample_site / "index.html")
    assert home.select_one('header nav a[href="/certifications/"]')
    section = home.find(id="par-certification").parent
    certified = {c for e in directory.enterprises for c in e.data.certifications}
    assert {a["href"] for a in section.select(".counts a")} == {
        f"/certifications/{c}/" for c in certified
    }
    enterprise = next(e for e in directory.enterprises if e.data.certifications)
    page = soup(sample_site / f"entreprises/{enterprise.slug}/index.html")
    assert [a["href"] for a in page.select(".fact-certifications a")] == [
        f"/certifications/{c}/" for c in enterprise.data.certifications
    ]


# --- event prices on cards ----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal(25), "25\u00a0$"),
        (Decimal(25000), "25\u00a0000\u00a0$"),
        (Decimal("12.50"), "12,50\u00a0$"),
        (Decimal("1234567.5"), "1\u00a0234\u00a0567,50\u00a0$"),
    ],
)
def test_money_is_written_the_quebec_way(amount, shown):
    assert money_fr(amount) == shown


def test_event_cards_show_the_price_or_free(sample_site):
    directory = load_sample()
    page = soup(sample_site / "evenements/index.html")
    cards = {card.h3.a["href"]: card for card in page.select(".event-card")}
    priced = [e for e in directory.events if e.data.prix]
    assert priced and [e for e in directory.events if e.data.prix == 0]
    for event in directory.events:
        meta = cards[f"/evenements/{event.slug}/"].select_one(".meta").get_text()
        if event.data.prix is None:
            assert "$" not in meta and "Gratuit" not in meta
        elif event.data.prix == 0:
            assert meta.endswith("· Gratuit")
        else:
            assert meta.endswith(f"· {int(event.data.prix)}\u00a0$")


# --- sorting by last update ---------------------------------------------------------


def test_the_listing_update_date_wins_over_history():
    """Committed after its own update date: the listing's date still sorts it."""
    written = dt.date(2025, 1, 10)
    record = SimpleNamespace(
        source=ROOT / "content/enterprises/x.md",
        data=SimpleNamespace(date_ajout=None, date_mise_a_jour=written),
    )
    git = FileDates(added=dt.date(2026, 11, 27), updated=dt.date(2026, 11, 27), revisions=1)
    apply_dates([record], {record.source.resolve(): git})
    assert record.updated == written and record.added == git.added
    # Without a date of its own, history decides, never before the addition.
    record.data.date_mise_a_jour = None
    apply_dates([record], {record.source.resolve(): git})
    assert record.updated == git.updated


def test_sort_by_update_follows_the_listings_own_dates():
    """Every file committed on one day, after the update dates the listings write."""
    directory = load_sample()
    commit_day = dt.date(2026, 11, 27)
    history = {}
    for enterprise in directory.enterprises:
        enterprise.data = enterprise.data.model_copy(update={"date_ajout": None})
        history[enterprise.source.resolve()] = FileDates(commit_day, commit_day, 1)
    apply_dates(directory.enterprises, history)
    dated = [e for e in directory.enterprises if e.data.date_mise_a_jour]
    assert len(dated) > 1 and all(e.data.date_mise_a_jour < commit_day for e in dated)
    order = sorted_pages(directory)["maj"]
    by_date = sorted(dated, key=lambda e: e.data.date_mise_a_jour, reverse=True)
    shown = sorted(dated, key=lambda e: order.index(f"entreprises/{e.slug}/index.html"))
    assert [e.slug for e in shown] == [e.slug for e in by_date]
    # Listings without a date of their own come first: history says they changed last.
    undated = {f"entreprises/{e.slug}/index.html" for e in directory.enterprises} - {
        f"entreprises/{e.slug}/index.html" for e in dated
    }
    assert set(order[: len(undated)]) == undated


def test_the_news_feed_still_calls_a_listing_new_when_its_own_date_is_older():
    """Brought in on the commit day with an older update date: new, and dated by its arrival."""
    import xml.etree.ElementTree as ET

    from vitrine.outputs import feeds

    directory = load_sample()
    brought, other = directory.enterprises[:2]
    brought.added, brought.updated = dt.date(2026, 11, 27), dt.date(2025, 1, 10)
    other.added, other.updated = dt.date(2024, 1, 1), dt.date(2026, 6, 1)
    site = SimpleNamespace(
        absolute_url=lambda url: f"https://x.example/{url}",
        directory=SimpleNamespace(
            enterprises=[other, brought], vocabularies=directory.vocabularies
        ),
        commits={},  # no history: the dates above are all there is
        settings=SimpleNamespace(digest_import_threshold=10, language="fr"),
    )
    chosen = feeds.entries(site, 10)
    assert [n.enterprise for n in chosen] == [brought, other]
    feed = ET.Element("feed")
    feeds._entry(site, feed, chosen[0], ROOT / "content")
    terms = [c.get("term") for c in feed.iter() if c.tag.endswith("category")]
    assert "nouvelle" in terms
    assert next(c.text for c in feed.iter() if c.tag.endswith("updated")).startswith("2026-11-27")
