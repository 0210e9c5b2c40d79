"""The Pelican generator: the build as a list of phases.

``generate_context`` reads the settings and every file, and runs before any
output is written: a single invalid file stops the build there, with every
problem printed, so no listing is ever silently dropped from the site.
``generate_output`` then hands the validated directory (build/site.py ``Site``)
to each output in turn, and audits what they wrote (build/audit.py).

This class is the writer: every page and file an output makes goes through
``write_page``/``write_pages``/``write_file``, which keep the record of the build
(what a rebuild may keep, what it must remove). The one exception is Pagefind,
a program of its own that writes its bundles under ``pagefind/``
(outputs/search/).
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from jinja2 import pass_context
from markupsafe import Markup
from pelican.generators import Generator
from pelican.utils import sanitised_join

from .. import settings as vitrine_settings
from .. import urls
from ..content import staff_pages
from ..content.history import apply_dates, file_commits, repository_dates
from ..content.load import load_directory
from ..content.model import Directory
from ..content.vocabulary import load_vocabularies
from ..formatting import count, filters
from ..outputs import contracts, exports, feeds, forge, ical, jsonld, pages, security
from ..outputs.digest import publish as digest
from ..outputs.search import index as search
from ..outputs.search import words as search_words
from ..outputs.search.record import search_record
from ..problems import ContentError, Problem
from ..translations import install_translations, load_translations
from . import audit, progress
from .fragments import Fragments
from .incremental import (
    BuildRecord,
    Fingerprints,
    code_and_theme_version,
    record_path,
    settings_fingerprint,
)
from .site import Page, Report, Site

PAGES_PER_WORKER = 100  # a fork costs little; at the campaign's 300 listings, both cores render
# Up to this many rewritten listing and event pages, each one's search record is compared
# with the last build's (outputs/search/record.py, about 7 ms a page): an unchanged
# record needs no new Pagefind run. Past it (a template changed), every page is indexed.
SEARCH_RECORD_CHECKS = 40
# When at most this many listing and event pages show edited listings, they are written
# first, before any other page: the preview shows an edit while the rest is being built.
EDITED_FIRST = 20
# What the language switch says, in the language it leads to.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}

# Each output is a view of the validated directory. Pages come first (outputs/pages.py),
# then the search index (outputs/search/index.py) runs beside the other pages and these:
OUTPUTS = (
    exports.write,
    contracts.write,
    ical.write,
    feeds.write,
    digest.write,
    security.write,
)


class VitrineGenerator(Generator):
    directory: Directory

    def generate_context(self) -> None:
        self.vitrine = vitrine_settings.read(self.settings)  # stops on a wrong value
        security.check_templates(Path(self.theme) / "templates")  # and on an inline script
        where = self.vitrine.layout
        vocabularies = load_vocabularies(self.vitrine.vocabularies_path)
        cache = self.vitrine.cache if self.vitrine.incremental else None
        with _long_lived():
            self.directory, problems = load_directory(
                where, vocabularies, self.vitrine.build_time(), self.vitrine.workers, cache
            )
        if problems:
            for problem in problems:
                print(_shorter(problem), file=sys.stderr)
            raise ContentError(problems)
        self.digests = digest.issues(self.vitrine)  # fails early too
        # One `git log` for the whole build: dates here, "what changed" in the digest.
        self.commits = file_commits([where.enterprises, where.events])
        history = repository_dates(self.commits)
        apply_dates(self.directory.enterprises, history)
        apply_dates(self.directory.events, history)
        self.directory.mark_stale(self.vitrine.stale_months)
        self.context["vitrine"] = self.directory
        self.context["vitrine_settings"] = self.vitrine
        self.context["new_listing_url"] = forge.new_listing_url(self.vitrine)
        # urls and the filters are shared by every generator (plugin.prepare_templates).
        self.vocabularies = vocabularies
        self.env.globals.update(
            absolute_url=self.vitrine.absolute_url,
            fragment=self.fragment,
            # For the page being rendered: its language is the one being written (_use_language).
            json_ld=lambda enterprise: jsonld.json_ld(
                self.directory, self.vitrine, enterprise, self.language
            ),
            event_json_ld=lambda event: jsonld.event_json_ld(
                self.directory, self.vitrine, event, self.language
            ),
            alternates=self.alternates,
            text_lang=text_lang,
        )
        self._macros: dict[tuple[str, str], object] = {}  # _macros.html's module, by page kind
        self._cards: dict[tuple[str, str, str], str] = {}  # see _card
        self.vocabulary_bytes = self.vitrine.vocabularies_path.read_bytes()
        self.twins: dict[str, dict[str, str]] = {}
        self._use_language(self.vitrine.language)

    # --- languages ----------------------------------------------------------

    def _use_language(self, language: str) -> None:
        """Render what follows as ``language``'s pages: its addresses, labels, formats, gettext.

        Languages are rendered one after the other (forked workers inherit this).
        """
        self.language = language
        self.env.globals.update(
            language=language,
            urls=urls.Localized(language, self.vitrine.language),
            vocabularies=self.vocabularies.in_language(language),
        )
        self.env.filters.update(filters(language))
        if "jinja2.ext.InternationalizationExtension" in self.env.extensions:
            translations = load_translations(Path(self.theme) / "translations", language)
            install_translations(self.env, translations)

    @pass_context
    def alternates(self, context) -> list[tuple[str, str, str]]:
        """(language, address, the language's name in itself) of the page being rendered,
        in every language, itself included; none for a page in one language only (the digest)."""
        url = context.get("page_url")
        twins = self.twins.get(url, {})
        return [(code, twin, LANGUAGE_NAMES.get(code, code)) for code, twin in twins.items()]

    # --- the writer (build/site.py Writer) ----------------------------------

    def write_page(self, url: str, template: str, **context) -> str:
        """Render a theme template to the page at ``url``, unless last build's still holds."""
        if self._needs(url, template, context):
            self._render(url, template, context)
        return urls.save_as(url)

    def _needs(self, url: str, template: str, context: dict) -> bool:
        path = urls.save_as(url)
        name = self.get_template(template).name
        return self.build_record.needs(path, self.fingerprints.page(path, name, context))

    def _render(self, url: str, template: str, context: dict) -> None:
        self.writer.write_file(
            urls.save_as(url),
            self.get_template(template),
            self.context,
            relative_urls=self.vitrine.relative_urls,
            url=url,
            page_url=url,
            **context,
        )

    def write_pages(self, pages: list[Page], workers: int | None = None) -> list[str]:
        """Write many pages, split over the machine's cores when there are enough.

        Pages whose inputs have not changed since the last build are left as they are.
        """
        written = [urls.save_as(page.url) for page in pages]
        self._render_pages([p for p in pages if self._needs(p.url, p.template, p.context)], workers)
        return written

    def _render_pages(self, pages: list[Page], workers: int | None = None) -> None:
        """Render pages known to need it, in forked workers when there are enough.

        Pages are independent views of the same validated directory, so forked
        workers render disjoint shares and the files are byte-identical to a
        serial build. The parent renders a share too.
        """
        workers = workers or self._workers(len(pages))
        if workers <= 1:
            self._write_share(pages, 0, 1)
            return
        fork = multiprocessing.get_context("fork")
        children = [
            fork.Process(target=self._write_share, args=(pages, share, workers))
            for share in range(1, workers)
        ]
        for child in children:
            child.start()
        try:
            self._write_share(pages, 0, workers)
        finally:
            for child in children:
                child.join()
        if any(child.exitcode for child in children):
            raise RuntimeError("vitrine: un processus de rendu a échoué (voir ci-dessus)")

    def _write_share(self, pages: list[Page], share: int, workers: int) -> None:
        for page in pages[share::workers]:
            self._render(page.url, page.template, page.context)

    def _workers(self, count: int) -> int:
        if "fork" not in multiprocessing.get_all_start_methods():
            return 1
        if self.vitrine.workers:  # an explicit number, even for a small site (tests use it)
            return self.vitrine.workers
        # Automatic: forking only pays off past a few hundred pages.
        return max(1, min(os.cpu_count() or 1, count // PAGES_PER_WORKER))

    def write_file(self, relative_path: str, data, inputs: list | None = None) -> str:
        """Write a non-HTML output (JSON, CSV, iCalendar…) under the output folder.

        ``data`` is text, bytes, or a function that makes them. With ``inputs``
        (everything the file is made from, besides the code and settings), a file
        whose inputs have not changed since the last build is left as it is, and
        the function is not called. Returns the path relative to the output folder.
        """
        path = Path(sanitised_join(self.output_path, relative_path))
        name = Path(relative_path).as_posix()
        fingerprint = None if inputs is None else self.fingerprints.file(name, inputs)
        if not self.build_record.needs(name, fingerprint):
            return name
        if callable(data):
            data = data()
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        return name

    def render(self, template: str, context: dict) -> str:
        """A theme template rendered with the site's context, written nowhere."""
        return self.env.get_template(template).render({**self.context, **context})

    def _start_record(self) -> None:
        """Last build's record of this output folder, when builds are incremental."""
        output = Path(self.output_path)
        path = record_path(self.vitrine.cache, output)
        fragments = path.with_name(f"fragments-{path.stem}.pickle")
        templates = path.with_name(f"gabarits-{path.stem}.pickle")
        if not self.vitrine.incremental:  # what a later incremental build would wrongly trust
            for stale in (path, fragments, templates):
                stale.unlink(missing_ok=True)
            path = fragments = templates = None
        self.build_record = BuildRecord(path, output)
        self.same_search_records: set[str] = set()
        theme_version = code_and_theme_version(Path(self.theme))
        site_key = "\n".join(
            [
                theme_version,
                settings_fingerprint(self.settings),
                self.vitrine.model_dump_json(),  # environment variables included
                self.vocabulary_bytes.decode("utf-8"),
            ]
        )
        self.fingerprints = Fingerprints(
            site_key, self.directory, self.env, templates, self._card, theme_version
        )
        self.fragments = Fragments(fragments, site_key)

    @pass_context
    def fragment(self, context, macro: str, record):
        """A ``_macros.html`` macro of one listing, rendered once (see fragments.py).

        Such a macro may use the listing and the pages' base address only.
        """
        return Markup(self._fragment(macro, record, context.get("SITEURL"), context.get_all))

    def _card(self, macro: str, record) -> str:
        """A digest of the fragment a page of the language being built shows of ``record``,
        for that page's fingerprint (incremental.Fingerprints.shown_as_cards)."""
        key = (macro, record.slug, self.language)
        if key not in self._cards:  # a card shows on several pages
            siteurl = self.context.get("SITEURL")
            html = self._fragment(macro, record, siteurl, lambda: self.context)
            self._cards[key] = hashlib.sha256(html.encode("utf-8")).hexdigest()
        return self._cards[key]

    def _fragment(self, macro: str, record, siteurl, variables) -> str:
        kind = (self.language, siteurl)

        def render():
            if kind not in self._macros:
                self._macros[kind] = self.get_template("_macros").make_module(variables())
            return getattr(self._macros[kind], macro)(record)

        key = (macro, record.slug, siteurl, self.language)
        return self.fragments.get(key, self.fingerprints.listing(record), render)

    def kept(self, kind: str, record, make) -> str:
        """Text made of one listing (``make()``), made again only when the listing changed."""
        return self.fragments.get((kind, record.slug, ""), self.fingerprints.listing(record), make)

    # --- the phases ---------------------------------------------------------

    def generate_output(self, writer) -> None:
        self.writer = writer
        self._start_record()
        site = Site(
            directory=self.directory,
            settings=self.vitrine,
            writer=self,
            output=Path(self.output_path),
            staff_pages=staff_pages.texts(
                self.context.get("pages", []) + self.context.get("hidden_pages", []),
                self.vitrine.site_languages,
            ),
            digests=self.digests,
            commits=self.commits,
        )
        # The same pages in every language, the main one first (urls.py).
        languages = self.vitrine.site_languages
        planned = {language: list(pages.plan(site, language)) for language in languages}
        site.pages = [page for language in languages for page in planned[language]]
        for twins in zip(*planned.values(), strict=True) if len(languages) > 1 else ():
            alternates = {page.language: page.url for page in twins}
            self.twins.update(dict.fromkeys(alternates.values(), alternates))
        site.twins = self.twins
        reports = [self._write_indexed(site, planned)]
        # The index reads only those pages: Pagefind runs beside the rest of the build.
        record = self.build_record
        # A page rewritten with the same search record leaves its shard as it is.
        touched = record.touched() - self.same_search_records
        indexing = search.start(site, touched, record.previous_notes.get("search"))
        try:
            # Forking beside a running thread is not safe: the rest is rendered here.
            for language in languages:
                self._use_language(language)
                others = [page for page in planned[language] if page.template not in pages.INDEXED]
                reports.append(pages.write(site, others, workers=1))
            self._use_language(self.vitrine.language)  # the digest and files: the main language
            reports += [output(site) for output in OUTPUTS]
        finally:
            shards = indexing.finish()
        reports.append(search.write_orders(site, shards))
        # After the index: a new layout of its folder starts it afresh (search.index).
        reports.append(search_words.write(site))
        record.notes["search"] = search.notes(shards)
        record.remove_stale()
        # Every valid listing made it into every output; files untouched since the last
        # audit are not read again.
        memo = audit.Memo(record.previous_notes.get("audit"))
        audit.check(site, reports, memo)
        record.notes["audit"] = memo.fresh
        record.save()
        self.fragments.save()
        self.fingerprints.save()
        cache = str(self.vitrine.cache) if self.vitrine.incremental else ""
        progress.report("fin", record.touched(), cache=cache)
        self._summary()

    def _summary(self) -> None:
        directory, record = self.directory, self.build_record
        print(
            "Vitrine : pages écrites pour "
            f"{count(len(directory.enterprises), 'entreprise', 'entreprises')} et "
            f"{count(len(directory.events), 'événement', 'événements')}."
        )
        kept = len(record.current) - len(record.rendered)
        if kept or record.removed:
            print(
                f"Vitrine : {count(kept, 'page inchangée', 'pages inchangées')} depuis la "
                f"dernière construction, {count(len(record.rendered), 'fichier réécrit', 'fichiers réécrits')}, "
                f"{count(len(record.removed), 'fichier retiré', 'fichiers retirés')}."
            )

    def _write_indexed(self, site: Site, planned: dict[str, list[Page]]) -> Report:
        """The listing and event pages, which the search index reads, in every language.

        The pages of the listings edited since the last build come first, when
        there are few (a contributor's save): they are written, then reported
        (build/progress.py), before anything else is looked at, so the preview
        shows the edit at once. Which listings changed is known from their
        fingerprints, kept in the build record; whether a page must be written
        is still decided page by page, as for every page.
        """
        indexed = {
            language: [page for page in planned_pages if page.template in pages.INDEXED]
            for language, planned_pages in planned.items()
        }
        listings = {
            _listing_key(record): self.fingerprints.listing(record)
            for record in [*self.directory.enterprises, *self.directory.events]
        }
        before = self.build_record.previous_notes.get("fiches", {})
        self.build_record.notes["fiches"] = listings
        edited = {key for key, fingerprint in listings.items() if before.get(key) != fingerprint}
        first: set[str] = set()
        replaced: list[tuple[str, str]] = []
        if len(edited) * len(indexed) <= EDITED_FIRST:
            for language, candidates in indexed.items():
                self._use_language(language)
                todo = [p for p in candidates if _listing_key(_shown(p)) in edited]
                todo = [p for p in todo if self._needs(p.url, p.template, p.context)]
                replaced += self._render_indexed(todo)
                first.update(p.url for p in todo)
            if first:  # told before anything else is done, search records included
                progress.report("fiches", [urls.save_as(url) for url in first])
        for language, candidates in indexed.items():
            self._use_language(language)
            todo = [p for p in candidates if p.url not in first]
            todo = [p for p in todo if self._needs(p.url, p.template, p.context)]
            replaced += self._render_indexed(todo)
        self._compare_search_records(replaced)
        written = [urls.save_as(page.url) for candidates in indexed.values() for page in candidates]
        return Report("pages", tuple(written))

    def _render_indexed(self, todo: list[Page]) -> list[tuple[str, str]]:
        """Render listing and event pages; when they are few, return each one's path
        with the text of the page it replaced, for ``_compare_search_records``."""
        if len(todo) > SEARCH_RECORD_CHECKS or not self.vitrine.incremental:
            self._render_pages(todo)
            return []
        replaced = []
        for page in todo:
            path = urls.save_as(page.url)
            old = _text(Path(self.output_path) / path)
            self._render(page.url, page.template, page.context)
            if old is not None:
                replaced.append((path, old))
        return replaced

    def _compare_search_records(self, replaced: list[tuple[str, str]]) -> None:
        """Note the pages whose search record is the one of the page they replaced."""
        for path, old in replaced:
            before = search_record(old)
            new = _text(Path(self.output_path) / path)
            if before is not None and new is not None and before == search_record(new):
                self.same_search_records.add(path)


def _text(page: Path) -> str | None:
    try:
        return page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _shown(page: Page):
    """The listing or event a listing or event page shows."""
    return page.context.get("enterprise") or page.context.get("event")


def _listing_key(record) -> str:
    return f"{type(record).__name__}:{record.slug}"


@contextmanager
def _long_lived():
    """Make the validated directory without the cyclic garbage collector, then hide it from it.

    The directory lives as long as the build. Left to the collector, the tens of
    thousands of objects of a province's records are walked again by each full
    pass: seconds per build, and again at exit. So the collector is paused while
    they are made, then everything alive is frozen (gc.freeze). Frozen objects
    are never collected: the previous build's are thawed first, so a process
    that builds several times (tests, a server) still frees them (and whatever
    else that process had frozen). Cyclic garbage left by reading files in this
    process (one worker) is frozen too, until then: tens of MB at province
    scale, cheaper than one more full pass (0.3 s).
    """
    if gc.get_freeze_count():  # what a previous build froze: garbage by now, or soon
        gc.unfreeze()
        gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
    gc.freeze()


@pass_context
def text_lang(context, language: str = "fr") -> Markup:
    """`` lang="fr"`` on an element whose text is in ``language``, when the page is not.

    A listing written in French, shown on the English site, is read by a screen
    reader with a French voice.
    """
    if context.get("language", language) == language:
        return Markup("")
    return Markup(' lang="{}"').format(language)


def _shorter(problem: Problem) -> Problem:
    """Paths as the contributor typed them: relative to where the build was started."""
    try:
        return replace(problem, path=problem.path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return problem
