"""Shared fixtures: the real vocabularies, scratch content trees, real Pelican builds."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from vitrine.content.vocabulary import load_vocabularies  # noqa: E402
from vitrine.settings import build_time  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
BUILD_DATE = "2026-11-27 12:00"


def load_sample():
    """The shipped sample content, validated afresh (callers may change its records)."""
    from vitrine.content.load import load_directory
    from vitrine.settings import Layout

    where = Layout(ROOT / "content/enterprises", ROOT / "content/events")
    vocabularies = load_vocabularies(ROOT / "content/vocabulaires.yml")
    directory, problems = load_directory(
        where, vocabularies, build_time({"VITRINE_BUILD_DATE": BUILD_DATE})
    )
    assert problems == []
    return directory


@pytest.fixture(scope="session")
def vocabularies():
    return load_vocabularies(ROOT / "content" / "vocabulaires.yml")


@pytest.fixture(scope="session")
def context(vocabularies):
    return {
        "vocabularies": vocabularies,
        "today": build_time({"VITRINE_BUILD_DATE": BUILD_DATE}).date(),
    }


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
    return read_settings(str(ROOT / "pelicanconf.py"), override=overrides)


def build(content: Path, output: Path, **extra) -> Path:
    """Run a real Pelican build; raises what the build raises."""
    from pelican import Pelican

    Pelican(pelican_settings(content, output, **extra)).run()
    return output


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The shipped sample content, built once for the whole session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site") / "output")


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


@pytest.fixture(scope="session")
def listing_site(tmp_path_factory) -> Path:
    """A tiny site: one listing with every field, one with hostile text, two events."""
    root = tmp_path_factory.mktemp("listings")
    content = make_content(root, LISTINGS)
    (content / "images").mkdir()
    (content / "images/elan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return build(content, root / "output", **LISTING_SITE_SETTINGS)


# --- Browser tests (helpers in tests/browser.py) -----------------------------


def pytest_collection_modifyitems(config, items):
    """A test that uses the ``browser`` fixture must carry the ``browser`` marker,
    so that ``pytest -m "not browser"`` never starts Chromium."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the browser fixture without @pytest.mark.browser:\n  "
            + "\n  ".join(unmarked)
        )


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium, one for the whole test session.

    Playwright's sync API allows one instance per thread at a time: tests get
    Chromium from this fixture only, never from a Playwright of their own.
    """
    from browser import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(autouse=True)
def _close_pages(request):
    """Close the pages a browser test left open: the next test starts from none."""
    yield
    chromium = request.node.funcargs.get("browser")  # only if the test set it up
    for context in chromium.contexts if chromium else ():
        context.close()


@pytest.fixture(scope="session")
def site_url(sample_site):
    """The sample site served on 127.0.0.1 for the whole session."""
    from browser import serve

    with serve(sample_site) as url:
        yield url
