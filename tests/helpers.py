"""Helpers any test module may import: paths, scratch content trees, real
Pelican builds, HTML parsing, git, and the listings the tests build sites from.

Fixtures live in conftest.py and browser helpers in browser.py. A test module
imports its helpers from these three, never from another test module.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import functools
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from vitrine.content.vocabulary import load_vocabularies  # noqa: E402
from vitrine.settings import read as read_vitrine_settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = Path(__file__).parent / "hostile"
BUILD_DATE = "2026-11-27 12:00"


# --- content trees and real builds ----------------------------------------------


def load_sample():
    """The shipped sample content, validated afresh (callers may change its records)."""
    from vitrine.content.load import load_directory
    from vitrine.settings import Layout

    where = Layout(ROOT / "content/enterprises", ROOT / "content/events")
    vocabularies = load_vocabularies(ROOT / "content/vocabulaires.yml")
    directory, problems = load_directory(
        where, vocabularies, read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time()
    )
    assert problems == []
    return directory


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_content(root: Path, files: dict[str, str] | None = None) -> Path:
    """A content tree: the real vocabularies plus the given files (relative paths)."""
    content = root / "content"
    (content / "enterprises").mkdir(parents=True, exist_ok=True)
    (content / "events").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "vocabulaires.yml", content / "vocabulaires.yml")
    for name, text in (files or {}).items():
        write(content / name, text)
    return content


def pelican_settings(content: Path, output: Path, **extra) -> dict:
    from pelican.settings import read_settings

    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "SITEURL": "",
        "VITRINE_BUILD_DATE": BUILD_DATE,
        **extra,
    }
    settings = read_settings(str(ROOT / "pelicanconf.py"), override=overrides)
    if "CACHE_PATH" not in extra:  # a test of the cache itself looks for its own
        # The theme compiled once for the whole session (about a fifth of a small build):
        # Jinja checks each template's source, so a test's edited copy is compiled again.
        jinja = settings["JINJA_ENVIRONMENT"]
        settings["JINJA_ENVIRONMENT"] = {**jinja, "bytecode_cache": _compiled_templates()}
    return settings


@functools.cache
def _compiled_templates():
    import jinja2

    folder = Path(tempfile.mkdtemp(prefix="vitrine-gabarits-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def build(content: Path, output: Path, **extra) -> Path:
    """Run a real Pelican build; raises what the build raises."""
    from pelican import Pelican

    Pelican(pelican_settings(content, output, **extra)).run()
    return output


def build_themed(content: Path, theme: Path, output: Path, **extra) -> Path:
    """A real build with its own copy of the theme (the ``workspace`` fixture's)."""
    return build(content, output, THEME=str(theme), **extra)


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- two builds compared -----------------------------------------------------------
#
# The one exception to "same bytes" is Pagefind's filter data: ``pagefind.*.pf_meta``
# and the ``filter/*.pf_filter`` chunks (so their content-hashed names, and the hash in
# ``pagefind-entry.json``) list filters in hash-map order (upstream issue #638).
# Those must have the same number of files of the same sizes.

# Each language's bundles: pagefind/ for the main one, en/pagefind/ for English.
UNORDERED = re.compile(
    r"^(?:[a-z]{2}/)?pagefind/\d+/(pagefind\.[^/]*\.pf_meta|filter/[^/]*\.pf_filter)$"
)
ENTRY = re.compile(r"^(?:[a-z]{2}/)?pagefind/\d+/pagefind-entry\.json$")


def _files(output: Path) -> dict[str, Path]:
    return {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}


def _unordered(path: Path) -> int:
    """Size of a Pagefind filter file once un-gzipped: the same whatever the order.

    (Its bytes can't be compared even sorted: the meta file names the filter
    chunks by content hash, and those hashes follow the order.)
    """
    data = path.read_bytes()
    with contextlib.suppress(OSError):  # stored uncompressed
        data = gzip.decompress(data)
    return len(data)


def _entry(path: Path) -> dict:
    """pagefind-entry.json without the meta file's content hash."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    for language in entry.get("languages", {}).values():
        language.pop("hash", None)
    return entry


def assert_same_site(first_site: Path, second_site: Path) -> None:
    """Same files, same bytes; Pagefind's unordered filter data: same sizes."""
    first, second = _files(first_site), _files(second_site)
    ordered = sorted(n for n in first if not UNORDERED.search(n) and not ENTRY.search(n))
    assert ordered == sorted(n for n in second if not UNORDERED.search(n) and not ENTRY.search(n))
    assert len(ordered) > 50
    different = [name for name in ordered if first[name].read_bytes() != second[name].read_bytes()]
    assert different == []

    sizes = sorted(_unordered(p) for n, p in first.items() if UNORDERED.search(n))
    assert sizes and sizes == sorted(
        _unordered(p) for n, p in second.items() if UNORDERED.search(n)
    )
    entries = sorted(n for n in first if ENTRY.search(n))
    assert entries == sorted(n for n in second if ENTRY.search(n))
    for name in entries:
        assert _entry(first[name]) == _entry(second[name])


# --- git: a real repository in a temporary folder ----------------------------------


def git(repo: Path, *args: str, day: str | None = None) -> str:
    """Run git in ``repo`` as a test author, away from the user's configuration;
    ``day`` dates the commit. Its output; raises if git fails."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:  # YYYY-MM-DD (noon) or YYYY-MM-DDTHH:MM:SS, in Québec's winter time
        stamp = f"{day}-05:00" if "T" in day else f"{day}T12:00:00-05:00"
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = stamp
    identity = ("-c", "user.name=Essai", "-c", "user.email=essai@example.org")
    result = subprocess.run(
        ["git", *identity, "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


# --- territories, read straight from vocabulaires.yml ---------------------------------


def served_per_yaml(codes: list[str], vocabulary: str = "territoires") -> set[str]:
    """What a listing that writes ``codes`` serves, read straight from vocabulaires.yml.

    Independent of the implementation: the expected answer of every test that asks
    which listings serve a territory.
    """
    import yaml

    data = yaml.safe_load((ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8"))
    covers = (data.get("couvertures") or {}).get(vocabulary) or {}
    served, todo = set(), list(codes)
    while todo:
        code = todo.pop()
        if code not in served:
            served.add(code)
            todo += covers.get(code, [])
    return served


def catch_alls_per_yaml(vocabulary: str = "territoires") -> set[str]:
    """The values that cover others (« toute-l-estrie »), from vocabulaires.yml."""
    import yaml

    data = yaml.safe_load((ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8"))
    return set((data.get("couvertures") or {}).get(vocabulary) or {})


# --- Outputs without a build: a Site whose writer keeps files in memory -----------


class MemoryWriter:
    """The build's writer (build/site.py Writer) for one output's unit tests."""

    def __init__(self):
        self.files: dict[str, str | bytes] = {}

    def write_file(self, relative_path, data, inputs=None):
        self.files[relative_path] = data() if callable(data) else data
        return relative_path

    def kept(self, kind, record, make):
        return make()


def memory_site(directory, **settings):
    """A ``Site`` of ``directory`` for outputs that write files (no pages, no templates)."""
    from vitrine.build.site import Site

    values = {"VITRINE_SITE_URL": "https://exemple.example", "VITRINE_BUILD_DATE": BUILD_DATE}
    return Site(
        directory=directory,
        settings=read_vitrine_settings({**values, **settings}, environ={}),
        writer=MemoryWriter(),
        output=Path("output"),
    )


# --- pages and open data: one small site whose listings exercise every field ---

LISTINGS = {
    "enterprises/coop-elan.md": """
        ---
        nom: Coopérative Élan & Cie
        forme_juridique: cooperative-de-solidarite
        mission: Nourrir les équipes de l'Estrie avec des produits d'ici.
        secteurs: [traiteur-alimentation, formation-insertion]
        offre:
          - nom: Boîtes à lunch
            description: De 10 à 300 personnes, livrées chaudes.
          - nom: Pauses-café
            description: Café équitable et viennoiseries maison.
        territoires: [sherbrooke, coaticook]
        adresse:
          rue: 100, rue King Ouest
          ville: Sherbrooke
          code_postal: J1H 5N4
        contact:
          personne: Émilie Côté, directrice
          courriel: commandes@elan.example
          telephone: 819 555-0142 poste 12
          site_web: https://elan.example
        langues: [fr, en]
        certifications: [aliments-du-quebec, entreprise-d-insertion]
        capacite: Jusqu'à 300 repas par jour; commande 48 heures à l'avance.
        impacts:
          - 12 personnes en insertion chaque année
          - 4 tonnes de déchets évitées
        neq: "1171234567"
        fondation: 1998
        logo: images/elan.png
        date_ajout: 2025-03-12
        date_mise_a_jour: 2026-10-15
        ---
        Une **présentation** en Markdown.
    """,
    "enterprises/atelier-hostile.md": """
        ---
        nom: 'Atelier </script><script>alert("x")</script> <!-- &amp;'
        forme_juridique: obnl
        mission: '=HYPERLINK("https://piege.example")'
        secteurs: [ebenisterie]
        offre:
          - nom: '@Meubles | sur mesure'
            description: '-Tables et chaises.'
        territoires: [memphremagog]
        adresse:
          ville: Magog
        contact:
          site_web: https://atelier.example
        ---
    """,
    "events/maillage-a-venir.md": """
        ---
        titre: Maillage de décembre
        type: maillage
        debut: 2026-12-10 08:30
        fin: 2026-12-10 11:30
        lieu:
          nom: Le Parvis
          ville: Sherbrooke
        public: tous
        entreprises: [coop-elan]
        ---
        Description.
    """,
    "events/formation-passee.md": """
        ---
        titre: Formation passée
        type: formation
        debut: 2026-03-10 08:30
        fin: 2026-03-10 11:30
        lieu:
          nom: Hôtel de ville
          ville: East Angus
        public: entreprises
        ---
        Description.
    """,
}
LISTING_SITE_SETTINGS = {
    "VITRINE_SITE_URL": "https://annuaire.example/",
    "VITRINE_REPOSITORY_URL": "https://forge.example/rees/vitrine",
    "VITRINE_CONTACT_EMAIL": "achat@rees.example",
}


# --- the digest's period: listings and events around December 2026 ----------------

DIGEST_SITE = "https://annuaire.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def listing(name: str, *, added=None, updated=None, offer=("Service",), territories=("sherbrooke",), logo=None) -> str:  # fmt: skip
    lines = [
        "---",
        f"nom: {name}",
        "forme_juridique: obnl",
        f"mission: Mission de {name}.",
        "secteurs: [traiteur-alimentation]",
        "offre:",
        *[f"  - nom: {item}\n    description: Description de {item}." for item in offer],
        f"territoires: [{', '.join(territories)}]",
        "adresse:\n  ville: Sherbrooke",
        "contact:\n  courriel: info@exemple.example",
    ]
    if logo:
        lines.append(f"logo: {logo}")
    if added:
        lines.append(f"date_ajout: {added}")
    if updated:
        lines.append(f"date_mise_a_jour: {updated}")
    return "\n".join([*lines, "---", f"Présentation de {name}.", ""])


def event(title: str, start: str, end: str) -> str:
    return (
        f"---\ntitre: {title}\ntype: formation\ndebut: {start}\nfin: {end}\n"
        "lieu:\n  nom: Salle\n  ville: Magog\npublic: tous\nprix: 0\n---\nDescription.\n"
    )


DECEMBER = """
---
titre: "Infolettre de décembre : test"
periode: 2026-12
preheader: Trois choses à savoir ce mois-ci.
---
Bonjour! Lisez [notre guide](/repertoire/) et [le site du réseau](https://rees.example/a?b=1).
"""

DIGEST_TREE = {
    "enterprises/nouvelle.md": listing("Nouvelle Coop", added="2026-12-05", logo="images/nouvelle.png"),
    "enterprises/nouvelle-webp.md": listing("Coop Vectorielle", added="2026-12-01", logo="images/vecto.webp"),
    "enterprises/fin-de-mois.md": listing("Coop Fin de mois", added="2026-12-31"),
    "enterprises/mise-a-jour.md": listing("Atelier Mis à jour", added="2025-01-01", updated="2026-12-20"),
    "enterprises/ancienne.md": listing("Ancienne Coop", added="2025-01-01", updated="2026-11-30"),
    "enterprises/future.md": listing("Future Coop", added="2027-01-02"),
    "enterprises/sans-date.md": listing("Coop Sans Date"),
    "events/avant.md": event("Événement passé", "2026-11-30 09:00", "2026-11-30 10:00"),
    "events/debut.md": event("Premier jour", "2026-12-01 08:00", "2026-12-01 09:00"),
    "events/horizon.md": event("Dernier jour annoncé", "2027-03-01 10:00", "2027-03-01 11:00"),
    "events/trop-loin.md": event("Trop loin", "2027-03-02 09:00", "2027-03-02 10:00"),
    "digests/2026-12.md": DECEMBER,
}  # fmt: skip
DIGEST_SETTINGS = {"VITRINE_SITE_URL": DIGEST_SITE + "/", "SITENAME": "Vitrine d'essai"}


def digest_tree(root: Path, files: dict[str, str] = DIGEST_TREE) -> Path:
    content = make_content(root, files)
    (content / "images").mkdir(exist_ok=True)
    (content / "images/nouvelle.png").write_bytes(PNG)
    (content / "images/vecto.webp").write_bytes(b"RIFF\x1a\x00\x00\x00WEBPVP8L")
    return content


# --- hostile content (tests/hostile/) ---------------------------------------------

# Valid listings whose text is hostile: they must be published, defused.
ACCEPTED = [
    "enterprises/script-in-description",
    "enterprises/iframe",
    "enterprises/style",
    "enterprises/event-handlers",
    "enterprises/javascript-link",
    "enterprises/data-link",
    "enterprises/form",
    "enterprises/script-in-name",
    "enterprises/bom",
    "enterprises/crlf",
    "enterprises/tabs",
    "enterprises/unicode-collision",
    "enterprises/very-large",
    "events/script-in-title",
]


def build_hostile_site(root: Path) -> Path:
    """A site built from every valid-but-nasty fixture; returns its output folder."""
    content = make_content(root)
    for name in ACCEPTED:
        path = HOSTILE / f"{name}.md"
        (content / name).with_suffix(".md").write_bytes(path.read_bytes())
    return build(content, root / "output")


# --- The Atom feed, read back by a parser the project does not write with ----------

ATOM = "{http://www.w3.org/2005/Atom}"


def validated_feed(output: Path) -> bool:
    """feedparser reads the feed without complaint, and RFC 4287's rules hold."""
    raw = (output / "flux/nouveautes.atom").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(raw)
    for tag in ("id", "title", "updated"):  # 4.1.1: required on the feed
        assert root.findtext(f"{ATOM}{tag}"), tag
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # 4.1.1: or on every entry
    ids, times = set(), []
    for entry in root.findall(f"{ATOM}entry"):
        for tag in ("id", "title", "updated"):  # 4.1.2
            assert entry.findtext(f"{ATOM}{tag}"), tag
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None  # no content src
        assert entry.findtext(f"{ATOM}id") not in ids  # 4.2.6: unique
        ids.add(entry.findtext(f"{ATOM}id"))
        updated = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        published = dt.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
        assert updated.tzinfo and published <= updated  # 3.3: RFC 3339 with an offset
        times.append(updated)
    assert times == sorted(times, reverse=True)
    if times:
        assert dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == max(times)
    return True
