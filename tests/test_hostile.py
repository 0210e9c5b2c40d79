"""Hostile contributions: each attack in tests/hostile/ is refused with a clear French
message and its line, or accepted harmlessly, in bounded time and memory."""

from __future__ import annotations

import json
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ACCEPTED, HOSTILE, ROOT, build, build_hostile_site, make_content
from vitrine.build import generator
from vitrine.build.audit import LostListingsError
from vitrine.build.site import Report
from vitrine.content.load import load_directory
from vitrine.content.markup import render_markdown
from vitrine.content.reader import MAX_FILE_BYTES
from vitrine.content.validate import read_record
from vitrine.settings import Layout

# A hang guard, not a speed measurement (speed lives in bench/): a pathological file
# must not take minutes of super-linear parsing. CPU seconds of this process, so that
# other processes on a busy machine don't count.
SECONDS = 10.0
PEAK_BYTES = 64 * 1024 * 1024

_TAG = (
    "ne sont pas acceptées : retirez-la; pour garder un texte tel quel, mettez-le entre guillemets"
)
_CONTROL = "supprimez-le (il vient souvent d'un copier-coller depuis un traitement de texte)"
_BIDI = "il peut afficher le texte à l'envers; supprimez-le"
_LOGO_PATH = (
    "logo: chemin de logo refusé : écrivez le chemin de l'image à partir du dossier content/, "
    "par exemple « logo: images/mon-logo.png » (sans « / » au début, sans « .. », sans "
    "espaces ni accents)"
)
_URL = "adresse web invalide : écrivez l'adresse complète, par exemple « https://exemple.ca »"
_PRICE = "prix: prix invalide : écrivez un montant en dollars (« 25 ») ou « 0 » si gratuit"

REFUSED = {
    "enterprises/alias-bomb": [
        "2: les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : "
        "écrivez la valeur en entier"
    ],
    "enterprises/deep-nesting": ["2: imbrication trop profonde : simplifiez la structure"],
    "enterprises/deep-nesting-block": ["11: imbrication trop profonde : simplifiez la structure"],
    "enterprises/binary": [
        "3: fichier binaire (octet nul) : une fiche est un fichier texte en UTF-8"
    ],
    "enterprises/not-utf8": [
        "2: le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 (dans votre "
        "éditeur : « Enregistrer sous » puis « UTF-8 »)"
    ],
    "enterprises/tab-indent": [
        "11: syntaxe YAML invalide : une tabulation sert de retrait : remplacez-la par des "
        "espaces, 2 espaces en tout, pour placer « ville » sous « adresse » (ligne 10)"
    ],
    "enterprises/logo-traversal": [f"14: {_LOGO_PATH}"],
    "enterprises/logo-absolute": [f"14: {_LOGO_PATH}"],
    "enterprises/logo-url": [
        "14: logo: le logo doit être un fichier du dépôt, pas une adresse web : déposez "
        "l'image dans content/images/ et écrivez « logo: images/mon-logo.png »"
    ],
    "enterprises/logo-svg": [
        "14: logo: format d'image refusé (« .svg ») : le logo doit être une image PNG, JPG "
        "ou WebP (.png, .jpg, .jpeg ou .webp)"
    ],
    "enterprises/logo-missing": [
        "14: logo: image introuvable : déposez le fichier dans content/images/absent.png ou "
        "corrigez le chemin (majuscules et minuscules comptent)"
    ],
    "enterprises/logo-not-an-image": [
        "14: logo: content/images/faux.png n'est pas une image PNG valide : enregistrez le "
        "logo en PNG, JPG ou WebP depuis un logiciel d'images"
    ],
    "enterprises/yaml-python-tag": [
        f"2: les étiquettes YAML (« !!python/object/apply:os.system ») {_TAG}"
    ],
    "enterprises/yaml-custom-tag": [f"14: les étiquettes YAML (« !!int ») {_TAG}"],
    "enterprises/huge-number": [
        "14: fondation: nombre beaucoup trop grand : « " + "9" * 60 + "… (5000 caractères) »"
    ],
    "enterprises/control-chars": [f"2: caractère de contrôle invisible (U+0007) : {_CONTROL}"],
    "enterprises/control-escape": [f"2: caractère de contrôle invisible (U+001B) : {_CONTROL}"],
    "enterprises/bidi-override": [
        f"2: caractère invisible de direction du texte (U+202E) : {_BIDI}"
    ],
    "enterprises/bidi-escape": [f"2: caractère invisible de direction du texte (U+2067) : {_BIDI}"],
    "enterprises/site-web-javascript": [f"14: contact.site_web: {_URL}"],
    "enterprises/site-web-data": [f"14: contact.site_web: {_URL}"],
    "enterprises/email-injection": [
        "13: contact.courriel: courriel invalide : écrivez-le sous la forme « nom@exemple.ca »"
    ],
    "enterprises/markdown-brackets": [
        "17: paragraphe trop chargé : plus de 50 « [ » (liens ou balises) dans un même "
        "paragraphe; séparez-le par des lignes vides ou retirez des liens"
    ],
    "enterprises/markdown-deep-list": [
        "24: imbrication trop profonde dans la description (listes ou citations « > ») : "
        "simplifiez la structure"
    ],
    "events/inscription-javascript": [f"10: inscription: {_URL}"],
    "events/prix-nan": [f"10: {_PRICE}"],
    "events/prix-huge": [f"10: {_PRICE}"],
}

FORBIDDEN_TAGS = [
    "script", "iframe", "style", "form", "input", "textarea", "select", "button",
    "object", "embed", "link", "img", "svg", "math", "meta", "base",
]  # fmt: skip
KIND = {"enterprises": "enterprise", "events": "event"}


def test_every_fixture_has_a_test():
    names = {f"{p.parent.name}/{p.stem}" for p in HOSTILE.glob("*/*.md")}
    assert names == set(REFUSED) | set(ACCEPTED)


@pytest.fixture(scope="module")
def hostile_context(context, tmp_path_factory):
    """The validation context, with a content folder holding one fake picture."""
    content = tmp_path_factory.mktemp("hostile-content")
    (content / "images").mkdir()
    (content / "images/faux.png").write_text("<svg onload=alert(1)>", encoding="utf-8")
    return {**context, "content": content}


def fixture_path(name: str, tmp_path: Path) -> Path:
    path = HOSTILE / f"{name}.md"
    if name.endswith("very-large"):  # generated: a 256 KB file has no place in git
        big = tmp_path / "enterprises" / path.name
        big.parent.mkdir(parents=True)
        raw = path.read_bytes()
        big.write_bytes(raw + b"Bla bla bla.\n" * ((MAX_FILE_BYTES - len(raw)) // 13 + 1))
        return big
    return path


def read_bounded(path: Path, kind: str, context: dict):
    """read_record under a stopwatch and a memory meter."""
    tracemalloc.start()
    start = time.process_time()
    try:
        record, problems = read_record(path, kind, context)
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{path.name} took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"{path.name} used {peak // 1024} KB"
    return record, problems


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_with_its_line_and_a_french_message(
    name, hostile_context, tmp_path
):
    path = fixture_path(name, tmp_path)
    record, problems = read_bounded(path, KIND[name.split("/")[0]], hostile_context)
    assert record is None
    messages = [f"{p.line}: {p.field}: {p.message}" if p.field else f"{p.line}: {p.message}"
                for p in sorted(problems)]  # fmt: skip
    assert messages == REFUSED[name]


def test_very_large_file_is_refused_before_parsing(hostile_context, tmp_path):
    path = fixture_path("enterprises/very-large", tmp_path)
    record, problems = read_bounded(path, "enterprise", hostile_context)
    assert record is None
    assert [(p.line, p.message) for p in problems] == [
        (
            1,
            "fichier trop volumineux (256 Ko) : une fiche doit faire moins de 256 Ko; "
            "raccourcissez la description",
        )
    ]


def assert_defused(html: str) -> BeautifulSoup:
    """No active content survives: tags, handlers, styles, non-web links."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(FORBIDDEN_TAGS) is None, html
    for element in soup.find_all(True):
        for attribute in element.attrs:
            assert not attribute.lower().startswith("on"), element
            assert attribute not in ("style", "class", "id", "srcdoc", "formaction"), element
    for link in soup.find_all("a"):
        href = link.get("href")
        assert href is None or href.split(":")[0] in ("https", "http", "mailto", "tel"), link
        assert link["rel"] == ["nofollow", "ugc", "noopener"]
    return soup


@pytest.mark.parametrize("name", ACCEPTED)
def test_valid_but_nasty_file_is_accepted_and_defused(name, hostile_context, tmp_path):
    path = fixture_path(name, tmp_path)
    if name.endswith("very-large"):
        path.write_bytes(HOSTILE.joinpath(f"{name}.md").read_bytes())  # under the limit
    record, problems = read_bounded(path, KIND[name.split("/")[0]], hostile_context)
    assert problems == []
    assert_defused(record.description_html)


def test_sanitised_description_keeps_the_text_and_drops_the_script(hostile_context):
    record, _ = read_record(
        HOSTILE / "enterprises/script-in-description.md", "enterprise", hostile_context
    )
    text = BeautifulSoup(record.description_html, "html.parser").get_text()
    assert "Avant le script." in text and "Après le script." in text
    assert "alert" not in text and "hostile" not in text


def test_only_web_links_survive_and_external_links_are_marked(hostile_context):
    record, _ = read_record(
        HOSTILE / "enterprises/javascript-link.md", "enterprise", hostile_context
    )
    links = BeautifulSoup(record.description_html, "html.parser").find_all("a")
    assert [a.get("href") for a in links] == [None] * 5 + ["https://exemple.example/"]
    assert links[-1]["rel"] == ["nofollow", "ugc", "noopener"]


def test_bom_crlf_and_tabs_are_accepted_with_the_right_lines(hostile_context):
    bom, _ = read_record(HOSTILE / "enterprises/bom.md", "enterprise", hostile_context)
    assert bom.name == "Coopérative Exemple"
    crlf, _ = read_record(HOSTILE / "enterprises/crlf.md", "enterprise", hostile_context)
    assert crlf.description_html == "<p>Ligne un.\nLigne deux.</p>"
    tabs, _ = read_record(HOSTILE / "enterprises/tabs.md", "enterprise", hostile_context)
    assert tabs.name == "Coopérative\tExemple"
    assert "<pre><code>code indenté" in tabs.description_html


def test_two_unicode_spellings_are_one_text_and_one_page_address(tmp_path, vocabularies):
    listing = (HOSTILE / "enterprises/unicode-collision.md").read_text(encoding="utf-8")
    composed = unicodedata.normalize("NFC", "coopérative")
    decomposed = unicodedata.normalize("NFD", "coopérative")
    content = make_content(tmp_path, {
        f"enterprises/{composed}.md": listing,
        f"enterprises/{decomposed}.md": listing,
        "enterprises/cooperative.md": listing,
    })  # fmt: skip
    layout = Layout(content / "enterprises", content / "events")
    directory, problems = load_directory(layout, vocabularies, _build_time())
    assert [e.slug for e in directory.enterprises] == ["cooperative"]
    assert directory.enterprises[0].name == unicodedata.normalize("NFC", "Coopérative")
    collisions = [p for p in problems if p.message.startswith("même adresse de page")]
    assert sorted(p.path.name for p in collisions) == sorted([f"{composed}.md", f"{decomposed}.md"])
    assert all("« cooperative »" in p.message and "cooperative.md" in p.message for p in collisions)


def _build_time():
    from vitrine.settings import read as read_vitrine_settings

    return read_vitrine_settings({"VITRINE_BUILD_DATE": "2026-11-27"}).build_time()


# --- the built pages: front-matter text is escaped everywhere, JSON-LD included ---


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    return build_hostile_site(tmp_path_factory.mktemp("hostile-site"))


def test_hostile_text_never_becomes_markup_in_any_page(hostile_site):
    pages_checked = 0
    for page in hostile_site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for script in soup.find_all("script"):
            assert "alert" not in script.get_text() or script.get("type") in (
                "application/ld+json",
                "application/json",
            ), page
            if script.get("src"):
                assert script["src"].startswith("/"), page
        for element in soup.find_all(True):
            assert not any(a.lower().startswith("on") for a in element.attrs), (page, element)
        assert soup.find(["iframe", "object", "embed", "base"]) is None, page
        for form in soup.find_all("form"):  # the theme's own search form only
            assert form.get("action", "") in ("", "/") or form["action"].startswith("/"), page
            assert "evil" not in str(form), page
        pages_checked += 1
    assert pages_checked > 10


def test_a_name_with_a_closing_script_tag_stays_inside_the_json_ld(hostile_site):
    page = hostile_site / "entreprises/script-in-name/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    name = 'Atelier </script><script>alert("nom")</script> <!-- &amp;'
    assert soup.h1.get_text() == name  # shown as text
    data = [json.loads(s.get_text()) for s in soup.find_all("script", type="application/ld+json")]
    assert [d["name"] for d in data] == [name]  # one JSON-LD block, intact
    scripts = soup.find_all("script")
    assert all(s.get("src") or s.get("type", "").endswith("json") for s in scripts)
    event = BeautifulSoup(
        (hostile_site / "evenements/script-in-title/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    title = '</script><script>alert("titre")</script>'
    assert event.h1.get_text() == title
    event_ld = [
        json.loads(s.get_text()) for s in event.find_all("script", type="application/ld+json")
    ]
    assert [d["name"] for d in event_ld] == [title]


# --- nothing lost: the audit after every build (more in test_audit.py) --------


def test_a_build_that_loses_a_page_fails(tmp_path, monkeypatch):
    listing = (ROOT / "tests/fixtures/valid/enterprises/coop-exemple.md").read_text("utf-8")
    content = make_content(tmp_path, {"enterprises/a.md": listing, "enterprises/b.md": listing})

    def lose_a_page(site):  # runs after the pages are written
        (site.output / "entreprises/b/index.html").unlink()
        return Report("perte")

    monkeypatch.setattr(generator, "OUTPUTS", (lose_a_page,))
    with pytest.raises(LostListingsError, match="pages d'entreprises : manque b"):
        build(content, tmp_path / "out")


def test_markdown_rendering_is_bounded_on_pathological_input():
    start = time.process_time()
    for text in ("![" * 49 + "a " * 2900 + "\n\n") * 3, "\\" * 5000, "<a" * 49 + "x" * 5000:
        render_markdown(text)
    assert time.process_time() - start < 3 * SECONDS  # a hang guard (see SECONDS)
