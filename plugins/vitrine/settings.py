"""Vitrine's settings: defaults in one place, read from Pelican's settings dict."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .content.schema import TIMEZONE

DEFAULTS = {
    "VITRINE_ENTERPRISES": "enterprises",  # folders, relative to Pelican's PATH
    "VITRINE_EVENTS": "events",
    "VITRINE_VOCABULARIES": "vocabulaires.yml",
    "VITRINE_BUILD_DATE": None,  # "2026-11-27" or "2026-11-27 12:00": fixes "now"
    "VITRINE_REPOSITORY_URL": "",  # forge URL, for "edit this listing" links
    "VITRINE_REPOSITORY_BRANCH": "main",
    "VITRINE_PAGE_SIZE": 100,  # entries per browse page: lists stay small
    # Public address of the site: absolute links in feeds, calendars and e-mail.
    "VITRINE_SITE_URL": "https://repertoire.economiesociale-estrie.example",
    "VITRINE_WORKERS": None,  # processes that render pages; None: one per core on big sites
    # Rebuilds render only pages whose inputs changed (records in CACHE_PATH); see README.
    "VITRINE_INCREMENTAL": True,
    # Pages per search-index shard: one Pagefind run each, re-run only when its pages change.
    "VITRINE_SEARCH_SHARD_PAGES": 2000,
    "VITRINE_CONTACT_EMAIL": "",  # buyers' contact on the home page
    # The digest (infolettre): see README.
    "VITRINE_DIGESTS": "digests",  # folder of digest files, relative to PATH
    "VITRINE_DIGEST_PERIOD": "",  # AAAA-MM: an issue for that month even without a file
    "VITRINE_DIGEST_EVENT_DAYS": 60,  # events announced up to this many days after the period
    "VITRINE_DIGEST_UNSUBSCRIBE": "*|UNSUB|*",  # the sending tool's unsubscribe merge tag
    "VITRINE_DIGEST_FROM": "",  # sender of the test .eml; default infolettre@<site host>
    "VITRINE_DIGEST_WARN_BYTES": 80 * 1024,  # Gmail clips messages past ~102 KB
    "VITRINE_DIGEST_MAX_BYTES": 100 * 1024,
    "VITRINE_FEED_SIZE": 50,  # entries in the Atom feed of new and updated listings
}


@dataclass(frozen=True)
class Layout:
    """Where content lives; paths as given (relative paths print shorter)."""

    enterprises: Path
    events: Path
    root: Path | None = None  # the content folder; default: the enterprises' parent

    @property
    def content(self) -> Path:
        return self.root if self.root is not None else self.enterprises.parent


def with_defaults(settings: dict) -> dict:
    return {**DEFAULTS, **{k: v for k, v in settings.items() if k in DEFAULTS}}


def layout(content: Path, settings: dict) -> Layout:
    settings = with_defaults(settings)
    return Layout(
        enterprises=content / settings["VITRINE_ENTERPRISES"],
        events=content / settings["VITRINE_EVENTS"],
        root=content,
    )


def vocabulary_path(content: Path, settings: dict) -> Path:
    return content / with_defaults(settings)["VITRINE_VOCABULARIES"]


def build_time(settings: dict | None = None) -> dt.datetime:
    """The build's "now": a setting, else SOURCE_DATE_EPOCH, else the clock.

    Fixing it makes "upcoming events" and every date on the site reproducible.
    """
    fixed = with_defaults(settings or {})["VITRINE_BUILD_DATE"]
    if fixed:
        text = str(fixed)
        parsed = dt.datetime.fromisoformat(text if " " in text or "T" in text else text + " 12:00")
        return parsed.replace(tzinfo=parsed.tzinfo or TIMEZONE)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=TIMEZONE)
    return dt.datetime.now(tz=TIMEZONE)
