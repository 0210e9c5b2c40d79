"""Every UI string goes through gettext, and the English catalogue covers all of them."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from helpers import FIXTURES, ROOT, build, make_content, soup
from vitrine.translations import load_translations

TEMPLATES = ROOT / "theme/templates"
PLUGIN = ROOT / "plugins/vitrine"  # the digest writes some sentences itself
CATALOGUE = ROOT / "theme/translations/en.po"
METHODS = [("**.html", "jinja2"), ("**.txt", "jinja2")]
OPTIONS = {"**": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}


def template_strings() -> set[tuple[str | None, str]]:
    """(context, message) of every string `make translations` extracts, templates then
    the plugin's Python: one message in two contexts is two strings."""
    found = set()
    for folder, methods in ((TEMPLATES, METHODS), (PLUGIN, [("**.py", "python")])):
        for _file, _line, message, _comments, context in extract_from_dir(
            str(folder), methods, options_map=OPTIONS
        ):
            found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


def catalogue_entries() -> list:
    with CATALOGUE.open("rb") as po:
        return [m for m in read_po(po) if m.id]


def test_every_template_string_has_an_english_translation():
    translated = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue_entries()
        if not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    strings = template_strings()
    assert len(strings) > 100  # the extraction really read the templates
    missing = sorted(strings - translated)
    assert missing == [], f"run `make translations` and translate in {CATALOGUE}: {missing[:10]}"


def test_make_translations_would_drop_no_catalogue_entry():
    """An entry no template or module uses is dead, and `make translations` drops it:
    a string used but missed by the extraction would lose its translation that way."""
    entries = {
        (m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue_entries()
    }
    assert sorted(entries - template_strings()) == []


def test_the_site_builds_in_english(tmp_path):
    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    content = make_content(tmp_path, {"enterprises/coop-exemple.md": listing})
    output = build(content, tmp_path / "out", DEFAULT_LANG="en")
    page = soup(output / "entreprises/coop-exemple/index.html")
    assert page.html["lang"] == "en"
    navigation = page.find("nav").get_text(" ", strip=True)
    assert "Directory" in navigation and "Répertoire" not in navigation
    assert "Coopérative Exemple" in page.h1.get_text()  # content itself stays as written


def test_every_vocabulary_value_has_an_english_label(vocabularies):
    missing = vocabularies.untranslated("en")
    assert missing == [], (
        "ajoutez « en: English label » sous ces valeurs de content/vocabulaires.yml : "
        + ", ".join(f"{name}: {code}" for name, code in missing[:10])
    )


def test_a_message_used_as_a_label_and_in_a_plural_translates_right_in_both():
    english = load_translations(ROOT / "theme/translations", "en")
    label = english.pgettext("type de fiche", "Événement à venir")
    assert label == "Upcoming event"
    assert english.ngettext("Événement à venir", "Événements à venir", 1) == "Upcoming event"
    assert english.ngettext("Événement à venir", "Événements à venir", 3) == "Upcoming events"
    french = load_translations(ROOT / "theme/translations", "fr")
    assert french.pgettext("type de fiche", "Événement à venir") == "Événement à venir"
