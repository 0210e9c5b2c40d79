"""Nothing lost: re-read what was written and compare it with the valid listings.

A listing that validates but is missing from its page, the search index, an
export or the calendar has been lost silently, which is worse than a failed
build. So the audit reads the output folder itself — never what the outputs say
they did — and names every listing or event missing from (or extra in) each:

* pages: ``entreprises/<slug>/index.html`` and ``evenements/<slug>/index.html``;
* the search index: the pages each Pagefind bundle's metadata lists;
* open data: the rows of ``donnees/entreprises.csv`` and ``.json``;
* calendars: the events of ``evenements/calendrier.ics``, and one file per event;
* the other languages' sites (``en/``): their pages and their own search index.

The build runs it after writing (and fails), ``python -m vitrine audit output/``
runs it on any built folder, before a deploy for instance.
"""

from __future__ import annotations

import csv
import functools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import ijson

from .. import urls
from ..content.model import Directory
from ..outputs.search import shards
from ..outputs.search.index import BUNDLE_FOLDER
from ..problems import BuildError
from .site import Report


class LostListingsError(BuildError):
    """Raised when an output holds fewer (or more) listings than were validated."""

    def __init__(self, mismatches: list[str]):
        self.mismatches = mismatches
        super().__init__(
            "Vitrine : des fiches valides manquent dans le site produit (ou y sont en "
            "trop); la construction est arrêtée pour n'en perdre aucune :\n"
            + "\n".join(f"- {line}" for line in mismatches)
        )


@dataclass(frozen=True)
class Found:
    """What one output holds, read back from disk: slugs, or None if it is unreadable."""

    label: str  # in French: what a person reads in the message
    kind: str  # "entreprises" or "événements"
    slugs: set[str] | None
    problem: str = ""  # why it could not be read


class Memo:
    """What the last audit read from each file, by the file's size and modification time.

    A file the build did not touch since (same size, same nanosecond mtime) holds what
    it held, so a rebuild reads again only the files it wrote: at 2,000 listings,
    0.9 s → 0.3 s. The build keeps ``fresh`` in its record; the command-line audit
    reads everything.
    """

    def __init__(self, known: dict | None = None):
        self.known = known if isinstance(known, dict) else {}
        self.fresh: dict[str, tuple] = {}

    def read(self, path: Path, reader):
        try:
            stat = path.stat()
        except OSError:
            return reader(path)  # which says why
        stamp = (stat.st_size, stat.st_mtime_ns)
        known = self.known.get(str(path))
        value = known[1] if known and known[0] == stamp else reader(path)
        self.fresh[str(path)] = (stamp, value)
        return value


_FOLD = re.compile("\r\n[ \t]")  # a long content line goes on after a line break and a space


def _slug_of_page(path: str) -> str:
    """``entreprises/<slug>/index.html`` (or its URL) → ``<slug>``."""
    return path.strip("/").removesuffix("index.html").strip("/").rsplit("/", 1)[-1]


def _pages(output: Path, page_url) -> set[str]:
    """Slugs that have a page on disk, wherever urls.py puts that kind of page."""
    return {p.parent.name for p in output.glob(urls.save_as(page_url("*"))) if p.stat().st_size > 0}


def _search(output: Path, language: str, memo: Memo) -> tuple[set[str], set[str]] | str:
    """(enterprise slugs, event slugs) the search index holds, or why it can't be read.

    ``language``: the folder of another language's site (``en``), its pages and bundles.
    """
    prefix = f"{language}/" if language else ""
    folder = output / prefix / BUNDLE_FOLDER
    bundles = sorted(p.parent for p in folder.glob("*/pagefind-entry.json"))
    if not bundles:  # none at all: every listing is named as missing (none on an empty site)
        return set(), set()
    enterprise_prefix = prefix + urls.save_as(urls.enterprise("x")).split("/")[0] + "/"
    event_prefix = prefix + urls.save_as(urls.event("x")).split("/")[0] + "/"
    pages = []
    for bundle in bundles:
        try:
            names = shards.records(bundle)
        except (OSError, ValueError, KeyError, TypeError) as err:
            return f"index illisible ({bundle.name}/ : {err})"
        for name in names:
            fragment = bundle / "fragment" / f"{name}.pf_fragment"
            page = memo.read(fragment, functools.partial(_fragment_page, bundle, name))
            if page is not None:  # a record that can't be read is missing: its listing is named
                pages.append(page)
    enterprises = {_slug_of_page(p) for p in pages if p.startswith(enterprise_prefix)}
    events = {_slug_of_page(p) for p in pages if p.startswith(event_prefix)}
    return enterprises, events


def _fragment_page(bundle: Path, name: str, fragment: Path) -> str | None:
    try:
        return shards.fragment_page(bundle, name)
    except (OSError, ValueError, zlib.error):
        return None


# The exports are read as streams, for their codes only: at province scale, whole rows
# (both files, 11,200 listings each) made the audit the build's memory peak.
def _csv(path: Path) -> set[str] | str:
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = csv.reader(stream, delimiter=";")
            header = next(rows, [])
            if "Code" not in header:
                return "colonne « Code » absente" if header else set()
            column = header.index("Code")
            return {row[column] for row in rows if len(row) > column}
    except OSError:
        return "fichier absent"
    except (csv.Error, UnicodeDecodeError) as err:
        return f"illisible ({err})"


def _json(path: Path) -> set[str] | str:
    try:
        with path.open("rb") as stream:
            return set(ijson.items(stream, "entreprises.item.code"))
    except OSError:
        return "fichier absent"
    except (ijson.JSONError, ValueError, TypeError) as err:
        return f"illisible ({err})"


def _calendar(path: Path) -> set[str] | str:
    """Events of a calendar feed, by the slug of the page each one links to.

    Read as RFC 5545 content lines (unfolded), which is all this needs: a parse
    into objects took the audit of a one-listing rebuild twice as long.
    """
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError:
        return "fichier absent"
    except UnicodeDecodeError as err:
        return f"illisible ({err})"
    lines = _FOLD.sub("", text).split("\r\n")
    if lines[0] != "BEGIN:VCALENDAR" or "END:VCALENDAR" not in lines:
        return "illisible (pas un calendrier iCalendar)"
    slugs, event = set(), False
    for line in lines:
        name, _, value = line.partition(":")
        name = name.split(";", 1)[0].upper()
        if line in ("BEGIN:VEVENT", "END:VEVENT"):
            event = line == "BEGIN:VEVENT"
        elif event and name == "URL":
            slugs.add(_slug_of_page(value))
    return slugs


def _event_calendars(output: Path) -> set[str]:
    return {p.parent.name for p in output.glob(urls.event_calendar("*")) if p.stat().st_size > 0}


def _site(output: Path, language: str, memo: Memo) -> list[Found]:
    """The pages and search index of one language's site (``language``: its folder)."""
    where = f" ({language}/)" if language else ""
    found = [
        Found(
            f"pages d'entreprises{where}", "entreprises", _pages(output / language, urls.enterprise)
        ),
        Found(f"pages d'événements{where}", "événements", _pages(output / language, urls.event)),
    ]
    search = _search(output, language, memo)
    if isinstance(search, str):
        return found + [
            Found(f"index de recherche{where}", kind, None, search)
            for kind in ("entreprises", "événements")
        ]
    return [
        *found,
        Found(f"index de recherche{where}", "entreprises", search[0]),
        Found(f"index de recherche{where}", "événements", search[1]),
    ]


def read_back(output: Path, languages: Iterable[str] = (), memo: Memo | None = None) -> list[Found]:
    """Everything the audit compares, as read from the output folder.

    ``languages``: the other languages' sites (settings.site_languages after the first);
    ``memo``: what the last audit read, for files unchanged since.
    """
    memo = memo or Memo()
    found = _site(output, "", memo)
    for language in languages:
        found += _site(output, language, memo)
    for label, kind, read in (
        (urls.directory_csv(), "entreprises", memo.read(output / urls.directory_csv(), _csv)),
        (urls.directory_json(), "entreprises", memo.read(output / urls.directory_json(), _json)),
        (
            urls.events_calendar(),
            "événements",
            memo.read(output / urls.events_calendar(), _calendar),
        ),
    ):
        found.append(
            Found(label, kind, None, read) if isinstance(read, str) else Found(label, kind, read)
        )
    found.append(Found("calendriers des événements (.ics)", "événements", _event_calendars(output)))
    return found


def _names(slugs: Iterable[str]) -> str:
    return ", ".join(sorted(slugs))


def compare(found: list[Found], directory: Directory) -> list[str]:
    """One French line per output that misses, or holds too many, listings or events."""
    expected = {
        "entreprises": {e.slug for e in directory.enterprises},
        "événements": {e.slug for e in directory.events},
    }
    mismatches = []
    for item in found:
        wanted = expected[item.kind]
        if item.slugs is None:
            mismatches.append(f"{item.label} : {item.problem}")
            continue
        missing, extra = wanted - item.slugs, item.slugs - wanted
        if missing:
            unit = item.kind if len(missing) > 1 else item.kind.removesuffix("s")
            mismatches.append(
                f"{item.label} : manque{'nt' if len(missing) > 1 else ''} {_names(missing)} "
                f"({len(missing)} {unit} sur {len(wanted)})"
            )
        if extra:
            mismatches.append(
                f"{item.label} : {item.kind} en trop, sans fiche valide : {_names(extra)} "
                "(fiches retirées ? videz le dossier de sortie et relancez)"
            )
    return mismatches


def unwritten(output: Path, reports: list[Report]) -> list[str]:
    """Files an output says it wrote that are not on disk."""
    return [
        f"{report.output} : fichier annoncé mais absent : {path}"
        for report in reports
        for path in report.files
        if not (output / path).is_file()
    ]


def audit(
    output: Path,
    directory: Directory,
    reports: list[Report] = (),
    languages: Iterable[str] = (),
    memo: Memo | None = None,
) -> list[str]:
    """Every mismatch between the output folder and the valid listings and events."""
    found = read_back(output, languages, memo)
    return unwritten(output, list(reports)) + compare(found, directory)


def check(site, reports: list[Report], memo: Memo | None = None) -> None:
    """Fail the build unless every valid listing is in every output, on disk."""
    others = site.settings.site_languages[1:]
    mismatches = audit(site.output, site.directory, reports, others, memo)
    if mismatches:
        raise LostListingsError(mismatches)
