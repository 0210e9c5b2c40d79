"""iCalendar files for the events: one ``.ics`` per event and one feed of them all.

Calendar clients recognise an event by its UID and keep the newest copy by
(SEQUENCE, then DTSTAMP). So, for an update to replace an event, never duplicate it:

- UID is ``<slug>@<site host>``: the same on every build, never random.
- SEQUENCE counts the event file's commits after the first (git history, the
  same source as the listings' freshness dates), and LAST-MODIFIED is the last
  commit's day: every committed change raises SEQUENCE, even two on one day.
  A content hash could not do this (it is not ordered); a counter bumped on every
  build would tell clients an unchanged event changed. Without history (no git,
  shallow clone) the event has SEQUENCE 0 and no LAST-MODIFIED: publish from a
  full clone, or sequences go back down and Google ignores the next changes.
- DTSTAMP is the build's "now" (``config.build_time``, one value per build), never
  read from the clock here: with ``VITRINE_BUILD_DATE`` or ``SOURCE_DATE_EPOCH``
  two builds write byte-identical files.

Times are local (``TZID=America/Toronto``) with one VTIMEZONE, the same text in
the feed and in every event's file, valid for every year since 2007 through two
RRULEs. Not icalendar's ``Timezone.from_tzid``: it writes the first year's
changes in DTSTART and the next ones in RDATE, which Mozilla's ical.js
(Thunderbird) reads an hour off, and it covers only the file's own years, so a
client that keeps the first definition of a zone it meets misplaces the others.
The build checks the rules against the tz database for the years it publishes.

Each site has its calendars (``en/evenements/…`` for English): the same events and
UIDs, the event's English title and description where it gives them. In the English
files, SUMMARY and DESCRIPTION say their language (``LANGUAGE=en`` or ``fr``, RFC 5545),
since an event without English text keeps its French; the French files are as they were.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urlsplit

import icalendar
import nh3

from .. import urls
from ..build.site import Report, Site
from ..content.model import Event
from ..content.schema import TIMEZONE
from ..formatting import place_fr
from ..problems import BuildError

PRODID = "-//REES-Estrie//Vitrine//FR"
# How often subscribed clients should fetch the feed again (RFC 7986; Outlook
# reads X-PUBLISHED-TTL instead).
REFRESH = dt.timedelta(hours=12)

_BLOCK_END = re.compile(r"</(p|ul|ol|h[1-6]|blockquote|pre|table)>|<hr\s*/?>")
_LINE_END = re.compile(r"</li>|</tr>|<br\s*/?>")
_CELL_END = re.compile(r"</t[dh]>")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(description_html: str) -> str:
    """The sanitised description as text a calendar shows: paragraphs and bullets kept."""
    text = _BLOCK_END.sub("\n\n", " ".join(description_html.split("\n")))
    text = _LINE_END.sub("\n", _CELL_END.sub(" | ", text)).replace("<li>", "- ")
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = (" ".join(line.split()).removesuffix(" |") for line in text.splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def location(event: Event) -> str:
    place = event.data.lieu
    town = place_fr(place.ville, place.code_postal)
    return ", ".join(part for part in (place.nom, place.adresse, town) if part)


def uid(site, event: Event) -> str:
    return f"{event.slug}@{_host(site)}"


def _host(site) -> str:
    return urlsplit(site.absolute_url("")).hostname or "localhost"


def _sequence(event: Event) -> int:
    """Every commit after the first is a revision calendars must take."""
    if event.revisions:
        return event.revisions - 1
    return 0


def _utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


# The calendars' own words, in each site's language.
WORDS = {
    "fr": {
        "registration": "Inscription : {}",
        "details": "Détails : {}",
        "name": "Événements",
        "description": "Formations, activités de maillage, visites et conférences de la campagne.",
    },
    "en": {
        "registration": "Registration: {}",
        "details": "Details: {}",
        "name": "Events",
        "description": "Training, matchmaking activities, visits and talks of the campaign.",
    },
}


def vevent(site, event: Event, language: str = "") -> icalendar.Event:
    """One event as a VEVENT for ``language``'s site (the main one by default): local
    times, stable UID, absolute page URL."""
    d = event.data
    main = site.settings.language
    language = language or main
    words = WORDS.get(language, WORDS["fr"])
    text = event.text(language)
    page = site.absolute_url(urls.Localized(language, main).event(event.slug))
    notes = [plain_text(text.description_html.text)]
    if d.inscription:
        notes.append(words["registration"].format(d.inscription))
    notes.append(words["details"].format(page))
    component = icalendar.Event.new(
        uid=uid(site, event),
        stamp=site.directory.build_time.astimezone(dt.UTC),
        sequence=_sequence(event),
        last_modified=_utc_midnight(event.updated) if event.updated else None,
        start=d.debut,
        end=d.fin,
        summary=text.title.text,
        location=location(event),
        description="\n\n".join(n for n in notes if n),
        url=page,
        categories=[
            site.directory.vocabularies.in_language(language).label("types_evenements", d.type)
        ],
    )
    if language != main:
        component["SUMMARY"].params["LANGUAGE"] = text.title.language
        component["DESCRIPTION"].params["LANGUAGE"] = text.description_html.language
    component.add("STATUS", "CONFIRMED")
    component.add("CLASS", "PUBLIC")
    return component


# Canada's and the United States' daylight-saving rules since 2007, as Toronto keeps them.
RULES_SINCE = 2007
VTIMEZONE = icalendar.Timezone.from_ical(
    "BEGIN:VTIMEZONE\r\n"
    f"TZID:{TIMEZONE.key}\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:20070311T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"
    "TZNAME:EDT\r\n"
    "TZOFFSETFROM:-0500\r\n"
    "TZOFFSETTO:-0400\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:20071104T020000\r\n"
    "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"
    "TZNAME:EST\r\n"
    "TZOFFSETFROM:-0400\r\n"
    "TZOFFSETTO:-0500\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def _sunday(year: int, month: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))


def rules_hold(year: int) -> bool:
    """Whether VTIMEZONE's rules give the tz database's offsets all through ``year``."""
    if year < RULES_SINCE:
        return False
    spring = dt.datetime.combine(_sunday(year, 3, 2), dt.time(7), tzinfo=dt.UTC)  # 2 h EST
    autumn = dt.datetime.combine(_sunday(year, 11, 1), dt.time(6), tzinfo=dt.UTC)  # 2 h EDT
    second = dt.timedelta(seconds=1)
    expected = {
        dt.datetime(year, 1, 1, 5, tzinfo=dt.UTC): -5,
        spring - second: -5,
        spring: -4,
        autumn - second: -4,
        autumn: -5,
        dt.datetime(year, 12, 31, 23, tzinfo=dt.UTC): -5,
    }
    return all(
        moment.astimezone(TIMEZONE).utcoffset() == dt.timedelta(hours=hours)
        for moment, hours in expected.items()
    )


def _check_rules(events: list[Event]) -> None:
    """Stop the build rather than publish times an hour off (old events, a new law)."""
    years = {e.data.debut.year for e in events} | {e.data.fin.year for e in events}
    wrong = sorted(year for year in years if not rules_hold(year))
    if wrong:
        raise BuildError(
            "Vitrine : le fuseau horaire des calendriers (outputs/ical.py, VTIMEZONE) ne "
            f"suit pas les règles de {TIMEZONE.key} en "
            + ", ".join(map(str, wrong))
            + " : mettez ses règles à jour avant de publier ces événements."
        )


def _calendar(site, events: list[Event], language: str, **properties) -> icalendar.Calendar:
    calendar = icalendar.Calendar.new(prodid=PRODID, method="PUBLISH", **properties)
    if "uid" not in properties:
        del calendar["UID"]  # Calendar.new() would have made a random one
    _check_rules(events)
    calendar.add_component(VTIMEZONE)
    for event in events:
        calendar.add_component(vevent(site, event, language))
    return calendar


def event_calendar(site, event: Event, language: str = "") -> bytes:
    """The "add to my calendar" file of one event, for ``language``'s site."""
    return _calendar(site, [event], language or site.settings.language).to_ical()


def feed(site, language: str = "") -> bytes:
    """Every event, past and upcoming, as a calendar clients subscribe to."""
    main = site.settings.language
    language = language or main
    localized = urls.Localized(language, main)
    words = WORDS.get(language, WORDS["fr"])
    events = site.directory.events
    title = f"{site.settings.site_name} — {words['name']}"
    _check_rules(events)
    calendar = _calendar(
        site,
        [],  # the events are added below, as text kept from the last build
        language,
        # One subscription per site: the English one is another calendar.
        uid=f"evenements@{_host(site)}"
        if language == main
        else f"evenements-{language}@{_host(site)}",
        name=title,
        description=words["description"],
        url=site.absolute_url(localized.events()),
        source=site.absolute_url(localized.events_calendar()),
        refresh_interval=REFRESH,
    )
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", TIMEZONE.key)
    updates = [e.updated for e in events if e.updated]
    if updates:
        calendar.last_modified = _utc_midnight(max(updates))
    # A calendar's text is its properties, then each component's own text: each event's is
    # made again only when it changed (Writer.kept), which is most of the feed's time.
    stamp = site.directory.build_time.isoformat()  # each event's DTSTAMP
    kept = [
        site.writer.kept(
            f"vevent {language} {stamp}",
            event,
            lambda event=event: vevent(site, event, language).to_ical().decode("utf-8"),
        )
        for event in events
    ]
    end = b"END:VCALENDAR\r\n"
    head = calendar.to_ical()
    assert head.endswith(end)
    return head[: -len(end)] + "".join(kept).encode("utf-8") + end


def write(site: Site) -> Report:
    stamp = site.directory.build_time
    write = site.writer.write_file
    events = site.directory.events
    files = []
    for language in site.settings.site_languages:
        localized = urls.Localized(language, site.settings.language)
        files += [
            write(
                localized.event_calendar(event.slug),
                lambda event=event, language=language: event_calendar(site, event, language),
                inputs=[event, stamp],  # DTSTAMP is the build's time
            )
            for event in events
        ]
        files.append(
            write(
                localized.events_calendar(),
                lambda language=language: feed(site, language),
                inputs=[events, stamp],
            )
        )
    return Report("calendriers", tuple(files))
