"""Rebuilds that rewrite only what changed.

A page is a function of its template, its context and the site-wide inputs
(Vitrine's code, the theme, the settings, the vocabularies). Its fingerprint
hashes all of these, with each listing in the context standing for the bytes
of its file, its dates and the listings it links to. A page whose fingerprint
equals last build's, and whose file is still there, is not rendered again.

Templates that read the whole directory (``vitrine``: the home page's counts,
the events list, the portfolio) also depend on every listing and on the build
date; they are found by reading the templates, not by a list kept by hand.

Every file a build writes is recorded, so the next build can remove what it
no longer writes: a listing taken down loses its page and its search record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from .. import store
from ..content.model import Buyer, Enterprise, Event
from ..content.record_cache import code_version

logger = logging.getLogger(__name__)

RECORD_VERSION = 1


class UnknownContextError(TypeError):
    """A context value we cannot describe: the page is always rendered."""


def _sha(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def settings_fingerprint(settings: dict) -> str:
    """The settings that can show on a page.

    Values whose text changes every run (functions, objects: « at 0x… ») are
    left out; what they do is code, covered by the code digest.
    """
    stable = {}
    for key, value in settings.items():
        text = repr(value)
        if " at 0x" not in text and " object at " not in text:
            stable[key] = text
    return _sha(json.dumps(stable, sort_keys=True))


# What Fingerprints found in the templates, by theme and code version, for the builds
# that follow in this process (tests, a server): read from the templates' trees once.
_ANALYSED: dict[str, dict] = {}


class Fingerprints:
    """Fingerprints of pages for one build."""

    def __init__(
        self,
        site_key: str,
        directory,
        env: jinja2.Environment | None,
        templates: Path | None = None,
        card: Callable[[str, object], str] | None = None,
        theme_version: str = "",
    ):
        self.site_key = site_key
        self.directory = directory
        self.env = env
        # (macro, listing) → a digest of that macro's HTML of the listing, in the language
        # being built (the generator's fragments): how a page showing it as a card sees it.
        self.card = card
        self._own: dict[int, str] = {}
        self._listings: dict[int, str] = {}
        # Which templates read the directory: parsing them all again cost a rebuild as much
        # as compiling them, so the answers are kept (``templates``), and for the process,
        # under the theme's and the code's version (``theme_version``): they depend on
        # nothing else.
        self._templates_path = templates
        self._theme_version = theme_version or site_key
        known = _ANALYSED.get(self._theme_version) or store.load(templates, self._theme_version)
        self._reads_directory: dict = dict(known) if isinstance(known, dict) else {}
        self._directory_key: str | None = None
        # A cold build compiles every template, which parses it: the trees are kept for
        # ``reads_directory`` instead of parsing each template a second time (about 5 % of
        # a cold build's CPU at 300 listings).
        self._trees: dict[str, nodes.Template] = {}
        self._parsed: dict[str, nodes.Template] = {}  # _tree's
        if env is not None:  # listings' fingerprints need no templates
            self._keep_trees(env)

    def _keep_trees(self, env: jinja2.Environment) -> None:
        compile = type(env).compile.__get__(env)  # the class's own, even if set here before

        def compile_keeping_tree(source, name=None, filename=None, raw=False, defer_init=False):
            if isinstance(source, str) and name is not None:
                source = self._trees[name] = env.parse(source, name, filename)
            return compile(source, name, filename, raw, defer_init)

        env.compile = compile_keeping_tree

    # --- listings ----------------------------------------------------------

    def own(self, record: Enterprise | Event) -> str:
        """A listing as written: its file's bytes and the dates history gave it."""
        key = id(record)
        if key not in self._own:
            self._own[key] = _sha(
                record.slug,
                record.checksum or record.source.read_bytes(),
                repr((record.added, record.updated, record.revisions)),
            )
        return self._own[key]

    def _upcoming(self, event: Event) -> str:
        return "à venir" if event.is_upcoming(self.directory.build_time) else "passé"

    def listing(self, record: Enterprise | Event) -> str:
        """A listing as pages and fragments show it: its file, dates and links.

        A listing's page and card show its events, an event's page its enterprises.
        """
        key = id(record)
        if key not in self._listings:
            if isinstance(record, Enterprise):
                links = [[self.own(e), self._upcoming(e)] for e in record.events]
                # Stale or not depends on the build date too (Directory.mark_stale).
                parts = ["E", self.own(record), links, self._awards(record), record.to_check]
            elif isinstance(record, Buyer):
                parts = ["A", record.slug, record.checksum, self._awards(record)]
            else:
                links = [self.own(e) for e in record.enterprises]
                parts = ["V", self.own(record), self._upcoming(record), links]
            self._listings[key] = _sha(json.dumps(parts))
        return self._listings[key]

    def _awards(self, record: Enterprise | Buyer) -> list:
        """The contracts a page shows: their files, and the listings they link."""
        return [
            [
                a.contract.checksum,
                a.data.id,
                [self.own(e) for e in a.enterprises],
                a.contract.buyer.slug if a.contract.buyer else "",
            ]
            for a in record.awards
        ]

    def directory_key(self) -> str:
        """Every listing, and the build date: for pages that show the whole directory."""
        if self._directory_key is None:
            directory = self.directory
            self._directory_key = _sha(
                *(self.listing(r) for r in [*directory.enterprises, *directory.events]),
                *(self.listing(b) for b in directory.buyers),
                *(c.checksum for c in directory.contracts),
                directory.build_time.isoformat(),
            )
        return self._directory_key

    # --- templates ---------------------------------------------------------

    def reads_directory(self, template: str) -> bool:
        """Whether ``template``, or any template it uses, reads ``vitrine``."""
        if template not in self._reads_directory:
            self._reads_directory[template] = True  # cycles and errors: assume it does
            tree = self._tree(template)
            reads = any(n.name == "vitrine" for n in tree.find_all(nodes.Name))
            for used in meta.find_referenced_templates(tree):
                reads = reads or used is None or self.reads_directory(used)
            self._reads_directory[template] = reads
        return self._reads_directory[template]

    def _tree(self, template: str) -> nodes.Template:
        """A template's parsed tree, parsed once a build (read, never changed)."""
        if template not in self._parsed:
            self.env.get_template(template)  # compiled now if not yet: its tree is kept
            tree = self._trees.pop(template, None)
            if tree is None:  # compiled earlier, or from the bytecode cache
                source, _, _ = self.env.loader.get_source(self.env, template)
                tree = self.env.parse(source)
            self._parsed[template] = tree
        return self._parsed[template]

    def shown_as_cards(self, template: str) -> dict[str, list[str]]:
        """The context lists ``template`` shows only as fragments: {variable: [macros]}.

        A listing in such a list counts on the page by those fragments' HTML alone
        (its card), not by its whole file: editing what no card shows (a capacity,
        the hours) rewrites none of the directory's and browse pages. Found in the
        template's tree: every use of the variable is ``{% if variable %}`` or
        ``{% for x in variable %}`` whose ``x`` is only ever ``fragment("macro", x)``;
        and no template it uses (base, macros) names the variable.
        """
        key = f"cartes:{template}"
        if key not in self._reads_directory:
            self._reads_directory[key] = {}  # errors: none is
            tree = self._tree(template)
            used = _used_templates(self, tree, set())
            cards = {} if used is None else _cards(tree)
            for other in used or ():
                names = {n.name for n in self._tree(other).find_all(nodes.Name)}
                cards = {name: macros for name, macros in cards.items() if name not in names}
            self._reads_directory[key] = cards
        return self._reads_directory[key]

    def save(self) -> None:
        _ANALYSED[self._theme_version] = dict(self._reads_directory)
        store.save(self._templates_path, self._theme_version, self._reads_directory)

    # --- pages -------------------------------------------------------------

    def page(self, path: str, template: str, context: dict) -> str | None:
        """The page's fingerprint, or None when it must always be rendered."""
        cards = self.shown_as_cards(template) if self.card else {}
        try:
            described = {
                key: self._cards(value, cards[key]) if key in cards else self._describe(value)
                for key, value in context.items()
            }
            described = json.dumps(described, sort_keys=True)
        except UnknownContextError:
            return None
        whole = self.directory_key() if self.reads_directory(template) else ""
        return _sha(self.site_key, path, template, described, whole)

    def file(self, path: str, inputs: list) -> str | None:
        """A non-HTML file's fingerprint, from what it is made of."""
        try:
            described = json.dumps(self._describe(inputs), sort_keys=True)
        except UnknownContextError:
            return None
        return _sha(self.site_key, path, described)

    def _cards(self, listings, macros: list[str]) -> list:
        if not isinstance(listings, (list, tuple)):
            return self._describe(listings)
        return [[self.card(m, r) for m in macros] for r in listings]

    def _describe(self, value):
        if isinstance(value, (Enterprise, Event, Buyer)):
            return self.listing(value)
        if isinstance(value, dict):
            return {str(k): self._describe(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._describe(v) for v in value]
        if value is None or isinstance(value, (str, int, float, bool, dt.date)):
            return repr(value)
        raise UnknownContextError(type(value).__name__)


def _used_templates(fingerprints: Fingerprints, tree, seen: set[str]) -> set[str] | None:
    """Every template ``tree`` extends, includes or imports, and theirs; None if one is
    chosen at render time."""
    for name in meta.find_referenced_templates(tree):
        if name is None:
            return None
        if name not in seen:
            seen.add(name)
            if _used_templates(fingerprints, fingerprints._tree(name), seen) is None:
                return None
    return seen


def _cards(tree: nodes.Template) -> dict[str, list[str]]:
    """Variables used only as ``{% if v %}`` or ``{% for x in v %}…fragment("m", x)…``."""
    allowed: set[int] = set()
    cards: dict[str, list[str]] = {}
    loops: dict[str, str] = {}  # loop variable → the list it walks
    walks = [loop for loop in tree.find_all(nodes.For)]
    targets = [loop.target.name for loop in walks if isinstance(loop.target, nodes.Name)]
    if len(targets) != len(set(targets)):  # one name for two loops' variables: not followed
        return {}
    for loop in walks:
        if isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name):
            allowed.update((id(loop.iter), id(loop.target)))
            loops[loop.target.name] = loop.iter.name
            cards.setdefault(loop.iter.name, [])
    for test in tree.find_all(nodes.If):
        if isinstance(test.test, nodes.Name):
            allowed.add(id(test.test))
    for call in tree.find_all(nodes.Call):
        shown = call.args[1] if len(call.args) == 2 else None
        if (
            isinstance(call.node, nodes.Name)
            and call.node.name == "fragment"
            and isinstance(call.args[0], nodes.Const)
            and isinstance(shown, nodes.Name)
            and shown.name in loops
        ):
            allowed.add(id(shown))
            cards[loops[shown.name]].append(call.args[0].value)
    names = [*cards, *loops]
    for name in tree.find_all(nodes.Name):  # any other use, a `set` included
        if name.name in names and id(name) not in allowed:
            cards.pop(loops.get(name.name, name.name), None)
    return {name: sorted(set(macros)) for name, macros in cards.items() if macros}


class BuildRecord:
    """What the last build wrote into an output folder, and from which inputs."""

    def __init__(self, path: Path | None, output: Path):
        self.path = path
        self.output = output
        self.previous: dict[str, str | None] = {}
        self.current: dict[str, str | None] = {}
        self.rendered: set[str] = set()
        self.removed: list[str] = []
        self.notes: dict = {}
        self.previous_notes: dict = {}
        if path is not None:
            self._load()
            # Until this build ends, the record on disk promises nothing: a build
            # that stops half-way has rewritten some files, so the next one renders
            # and indexes everything again, and only uses the list of files to
            # remove the stale ones.
            self._write(dict.fromkeys(self.previous), notes={})

    def _load(self) -> None:
        saved = store.load(self.path, (RECORD_VERSION, str(self.output)))
        if isinstance(saved, tuple) and len(saved) == 2:
            self.previous, self.previous_notes = saved
        elif self.path is not None:
            logger.info("vitrine: no usable record of the last build at %s", self.path)

    def needs(self, path: str, fingerprint: str | None) -> bool:
        """Whether the page at ``path`` must be rendered; records it either way."""
        self.current[path] = fingerprint
        unchanged = (
            fingerprint is not None
            and self.previous.get(path) == fingerprint
            and (self.output / path).is_file()
        )
        if not unchanged:
            self.rendered.add(path)
        return not unchanged

    def remove_stale(self) -> list[str]:
        """Delete the files the last build wrote and this one did not."""
        for path in sorted(set(self.previous) - set(self.current)):
            target = self.output / path
            try:
                target.unlink()
            except FileNotFoundError:
                continue
            self.removed.append(path)
            _remove_empty_parents(target.parent, self.output)
        return self.removed

    def touched(self) -> set[str]:
        """Files this build wrote or removed."""
        return self.rendered | set(self.removed)

    def save(self) -> None:
        """The build went through: its fingerprints hold for the next one."""
        if self.path is not None:
            self._write(self.current, self.notes)

    def _write(self, files: dict, notes: dict) -> None:
        if not store.save(self.path, (RECORD_VERSION, str(self.output)), (files, notes)):
            store.remove(self.path)  # the next build is then a full one, not a wrong one


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def record_path(cache: Path, output: Path) -> Path:
    """One record per output folder, in Vitrine's cache folder."""
    return cache / f"sortie-{_sha(str(output.resolve()))[:16]}.pickle"


def code_and_theme_version(theme: Path) -> str:
    """Vitrine's code (the record cache's code version) and the theme's templates and
    translations, with the libraries that render them."""
    from importlib.metadata import version

    # Styles and scripts are copied, not rendered into pages: they don't count.
    themed = sorted(
        p for folder in ("templates", "translations") for p in (theme / folder).rglob("*")
    )
    parts: list[str | bytes] = [code_version()]
    for path in themed:
        if path.is_file():
            parts += [path.relative_to(theme).as_posix(), path.read_bytes()]
    libraries = ("pelican", "jinja2", "markupsafe", "babel", "icalendar", "pagefind")
    return _sha(*parts, *(version(name) for name in libraries))
