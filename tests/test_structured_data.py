"""schema.org JSON-LD as a search engine reads it: the properties Google documents for
Organization and Event, each value compared with what the page shows or links to.

Every enterprise and event page of the sample site is checked, and the small
listing site for a logo (no sample listing has one).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, load_sample, memory_site
from vitrine.content.vocabulary import load_vocabularies
from vitrine.outputs import jsonld

SITE = "https://repertoire.economiesociale-estrie.example"
SCHEMA = "https://schema.org"


def page_and_data(path: Path) -> tuple[BeautifulSoup, dict]:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    (script,) = page.select('script[type="application/ld+json"]')
    return page, json.loads(script.string)


def enterprise_pages(site: Path) -> list[Path]:
    return sorted((site / "entreprises").glob("*/index.html"))


def event_pages(site: Path) -> list[Path]:
    return sorted((site / "evenements").glob("*/index.html"))


def output_file(site: Path, url: str) -> Path:
    """The file of the built site an absolute URL of the sample site points at."""
    assert url.startswith(f"{SITE}/"), url
    return site / url.removeprefix(f"{SITE}/")


# --- Organization ------------------------------------------------------------


def test_every_organisation_has_its_name_address_and_own_contacts(sample_site):
    pages = enterprise_pages(sample_site)
    assert len(pages) == len(load_sample().enterprises)
    for path in pages:
        page, data = page_and_data(path)
        assert data["@type"] == "Organization"
        assert data["name"] == page.h1.get_text()
        assert data["mainEntityOfPage"] == f"{SITE}/{path.parent.relative_to(sample_site)}/"
        assert data["address"]["addressCountry"] == "CA" and data["address"]["addressRegion"]
        contact = page.select_one(".quick-contact")
        emails = [a["href"].removeprefix("mailto:") for a in contact.select('a[href^="mailto:"]')]
        assert data.get("email") == (emails[0] if emails else None), path
        if "postalCode" in data["address"]:
            assert data["address"]["postalCode"] in page.select_one("#joindre + address").text


def test_telephone_is_international_as_the_page_links_it(sample_site):
    with_phone = 0
    for path in enterprise_pages(sample_site):
        page, data = page_and_data(path)
        link = page.select_one('.quick-contact a[href^="tel:"]')
        if link is None:
            assert "telephone" not in data, path
            continue
        with_phone += 1
        assert data["telephone"] == link["href"].removeprefix("tel:")
        assert data["telephone"].startswith("+1") and len(data["telephone"]) >= 12
        digits = "".join(c for c in link.get_text() if c.isdigit())
        assert data["telephone"].removeprefix("+1").startswith(digits[:10])
    assert with_phone == sum(1 for e in load_sample().enterprises if e.data.contact.telephone)


def test_url_is_the_organisation_own_website_or_absent(sample_site):
    without = 0
    for path in enterprise_pages(sample_site):
        page, data = page_and_data(path)
        websites = [
            a["href"]
            for a in page.select(".quick-contact a[href]")
            if a["href"].startswith(("http://", "https://"))
        ]
        if websites:
            assert data["url"] == websites[0], path
        else:
            without += 1
            assert "url" not in data, path
        assert not data.get("url", "").startswith(SITE)
    assert without == sum(1 for e in load_sample().enterprises if not e.data.contact.site_web)
    assert without > 0


def test_logo_is_the_picture_the_page_shows(listing_site):
    page, data = page_and_data(listing_site / "entreprises/coop-elan/index.html")
    src = page.select_one("img.logo")["src"]
    assert data["logo"] == "https://annuaire.example" + src
    assert (listing_site / src.lstrip("/")).is_file()
    _, other = page_and_data(listing_site / "entreprises/atelier-hostile/index.html")
    assert "logo" not in other


def words(text: str) -> str:
    """Text as compared: French typography's no-break spaces read as spaces."""
    return " ".join(text.split())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_language_page_describes_the_organisation_as_it_shows_it(sample_site, language):
    labels = load_vocabularies(ROOT / "content/vocabulaires.yml").in_language(language)
    root = sample_site / "en" if language == "en" else sample_site
    pages = enterprise_pages(root)
    assert len(pages) == len(load_sample().enterprises)
    for path in pages:
        page, data = page_and_data(path)
        slug = path.parent.name
        address = f"{SITE}/{path.parent.relative_to(sample_site)}/"
        if language == "fr":  # the main language's: the plain address, as before
            assert data["mainEntityOfPage"] == address
        else:
            assert data["mainEntityOfPage"] == {
                "@type": "WebPage",
                "@id": address,
                "inLanguage": page.html["lang"],
            }
        assert data["@id"] == f"{SITE}/entreprises/{slug}/#organisation"  # one organisation
        assert data["description"] == words(page.select_one(".lead").get_text()), path
        offers = data["hasOfferCatalog"]["itemListElement"]
        assert [words(o["name"]) for o in offers] == [
            words(name.get_text()) for name in page.select(".offer-name")
        ], path
        areas = [area["name"] for area in data["areaServed"]]
        directory = next(e for e in load_sample().enterprises if e.slug == slug)
        assert areas == [labels.label("territoires", c) for c in directory.data.territoires]


def test_the_english_description_is_the_listing_english_mission(sample_site):
    translated = [e for e in load_sample().enterprises if e.data.en and e.data.en.mission]
    assert translated
    for enterprise in translated:
        _, data = page_and_data(sample_site / f"en/entreprises/{enterprise.slug}/index.html")
        assert data["description"] == enterprise.data.en.mission
        _, french = page_and_data(sample_site / f"entreprises/{enterprise.slug}/index.html")
        assert french["description"] == enterprise.data.mission


def test_english_event_pages_give_english_labels_and_their_own_address(sample_site):
    english = load_vocabularies(ROOT / "content/vocabulaires.yml").in_language("en")
    for event in load_sample().events:
        page, data = page_and_data(sample_site / f"en/evenements/{event.slug}/index.html")
        assert data["name"] == words(page.h1.get_text())
        assert data["url"] == data["mainEntityOfPage"]["@id"]
        assert data["url"] == f"{SITE}/en/evenements/{event.slug}/"
        assert data["mainEntityOfPage"]["inLanguage"] == "en"
        assert data["@id"] == f"{SITE}/evenements/{event.slug}/#evenement"
        assert data["keywords"] == english.label("types_evenements", event.data.type)
        assert data["audience"]["audienceType"] == english.label("publics", event.data.public)
        assert data["organizer"]["url"] == f"{SITE}/en/"
        for contributor in data.get("contributor", []):
            assert contributor["url"].startswith(f"{SITE}/en/entreprises/")


# --- Event -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def events_by_slug():
    return {event.slug: event for event in load_sample().events}


def test_every_event_has_what_search_engines_require_and_recommend(sample_site, events_by_slug):
    pages = event_pages(sample_site)
    assert len(pages) == len(events_by_slug)
    for path in pages:
        page, data = page_and_data(path)
        event = events_by_slug[path.parent.name]
        # The page's title carries French typography's no-break spaces; the data, the words.
        assert data["@type"] == "Event" and data["name"] == " ".join(page.h1.get_text().split())
        assert data["url"] == f"{SITE}/evenements/{event.slug}/"
        assert (data["startDate"], data["endDate"]) == (
            event.data.debut.isoformat(),
            event.data.fin.isoformat(),
        )
        assert data["eventStatus"] == f"{SCHEMA}/EventScheduled"
        assert data["description"]
        assert data["organizer"]["name"] and data["organizer"]["url"] == f"{SITE}/"
        shown = " ".join(page.select_one(".facts address").get_text(" ").split())
        place = data["location"]
        assert place["name"] in shown
        address = place["address"]
        assert (
            address["postalCode"] == event.data.lieu.code_postal and address["postalCode"] in shown
        )
        assert address["streetAddress"] in shown and address["addressLocality"] in shown
        assert (address["addressRegion"], address["addressCountry"]) == ("QC", "CA")
        assert data["image"]
        for image in data["image"]:
            assert output_file(sample_site, image).is_file(), image


def test_offers_say_what_the_page_offers_now(sample_site, events_by_slug):
    past = upcoming = 0
    for path in event_pages(sample_site):
        page, data = page_and_data(path)
        event = events_by_slug[path.parent.name]
        if event.data.prix is None:
            assert "offers" not in data
            continue
        offer = data["offers"]
        assert offer["price"] == f"{event.data.prix:.2f}" and offer["priceCurrency"] == "CAD"
        register = page.find("a", string="S'inscrire")
        if page.select_one(".notice"):  # « Cet événement est terminé. »
            past += 1
            assert offer["availability"] == f"{SCHEMA}/OutOfStock"
            assert register is None and offer["url"] == data["url"]
        else:
            upcoming += 1
            assert offer["availability"] == f"{SCHEMA}/InStock"
            assert offer["url"] == (register["href"] if register else data["url"])
        if "validFrom" in offer:  # from git history: absent in a shallow clone
            assert dt.datetime.fromisoformat(offer["validFrom"]) <= dt.datetime.fromisoformat(
                data["startDate"]
            )
    assert past and upcoming


def test_valid_from_is_the_day_the_event_was_announced_if_before_it():
    directory = load_sample()
    site = memory_site(directory)
    event = next(e for e in directory.events if e.data.prix is not None)
    event.added = event.data.debut.date() - dt.timedelta(days=30)
    offer = json.loads(jsonld.event_json_ld(directory, site.settings, event))["offers"]
    assert (
        offer["validFrom"]
        == dt.datetime.combine(event.added, dt.time(), event.data.debut.tzinfo).isoformat()
    )
    event.added = event.data.debut.date() + dt.timedelta(days=1)  # entered afterwards
    offer = json.loads(jsonld.event_json_ld(directory, site.settings, event))["offers"]
    assert "validFrom" not in offer
