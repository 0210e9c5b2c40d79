"""Nothing lost: after every output is written, count each listing in each output.

A listing that validates but is missing from its page, the search index or an
export has been lost silently, which is worse than a failed build. So the build
fails, saying which output is short and by which listings.

What each output module reports on the generator (``site``):

* pages are counted on disk: ``entreprises/<slug>/index.html`` and
  ``evenements/<slug>/index.html`` under the output folder;
* ``site.search_records`` — records in the search index: an int (enterprise and
  event pages together) or a mapping ``{"enterprises": n, "events": m}``;
* ``site.export_rows`` — enterprise rows in the exports: an int, or a mapping
  ``{file: rows}`` with one entry per export file;
* ``site.export_event_rows`` — the same for event exports (optional).

An attribute that is absent means that output was not produced in this build:
its comparison is skipped and logged, and listed in ``site.audit_skipped``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from .. import urls
from ..problems import BuildError

logger = logging.getLogger(__name__)


class LostListingsError(BuildError):
    """Raised when an output holds fewer (or more) listings than were validated."""

    def __init__(self, mismatches: list[str]):
        self.mismatches = mismatches
        super().__init__(
            "Vitrine : des fiches valides manquent dans le site produit (ou y sont en "
            "trop); la construction est arrêtée pour n'en perdre aucune :\n"
            + "\n".join(f"- {line}" for line in mismatches)
        )


def _pages(output: Path, page_url) -> set[str]:
    """Slugs that have a page on disk, wherever urls.py puts that kind of page."""
    return {p.parent.name for p in output.glob(urls.save_as(page_url("*")))}


def _compare_pages(label: str, written: set[str], slugs: list[str]) -> list[str]:
    missing = sorted(set(slugs) - written)
    extra = sorted(written - set(slugs))
    problems = []
    if missing:
        problems.append(
            f"{label} : {len(written)} écrites pour {len(slugs)} valides; "
            f"manquantes : {', '.join(missing)}"
        )
    if extra:
        problems.append(
            f"{label} : pages en trop, sans fiche valide : {', '.join(extra)} "
            "(fiches retirées ? videz le dossier de sortie et relancez)"
        )
    return problems


def _compare_counts(label: str, reported, expected: int, unit: str) -> list[str]:
    """``reported`` is an int or a mapping ``{name: count}``; each must equal ``expected``."""
    counts = reported.items() if isinstance(reported, Mapping) else [("", reported)]
    return [
        f"{label}{f' ({name})' if name else ''} : {count} {unit}, attendu {expected}"
        for name, count in counts
        if count != expected
    ]


def check(site) -> None:
    """Fail the build unless every valid listing is in every output produced."""
    directory = site.directory
    enterprises = [e.slug for e in directory.enterprises]
    events = [e.slug for e in directory.events]
    output = Path(site.output_path)
    mismatches = _compare_pages("pages d'entreprises", _pages(output, urls.enterprise), enterprises)
    mismatches += _compare_pages("pages d'événements", _pages(output, urls.event), events)

    skipped = []
    search = getattr(site, "search_records", None)
    if search is None:
        skipped.append("search_records")
    elif isinstance(search, Mapping):
        mismatches += _compare_counts(
            "index de recherche, entreprises",
            search.get("enterprises", 0),
            len(enterprises),
            "fiches",
        )
        mismatches += _compare_counts(
            "index de recherche, événements", search.get("events", 0), len(events), "fiches"
        )
    else:
        mismatches += _compare_counts(
            "index de recherche",
            search,
            len(enterprises) + len(events),
            f"pages indexées ({len(enterprises)} entreprises + {len(events)} événements)",
        )
    for attribute, expected, label in (
        ("export_rows", len(enterprises), "exports des entreprises"),
        ("export_event_rows", len(events), "exports des événements"),
    ):
        reported = getattr(site, attribute, None)
        if reported is None:
            skipped.append(attribute)
        else:
            mismatches += _compare_counts(label, reported, expected, "lignes")

    site.audit_skipped = skipped
    if skipped:
        logger.info("vitrine: audit skipped (output not produced): %s", ", ".join(skipped))
    if mismatches:
        raise LostListingsError(mismatches)
