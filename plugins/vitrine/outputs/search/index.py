"""Site search: the Pagefind index of every enterprise and event page.

Runs once the enterprise and event pages are written, beside the rest of the
build (the search and « Ma sélection » pages are planned with the others in
pages.py), and indexes those pages as written: what a buyer finds is exactly what the pages say, with the
facets and result metadata their templates declare
(theme/templates/_pagefind.html). Only those pages are fed to Pagefind, so
browse and list pages never compete with the listings in the results. The sort
orders come from the directory itself (sorted_pages).

The index is made of shards (shards.py): a rebuild re-indexes only the
shards whose pages were rewritten or removed.

Each language's site has its own index (``pagefind/``, ``en/pagefind/``), made
of its own pages only: a French search never downloads a byte of the English one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor

from ... import urls
from ...build.site import Report, Site
from ...content.naming import sort_key
from ...problems import BuildError
from .shards import (
    ORDER_FILE,
    ShardError,
    ShardIndex,
    deal,
    index_shard,
    membership,
    orders,
    shard_count,
)

logger = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"
SORTS = ("nom", "maj")  # search.js offers them; each has its ORDER_FILE
# Upcoming events alone, soonest first: search.js asks for it when only events are ticked.
# Events only, so its ORDER_FILE stays small at province scale.
EVENT_SORT = "debut"
# Left out of the index although inside data-pagefind-body: the « Ma sélection »
# button (a macro shared with the cards) repeats the name after « Ma sélection ».
# The templates mark their own boilerplate data-pagefind-ignore.
PAGEFIND_ARGS = ["--exclude-selectors", ".shortlist-toggle"]
# At once, each in its own process (a shard of 2,000 pages: ~350 MB), all languages together.
PAGEFIND_RUNS = max(1, min(2, os.cpu_count() or 1))
_RUNNING = threading.BoundedSemaphore(PAGEFIND_RUNS)


class SearchIndexError(BuildError):
    """Pagefind failed: the site would have no search, so the build stops."""


def _urls(site: Site, language: str | None) -> urls.Localized:
    main = site.settings.language
    return urls.Localized(language or main, main)


def bundle_folder(site: Site, language: str | None = None) -> str:
    """Where a language's bundles are, relative to the output folder."""
    return _urls(site, language).search_bundles().rstrip("/")


def indexed_pages(directory, where=urls) -> list[str]:
    """The files Pagefind reads: one page per enterprise and per event (in ``where``'s language)."""
    return [urls.save_as(where.enterprise(e.slug)) for e in directory.enterprises] + [
        urls.save_as(where.event(e.slug)) for e in directory.events
    ]


def sorted_pages(directory, where=urls) -> dict[str, list[str]]:
    """Each sort's pages in the order a buyer sees them.

    ``nom``: by name, in French order (a name of symbols only by its lowercase);
    ``maj``: latest update (or addition) first, events last, then by name;
    ``debut`` (EVENT_SORT): the events alone, by start.
    """
    names = [e.name for e in (*directory.enterprises, *directory.events)]
    dates = [e.updated or e.added for e in directory.enterprises] + [None] * len(directory.events)
    pages = list(zip(indexed_pages(directory, where), names, dates, strict=True))
    by_name = sorted(pages, key=lambda page: (sort_key(page[1]) or page[1].lower(), page[0]))
    # Stable: pages of the same day stay in name order.
    by_update = sorted(by_name, key=lambda page: page[2] or dt.date.min, reverse=True)
    by_start = sorted(directory.events, key=lambda e: (e.data.debut, e.slug))
    return {
        "nom": [page[0] for page in by_name],
        "maj": [page[0] for page in by_update],
        EVENT_SORT: [urls.save_as(where.event(e.slug)) for e in by_start],
    }


def _dealt(site: Site, language: str | None = None) -> list[list[str]]:
    pages = indexed_pages(site.directory, _urls(site, language))
    # Shards are dealt as the main language's: twins share a shard number.
    main = indexed_pages(site.directory)
    dealt = deal(main, shard_count(main, site.settings.search_shard_pages))
    twin = dict(zip(main, pages, strict=True))
    return [[twin[page] for page in shard] for shard in dealt]


def shards(site: Site, language: str | None = None) -> list[int]:
    """The bundles the search page merges: one per shard that holds pages."""
    return [number for number, pages in enumerate(_dealt(site, language)) if pages]


class Indexing(threading.Thread):
    """``index`` in a thread of its own: Pagefind runs while the build writes the rest.

    The thread only runs Pagefind over pages already written; what it made is
    handed back by ``finish`` to the build's own thread, which writes the rest.
    """

    def __init__(self, site: Site, touched: set[str], before: dict[str, list]):
        super().__init__(name="vitrine-recherche", daemon=True)
        self.site, self.touched, self.before = site, touched, before
        self.shards: dict[str, list[ShardIndex]] = {}
        self.error: BaseException | None = None

    def run(self) -> None:
        # Languages side by side: after a one-listing edit, each has one shard to index
        # again, and the two runs take both cores.
        languages = self.site.settings.site_languages
        try:
            with ThreadPoolExecutor(max_workers=len(languages)) as each:
                made = each.map(
                    lambda language: index(
                        self.site, self.touched, self.before.get(language, []), language
                    ),
                    languages,
                )
                self.shards = dict(zip(languages, made, strict=True))
        except BaseException as err:  # handed to the build by finish()
            self.error = err

    def finish(self) -> dict[str, list[ShardIndex]]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.shards


def start(site: Site, touched: set[str], notes: dict | None) -> Indexing:
    """Start indexing once the listing and event pages are written (nothing is forked after).

    ``touched``: the pages this build rewrote or removed; ``notes``: what the
    last build recorded of its shards (``notes()``), to reuse the untouched ones.
    """
    before = (notes or {}).get("shards", {})
    before = {
        language: shards
        for language, shards in (before.items() if isinstance(before, dict) else ())
        if isinstance(shards, list)
    }
    indexing = Indexing(site, set(touched), before)
    indexing.start()
    return indexing


def index(
    site: Site, touched: set[str], before: list, language: str | None = None
) -> list[ShardIndex]:
    """Index every listing and event of one language's site, shard by shard; reuse the
    shards nothing touched."""
    bundles = site.output / bundle_folder(site, language)
    dealt = _dealt(site, language)
    orders_written = all(
        (bundles / ORDER_FILE.format(key)).is_file() for key in (*SORTS, EVENT_SORT)
    )
    if len(before) != len(dealt) or not orders_written:
        shutil.rmtree(bundles, ignore_errors=True)  # another layout: start afresh
        before = []
    made: list[ShardIndex | None] = []
    for number, pages in enumerate(dealt):
        bundle = bundles / str(number)
        old = _reusable(before, number)
        if not pages:  # a small site can leave a shard empty: no bundle
            shutil.rmtree(bundle, ignore_errors=True)
            made.append(ShardIndex(membership(pages), 0, {}))
        elif (
            old is not None
            and old.pages == membership(pages)
            and not touched.intersection(pages)
            and (bundle / "pagefind-entry.json").is_file()
        ):
            made.append(old)
        else:
            made.append(None)  # to index
    reused = sum(1 for shard, pages in zip(made, dealt, strict=True) if shard and pages)
    todo = [number for number, shard in enumerate(made) if shard is None]
    scratch = site.settings.cache  # where each Pagefind run gets its configuration file
    # One Pagefind run uses about one and a half cores: two at a time keep both
    # cores of a laptop busy once the rest of the build is done.
    with ThreadPoolExecutor(max_workers=PAGEFIND_RUNS) as runs:
        indexed = runs.map(
            lambda n: _index_shard(site.output, dealt[n], bundles / str(n), scratch),
            todo,
        )
        try:
            for number, shard in zip(todo, indexed, strict=True):
                made[number] = shard
        except (ShardError, OSError) as err:
            raise SearchIndexError(
                f"l'index de recherche n'a pas pu être construit : {err}"
            ) from err
    logger.info(
        "vitrine: index de recherche (%s) : %d fiches (%d entreprises, %d événements), "
        "%d lots dont %d repris tels quels",
        language or site.settings.language,
        sum(shard.records for shard in made),
        len(site.directory.enterprises),
        len(site.directory.events),
        len(made),
        reused,
    )
    return made


def write_orders(site: Site, made: dict[str, list[ShardIndex]]) -> Report:
    """Each sort order as Pagefind's ids of the pages (search.js reads them), per language."""
    files = []
    for language, shards_made in made.items():
        records = sum(shard.records for shard in shards_made)
        sorted_by = sorted_pages(site.directory, _urls(site, language))
        folder = bundle_folder(site, language)
        for key, order in orders(shards_made, sorted_by).items():
            # A page its shard's ids don't name would sort last.
            if len(order) != (records if key in SORTS else len(site.directory.events)):
                raise SearchIndexError(
                    f"le tri « {key} » place {len(order)} fiches sur {records} indexées"
                )
            text = json.dumps(order, separators=(",", ":"))
            files.append(site.writer.write_file(f"{folder}/{ORDER_FILE.format(key)}", text))
    return Report("recherche", tuple(files))


def notes(made: dict[str, list[ShardIndex]]) -> dict:
    """What the next build needs to reuse these shards (kept in the build record)."""
    return {
        "shards": {
            language: [shard.as_json() for shard in shards_made]
            for language, shards_made in made.items()
        }
    }


def _index_shard(output, pages, bundle, scratch) -> ShardIndex:
    with _RUNNING:  # PAGEFIND_RUNS at once, whatever the language
        return index_shard(output, pages, bundle, scratch, PAGEFIND_ARGS)


def _reusable(before: list, number: int) -> ShardIndex | None:
    try:
        return ShardIndex.from_json(before[number])
    except (IndexError, KeyError, TypeError, ValueError):
        return None
