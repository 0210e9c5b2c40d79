"""Calendars as other programs read them: every event at its right time, in every file.

icalendar writes the files; here they are read by Mozilla's ical.js (Thunderbird,
many web calendars; through Node, from tests/node_modules) and by vobject, and
every event's start and end in UTC is compared with its listing's. The sample
events span two years and both seasons (2026-03 to 2027-05).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vobject
from helpers import load_sample, memory_site
from vitrine.content.schema import TIMEZONE
from vitrine.outputs import ical
from vitrine.problems import BuildError

ICAL_JS = Path(__file__).parent / "ical_times.mjs"
NODE_MODULES = Path(__file__).parent / "node_modules"


def calendar_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.ics"))


@pytest.fixture(scope="module")
def expected() -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Each event's UID prefix (its slug) → its start and end in UTC, from its listing."""
    return {
        event.slug: (event.data.debut.astimezone(dt.UTC), event.data.fin.astimezone(dt.UTC))
        for event in load_sample().events
    }


def test_sample_events_cover_both_seasons_of_two_years(expected):
    seasons = {
        (start.year, start.astimezone(TIMEZONE).dst() != dt.timedelta(0))
        for start, _ in expected.values()
    }
    assert {(2026, True), (2026, False), (2027, True), (2027, False)} <= seasons


@pytest.fixture(scope="module")
def ical_js_times(sample_site) -> dict[str, list[list[str]]]:
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "ical.js").is_dir():
        pytest.fail("Node and ical.js are needed: run `npm ci --prefix tests`")
    files = [str(path) for path in calendar_files(sample_site)]
    run = subprocess.run(
        [node, str(ICAL_JS), *files], capture_output=True, text=True, check=True, timeout=120
    )
    return json.loads(run.stdout)


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_ical_js_reads_every_event_at_its_time_in_every_file(sample_site, ical_js_times, expected):
    files = calendar_files(sample_site)
    assert len(files) == 2 * (len(expected) + 1)  # one per event and the feed, in each language
    seen = set()
    for path in files:
        events = ical_js_times[str(path)]
        assert events, path
        for uid, start, end in events:
            slug = uid.split("@")[0]
            seen.add(slug)
            assert (utc(start), utc(end)) == expected[slug], (path.name, slug)
    assert seen == set(expected)


def test_vobject_reads_every_event_at_its_time_in_every_file(sample_site, expected):
    """One process reads every file in turn: vobject keeps the first definition of a
    zone it meets, so a definition that covered one year only would misplace others."""
    for path in calendar_files(sample_site):
        calendar = vobject.readOne(path.read_text(encoding="utf-8"))
        for event in calendar.vevent_list:
            slug = event.uid.value.split("@")[0]
            start, end = event.dtstart.value, event.dtend.value
            assert start.tzinfo is not None and end.tzinfo is not None
            times = (start.astimezone(dt.UTC), end.astimezone(dt.UTC))
            assert times == expected[slug], (path.name, slug)


def test_every_file_defines_the_zone_once_the_same_way_with_rules(sample_site):
    definitions = set()
    for path in calendar_files(sample_site):
        text = path.read_text(encoding="utf-8")
        assert text.count("BEGIN:VTIMEZONE") == 1, path
        definitions.add(text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")])
    (definition,) = definitions
    assert "RDATE" not in definition
    assert "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3" in definition
    assert "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11" in definition


def test_the_zone_rules_match_the_tz_database_from_2007_on():
    assert all(ical.rules_hold(year) for year in range(ical.RULES_SINCE, 2040))
    assert not ical.rules_hold(2006)  # first Sunday of April then


def test_an_event_the_rules_do_not_cover_stops_the_build():
    directory = load_sample()
    event = directory.events[0]
    event.data = event.data.model_copy(
        update={
            "debut": event.data.debut.replace(year=2006),
            "fin": event.data.fin.replace(year=2006),
        }
    )
    with pytest.raises(BuildError, match="2006"):
        ical.feed(memory_site(directory))
