"""The Atom feed of new and updated listings (outputs/feeds.py).

ElementTree writes it; it is read back here with ElementTree and with
feedparser, the parser newsletter and feed-reader tools are built on, so a
feed that only its writer understands would fail.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from helpers import ATOM, PNG, build, listing, make_content, soup, validated_feed
from helpers import DIGEST_SITE as SITE

FEED = "flux/nouveautes.atom"
HOSTILE_NAME = 'Coop </script><script>alert("x")</script> & Fils'


@pytest.fixture
def site(digest_site) -> Path:
    """The digest's period built once for the session (conftest.digest_site)."""
    return digest_site


def parsed(site: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse((site / FEED).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def utc(parsed_date: time.struct_time) -> str:
    """A date as feedparser gives it (in UTC), to the minute."""
    return time.strftime("%Y-%m-%d %H:%M", parsed_date)


def test_atom_feed_lists_dated_listings_newest_first_with_absolute_links_and_logos(site):
    feed = ET.parse(site / "flux/nouveautes.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Future Coop",
        "Coop Fin de mois",
        "Atelier Mis à jour",
        "Nouvelle Coop",
        "Coop Vectorielle",
        "Ancienne Coop",
    ]  # undated listings (no history, no front matter) have no place in "what's new"
    nouvelle = entries[3]
    assert nouvelle.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/entreprises/nouvelle/"  # fmt: skip
    enclosure = nouvelle.find(f"{ATOM}link[@rel='enclosure']")
    assert (enclosure.get("href"), enclosure.get("type"), enclosure.get("length")) == (
        f"{SITE}/images/nouvelle.png", "image/png", str(len(PNG)),
    )  # fmt: skip
    assert nouvelle.findtext(f"{ATOM}updated") == "2026-12-05T00:00:00-05:00"
    assert feed.findtext(f"{ATOM}updated") == "2027-01-02T00:00:00-05:00"
    content = BeautifulSoup(nouvelle.findtext(f"{ATOM}content"), "html.parser")
    assert content.img["alt"] == "Logo de Nouvelle Coop"


def test_feedparser_reads_the_feed_with_its_links_dates_and_author(site):
    feed = parsed(site)
    assert feed.feed.title == "Vitrine d'essai — nouveautés du répertoire"
    assert feed.feed.id == f"{SITE}/{FEED}"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{SITE}/{FEED}", "alternate": f"{SITE}/"}
    assert feed.feed.author == "Vitrine d'essai"
    assert utc(feed.feed.updated_parsed) == "2027-01-02 05:00"  # Montréal midnight, in UTC
    assert feed.feed.language == "fr"


def test_feedparser_reads_each_entry_as_a_newsletter_tool_would(site):
    entries = parsed(site).entries
    assert [e.title for e in entries] == [
        "Future Coop",
        "Coop Fin de mois",
        "Atelier Mis à jour",
        "Nouvelle Coop",
        "Coop Vectorielle",
        "Ancienne Coop",
    ]
    for entry in entries:
        assert entry.id == entry.link and entry.link.startswith(f"{SITE}/entreprises/")
        assert entry.published_parsed <= entry.updated_parsed
        assert entry.summary == f"Mission de {entry.title}."
    by_title = {e.title: e for e in entries}
    updated = by_title["Atelier Mis à jour"]
    assert utc(updated.published_parsed) == "2025-01-01 05:00"
    assert utc(updated.updated_parsed) == "2026-12-20 05:00"
    kinds = {e.title: e.tags[0].term for e in entries}
    assert kinds["Atelier Mis à jour"] == kinds["Ancienne Coop"] == "mise-a-jour"
    assert kinds["Nouvelle Coop"] == kinds["Future Coop"] == "nouvelle"
    sector = by_title["Nouvelle Coop"].tags[1]
    assert (sector.term, sector.label) == ("traiteur-alimentation", "Traiteur et alimentation")
    logo = f"{SITE}/images/nouvelle.png"
    (enclosure,) = by_title["Nouvelle Coop"].enclosures
    assert (enclosure.href, enclosure.type, enclosure.length) == (logo, "image/png", str(len(PNG)))
    assert by_title["Nouvelle Coop"].media_thumbnail == [{"url": logo}]
    assert by_title["Coop Fin de mois"].enclosures == []  # no logo, no enclosure
    html = BeautifulSoup(by_title["Nouvelle Coop"].content[0].value, "html.parser")
    assert [li.get_text() for li in html.select("ul li")] == ["Service"]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory) -> Path:
    """Four dated listings (the newest with a hostile name and a logo, two added the
    same day) and an undated one, in a feed of three entries."""
    root = tmp_path_factory.mktemp("feed")
    content = make_content(root, {
        "enterprises/hostile.md": listing(HOSTILE_NAME, added="2026-11-01", logo="images/h.png"),
        "enterprises/b-meme-jour.md": listing("Coop B", added="2026-10-01"),
        "enterprises/a-meme-jour.md": listing("Coop A", added="2026-10-01"),
        "enterprises/ancienne.md": listing("Coop Ancienne", added="2026-01-01"),
        "enterprises/sans-date.md": listing("Coop Sans Date"),
    })  # fmt: skip
    (content / "images").mkdir()
    (content / "images/h.png").write_bytes(PNG)
    return build(content, root / "output", VITRINE_SITE_URL=SITE + "/", VITRINE_FEED_SIZE=3)


def test_the_feed_size_setting_keeps_the_newest_and_a_tie_goes_by_address(small_site):
    entries = parsed(small_site).entries
    assert [e.link for e in entries] == [
        f"{SITE}/entreprises/hostile/",
        f"{SITE}/entreprises/a-meme-jour/",
        f"{SITE}/entreprises/b-meme-jour/",
    ]


def test_a_hostile_name_stays_text_in_the_feed(small_site):
    raw = (small_site / FEED).read_text(encoding="utf-8")
    assert "<script" not in raw  # escaped in the title, escaped twice in the HTML content
    entry = ET.parse(small_site / FEED).getroot().find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == HOSTILE_NAME
    content = BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser")
    assert content.find("script") is None
    assert content.img["alt"] == f"Logo de {HOSTILE_NAME}"
    assert content.p.find_next("p").get_text() == f"Mission de {HOSTILE_NAME}."
    assert parsed(small_site).entries[0].title == HOSTILE_NAME


def test_a_directory_with_no_dated_listing_has_an_empty_feed_dated_by_the_build(tmp_path):
    content = make_content(tmp_path, {"enterprises/sans-date.md": listing("Coop Sans Date")})
    site = build(content, tmp_path / "output", VITRINE_SITE_URL=SITE + "/")
    feed = parsed(site)
    assert feed.entries == []
    assert utc(feed.feed.updated_parsed) == "2026-11-27 05:00"  # BUILD_DATE's day


# --- The feed, checked by a parser the project does not write with ----------------


def test_atom_feed_passes_an_independent_validator(site):
    assert validated_feed(site)


def test_sample_feed_gives_each_listing_its_own_change_time(sample_site):
    assert validated_feed(sample_site)
    feed = ET.parse(sample_site / "flux/nouveautes.atom").getroot()
    stamps = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    # Only the listings one commit really changed together share a time.
    assert max(stamps.count(s) for s in stamps) < 13


def test_home_page_and_directory_advertise_the_feed(site):
    for page in ("index.html", "repertoire/index.html"):
        link = soup(site / page).find("link", rel="alternate", type="application/atom+xml")
        assert link and link["href"].endswith("/flux/nouveautes.atom"), page
