"""Events: the events page, each event's page, its JSON-LD and the iCalendar files.

Everything is read back as a person's tools would read it: HTML parsed with
BeautifulSoup, JSON-LD with json, calendars with the icalendar library.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup
from helpers import BUILD_DATE, FIXTURES, ROOT, build, load_sample, make_content, memory_site, soup
from vitrine.outputs import ical
from vitrine.settings import read as read_vitrine_settings

SITE = "https://repertoire.economiesociale-estrie.example"
TORONTO = "America/Toronto"
MAILLAGE = "2026-12-maillage-sherbrooke"  # upcoming on BUILD_DATE, free, three enterprises
ATELIER = "2026-03-formation-appels-d-offres-east-angus"  # past on BUILD_DATE, 25 $


def calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def json_ld(page: BeautifulSoup) -> dict:
    (script,) = page.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def event_file(title: str, start: str, end: str, **fields: str) -> str:
    """An event's Markdown file; ``fields`` replace or add front-matter lines."""
    lines = {
        "titre": json.dumps(title, ensure_ascii=False),
        "type": "formation",
        "debut": start,
        "fin": end,
        "lieu": "\n  nom: Le Parvis\n  adresse: 87, rue Frontenac\n  ville: Sherbrooke",
        "public": "tous",
        "prix": "0",
        "entreprises": "[coop-exemple]",
        **fields,
    }
    header = "\n".join(f"{key}: {value}" for key, value in lines.items())
    return f"---\n{header}\n---\nUne description.\n"


def scratch_site(tmp_path: Path, events: dict[str, str], **settings) -> Path:
    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    files = {"enterprises/coop-exemple.md": listing}
    files |= {f"events/{slug}.md": text for slug, text in events.items()}
    return build(make_content(tmp_path, files), tmp_path / "out", **settings)


def words(text: str) -> str:
    """Text with every run of spaces (no-break ones too) as one plain space."""
    return " ".join(text.split())


def card_links(section) -> list[str]:
    return [a["href"] for a in section.select(".card h3 a")]


# --- the events page ---------------------------------------------------------


def test_build_date_decides_what_is_upcoming_and_archive_is_newest_first(tmp_path):
    site = scratch_site(
        tmp_path,
        {
            "fevrier": event_file("Février", "2027-02-03 09:00", "2027-02-03 12:00"),
            "juin": event_file("Juin", "2026-06-10 09:00", "2026-06-10 12:00"),
            "janvier": event_file("Janvier", "2027-01-20 09:00", "2027-01-20 12:00"),
            # Started before the build date, still running: it is not over yet.
            "en-cours": event_file("En cours", "2026-11-26 09:00", "2026-11-28 17:00"),
            "octobre": event_file("Octobre", "2026-10-01 09:00", "2026-10-01 12:00"),
        },
        VITRINE_BUILD_DATE="2026-11-27 12:00",
    )
    page = soup(site / "evenements/index.html")
    upcoming, archive = page.select_one("#a-venir").parent, page.select_one("#archives").parent
    assert card_links(upcoming) == [
        "/evenements/en-cours/",
        "/evenements/janvier/",
        "/evenements/fevrier/",
    ]
    assert card_links(archive) == ["/evenements/octobre/", "/evenements/juin/"]
    ongoing = upcoming.select_one(".card:has(a[href='/evenements/en-cours/'])")
    assert words(ongoing.select_one(".event-when").get_text()) == (
        "26 novembre 2026, 9 h – 28 novembre 2026, 17 h"
    )


def test_source_date_epoch_fixes_the_build_date_too(tmp_path, monkeypatch):
    july = dt.datetime(2027, 7, 1, 16, 0, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(july.timestamp())))
    site = scratch_site(
        tmp_path,
        {"juin": event_file("Juin", "2027-06-10 09:00", "2027-06-10 12:00")},
        VITRINE_BUILD_DATE=None,
    )
    page = soup(site / "evenements/index.html")
    assert "Aucun événement prévu pour le moment." in page.select_one("#a-venir").parent.get_text()
    assert card_links(page.select_one("#archives").parent) == ["/evenements/juin/"]
    event = soup(site / "evenements/juin/index.html")
    assert "Cet événement est terminé." in event.select_one(".notice").get_text()
    assert not event.select(".event-actions")  # no registering for, or adding, a past event
    (stamped,) = calendar(site / "evenements/juin/evenement.ics").walk("VEVENT")
    assert stamped["DTSTAMP"].dt == july


def test_events_page_offers_the_feed_as_webcal_and_https(sample_site):
    page = soup(sample_site / "evenements/index.html")
    hrefs = [a["href"] for a in page.select(".calendar-feed a")]
    assert f"webcal://{SITE.removeprefix('https://')}/evenements/calendrier.ics" in hrefs
    assert "/evenements/calendrier.ics" in hrefs
    assert page.select_one(".calendar-feed input")["value"] == f"{SITE}/evenements/calendrier.ics"
    alternate = page.select_one('link[rel="alternate"][type="text/calendar"]')
    assert alternate["href"] == "/evenements/calendrier.ics"
    assert (sample_site / "evenements/calendrier.ics").is_file()


def test_event_cards_say_when_what_where_and_if_free(sample_site):
    page = soup(sample_site / "evenements/index.html")
    card = page.select_one(f'.card:has(a[href="/evenements/{MAILLAGE}/"])')
    when = card.select_one(".event-when").get_text()
    assert words(when) == "10 décembre 2026, 8 h 30 – 11 h 30"
    # a narrow screen never breaks « 8 h 30 » apart or starts a line with the dash
    assert (
        "8\N{NO-BREAK SPACE}h\N{NO-BREAK SPACE}30\N{NO-BREAK SPACE}– 11\N{NO-BREAK SPACE}h" in when
    )
    assert card.select_one(".meta").get_text(" ", strip=True) == (
        "Activité de maillage · Sherbrooke · Acheteurs et entreprises · Gratuit"
    )


# --- one event's page -----------------------------------------------------------


def test_event_page_shows_time_place_audience_price_and_registration(sample_site):
    page = soup(sample_site / f"evenements/{MAILLAGE}/index.html")
    article = page.select_one("article.event[data-pagefind-body]")
    assert article.h1.get_text() == "Matinée de maillage acheteurs–entreprises"
    assert article.select_one(".event-kind").get_text() == "Activité de maillage"
    facts = dict(
        zip(
            [dt_.get_text() for dt_ in article.select(".facts dt")],
            [dd.get_text(" ", strip=True) for dd in article.select(".facts dd")],
            strict=True,
        )
    )
    assert words(facts["Quand"]) == "10 décembre 2026, 8 h 30 – 11 h 30 (heure de l'Est)"
    assert facts["Où"] == (
        "Carrefour solidaire de Sherbrooke 1200, rue King Ouest, Sherbrooke (Québec) J1H 1M3"
    )
    assert facts["Pour qui"] == "Acheteurs et entreprises"
    assert facts["Prix"] == "Gratuit"
    times = [t["datetime"] for t in article.select(".facts time")]
    assert times == ["2026-12-10T08:30:00-05:00", "2026-12-10T11:30:00-05:00"]
    register = article.find("a", string="S'inscrire")
    assert register["href"] == "https://rees-estrie.example/inscription/maillage-decembre"
    add = article.find("a", string="Ajouter à mon calendrier")
    assert add["href"] == f"/evenements/{MAILLAGE}/evenement.ics"
    assert (sample_site / add["href"].lstrip("/")).is_file()


def test_event_page_links_each_enterprise_to_its_listing(sample_site):
    page = soup(sample_site / f"evenements/{MAILLAGE}/index.html")
    links = {a.get_text(): a["href"] for a in page.select("#entreprises + ul a")}
    assert links == {
        "Coop de solidarité Les Jardins du Granit": "/entreprises/coop-les-jardins-du-granit/",
        "L'Atelier d'impression Mots et Marges": "/entreprises/atelier-mots-et-marges/",
        "Coopérative de travail Entretien Lumière": "/entreprises/coop-entretien-lumiere/",
    }
    for href in links.values():
        assert (sample_site / href.lstrip("/") / "index.html").is_file()
        listing = soup(sample_site / href.lstrip("/") / "index.html")
        assert listing.select_one(f'a[href="/evenements/{MAILLAGE}/"]')


def test_paid_past_event_shows_its_price_and_no_registration(sample_site):
    page = soup(sample_site / f"evenements/{ATELIER}/index.html")
    prices = [
        dd.get_text()
        for dt_, dd in zip(page.select(".facts dt"), page.select(".facts dd"), strict=True)
        if dt_.get_text() == "Prix"
    ]
    assert prices == ["25\N{NO-BREAK SPACE}$"]
    assert page.select_one(".notice").get_text() == "Cet événement est terminé."
    assert page.find("a", string="S'inscrire") is None


def test_json_ld_describes_the_event_with_offsets_place_and_offer(sample_site):
    free = json_ld(soup(sample_site / f"evenements/{MAILLAGE}/index.html"))
    assert free["@type"] == "Event" and free["@context"] == "https://schema.org"
    assert free["name"] == "Matinée de maillage acheteurs–entreprises"
    assert free["url"] == f"{SITE}/evenements/{MAILLAGE}/"
    assert (free["startDate"], free["endDate"]) == (
        "2026-12-10T08:30:00-05:00",
        "2026-12-10T11:30:00-05:00",
    )
    assert free["eventStatus"] == "https://schema.org/EventScheduled"
    assert free["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert free["location"] == {
        "@type": "Place",
        "name": "Carrefour solidaire de Sherbrooke",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "1200, rue King Ouest",
            "addressLocality": "Sherbrooke",
            "postalCode": "J1H 1M3",
            "addressRegion": "QC",
            "addressCountry": "CA",
        },
    }
    assert free["organizer"]["@type"] == "Organization"
    assert free["isAccessibleForFree"] is True
    assert free["offers"]["price"] == "0.00" and free["offers"]["priceCurrency"] == "CAD"
    assert f"{SITE}/entreprises/atelier-mots-et-marges/" in [c["url"] for c in free["contributor"]]
    assert "<" not in free["description"]
    paid = json_ld(soup(sample_site / f"evenements/{ATELIER}/index.html"))
    assert paid["isAccessibleForFree"] is False
    assert (paid["offers"]["price"], paid["offers"]["priceCurrency"]) == ("25.00", "CAD")
    assert paid["startDate"] == "2026-03-18T09:00:00-04:00"  # daylight time already


def test_text_in_json_ld_cannot_close_the_script_element(tmp_path):
    title = "Atelier </script><script>alert(1)</script> & <!-- fin"
    site = scratch_site(
        tmp_path, {"piege": event_file(title, "2027-01-20 09:00", "2027-01-20 12:00")}
    )
    html = (site / "evenements/piege/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    page = BeautifulSoup(html, "html.parser")
    scripts = page.find_all("script")
    assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts)
    assert json_ld(page)["name"] == title


# --- iCalendar ------------------------------------------------------------------


def test_feed_holds_every_event_with_zone_uid_and_url(sample_site):
    feed = calendar(sample_site / "evenements/calendrier.ics")
    sources = sorted(p.stem for p in (ROOT / "content/events").glob("*.md"))
    events = feed.walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == [
        f"{slug}@repertoire.economiesociale-estrie.example" for slug in sources
    ]
    assert [tz.tz_name for tz in feed.timezones] == [TORONTO]
    assert feed.get_missing_tzids() == set()
    for event in events:
        slug = str(event["UID"]).split("@")[0]
        assert event["URL"] == f"{SITE}/evenements/{slug}/"
        assert event["DTSTART"].params["TZID"] == TORONTO
        assert event.start.tzinfo.key == TORONTO and event.end > event.start
        assert (
            event["DTSTAMP"].dt
            == read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time()
        )
    assert feed.calendar_name == "L'économie sociale, j'achète! — Événements"
    assert feed["X-WR-CALNAME"] == feed.calendar_name
    assert feed.refresh_interval == dt.timedelta(hours=12)
    assert feed["METHOD"] == "PUBLISH"


def test_one_event_file_imports_with_local_times_place_and_plain_text(sample_site):
    cal = calendar(sample_site / f"evenements/{MAILLAGE}/evenement.ics")
    (event,) = cal.walk("VEVENT")
    assert [tz.tz_name for tz in cal.timezones] == [TORONTO]
    assert (event.start.isoformat(), event.end.isoformat()) == (
        "2026-12-10T08:30:00-05:00",
        "2026-12-10T11:30:00-05:00",
    )
    assert event.start.tzinfo.key == TORONTO
    assert event["SUMMARY"] == "Matinée de maillage acheteurs–entreprises"
    assert (
        event["LOCATION"]
        == "Carrefour solidaire de Sherbrooke, 1200, rue King Ouest, Sherbrooke (Québec) J1H 1M3"
    )
    description = str(event["DESCRIPTION"])
    assert "<" not in description and "**" not in description
    assert "\n- 8 h 30 : accueil et café\n- 9 h : bilan de la campagne\n" in description
    assert "Inscription : https://rees-estrie.example/inscription/maillage-decembre" in description
    assert event["URL"] == f"{SITE}/evenements/{MAILLAGE}/"
    assert event["UID"] == f"{MAILLAGE}@repertoire.economiesociale-estrie.example"
    assert event.categories == ["Activité de maillage"]
    assert "UID" not in cal  # no random calendar UID


def test_two_builds_write_byte_identical_calendars(sample_site, tmp_path):
    again = build(ROOT / "content", tmp_path / "again")
    first = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*.ics"))
    assert first == sorted(p.relative_to(again) for p in again.rglob("*.ics"))
    # One per event and the feed, on each site (French, English).
    assert len(first) == 2 * (len(list((ROOT / "content/events").glob("*.md"))) + 1)
    for name in first:
        assert (sample_site / name).read_bytes() == (again / name).read_bytes(), name


def test_updates_raise_sequence_and_last_modified_from_file_history():
    directory = load_sample()
    site = memory_site(directory)
    event = directory.events[0]
    event.added, event.updated, event.revisions = dt.date(2026, 1, 5), dt.date(2026, 1, 5), 1
    first = ical.vevent(site, event)
    assert first["SEQUENCE"] == 0
    event.revisions = 2  # changed again the same day: still a new revision
    assert ical.vevent(site, event)["SEQUENCE"] == 1
    event.updated, event.revisions = dt.date(2026, 2, 9), 3  # and again, later
    second = ical.vevent(site, event)
    assert second["SEQUENCE"] == 2
    assert second["LAST-MODIFIED"].dt == dt.datetime(2026, 2, 9, tzinfo=dt.UTC)
    assert second["UID"] == first["UID"] == f"{event.slug}@exemple.example"
    event.added = event.updated = None  # no history: a fixed, low sequence
    event.revisions = 0
    assert ical.vevent(site, event)["SEQUENCE"] == 0
    assert "LAST-MODIFIED" not in ical.vevent(site, event)


def test_description_html_becomes_readable_plain_text():
    html = (
        "<p>Un <strong>atelier</strong> &amp; un dîner\nensemble.</p>\n"
        "<ul>\n<li>lire un devis;</li>\n<li>calculer un prix</li>\n</ul>\n<p>Fin<br>\nà 16 h</p>"
    )
    assert ical.plain_text(html) == (
        "Un atelier & un dîner ensemble.\n\n- lire un devis;\n- calculer un prix\n\nFin\nà 16 h"
    )


# --- read as a person would: a 390 px phone ---------------------------------------


@pytest.mark.browser
def test_events_page_fits_a_390px_phone(browser, site_url):
    from browser import PHONE, open_page, screenshot

    for path, name in (("/evenements/", "events"), (f"/evenements/{MAILLAGE}/", "event")):
        page = open_page(browser, site_url + path, viewport=PHONE)
        screenshot(page, f"{name}-390")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width} px)"
        assert page.console_errors == []
        subscribe = page.request.get(site_url + "/evenements/calendrier.ics")
        assert subscribe.ok and subscribe.headers["content-type"].startswith("text/calendar")
        page.context.close()
