"""Validation: every problem, with its exact French message, line and field."""

from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_content
from vitrine.__main__ import main
from vitrine.content.load import load_directory
from vitrine.content.validate import read_record
from vitrine.settings import Layout
from vitrine.settings import read as read_vitrine_settings

NEGATIVE = sorted((FIXTURES / "invalid").glob("*/*.md"))
KIND = {"enterprises": "enterprise", "events": "event"}


def problems_of(path: Path, context) -> list[str]:
    record, problems = read_record(path, KIND[path.parent.name], context)
    assert record is None
    return [
        f"{p.line}: {p.field}: {p.message}" if p.field else f"{p.line}: {p.message}"
        for p in sorted(problems)
    ]


@pytest.mark.parametrize("path", NEGATIVE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_invalid_file_gets_its_exact_messages(path, context):
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert problems_of(path, context) == expected


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*/*.md")), ids=lambda p: p.stem)
def test_valid_file_becomes_a_record(path, context):
    record, problems = read_record(path, KIND[path.parent.name], context)
    assert problems == []
    assert record.slug == path.stem


def test_values_are_normalised_not_mangled(context):
    record, _ = read_record(FIXTURES / "valid/enterprises/coop-exemple.md", "enterprise", context)
    data = record.data
    assert data.adresse.code_postal == "J1H 5N4"
    assert data.contact.telephone == "819 555-0142 poste 12"
    assert data.neq == "0123456789"
    assert data.langues == ["fr"] and data.fondation == 1998
    assert record.description_html == "<p>Une <strong>description</strong> en Markdown.</p>"
    traps, _ = read_record(FIXTURES / "valid/enterprises/yaml-traps.md", "enterprise", context)
    assert (traps.data.nom, traps.data.mission, traps.data.adresse.ville) == ("NO", "on", "Off")
    assert traps.data.offre[0].nom == "yes" and traps.data.offre[0].description == "01000"


def test_the_shipped_sample_content_is_valid_and_rich(vocabularies):
    layout = Layout(ROOT / "content/enterprises", ROOT / "content/events")
    directory, problems = load_directory(
        layout,
        vocabularies,
        read_vitrine_settings({"VITRINE_BUILD_DATE": "2026-11-27"}).build_time(),
    )
    assert problems == []
    enterprises = directory.enterprises
    assert len(enterprises) >= 24 and len(directory.events) >= 8
    assert set(directory.vocabularies["formes_juridiques"]) == {
        e.data.forme_juridique for e in enterprises
    }
    local = set(list(vocabularies["territoires"])[:9])
    assert local <= {t for e in enterprises for t in e.data.territoires}
    assert len({s for e in enterprises for s in e.data.secteurs}) >= 10
    assert directory.upcoming_events() and directory.past_events()


def _two_listings(tmp_path, second_name, second_slug_in_event="coop-a"):
    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    event = (FIXTURES / "valid/events/atelier.md").read_text(encoding="utf-8")
    return make_content(tmp_path, {
        "enterprises/coop-a.md": listing,
        f"enterprises/{second_name}": listing,
        "events/atelier.md": event.replace("coop-exemple", second_slug_in_event),
    })  # fmt: skip


def load(content, vocabularies):
    layout = Layout(content / "enterprises", content / "events")
    return load_directory(
        layout,
        vocabularies,
        read_vitrine_settings({"VITRINE_BUILD_DATE": "2026-11-27"}).build_time(),
    )


def test_event_naming_a_missing_enterprise_is_reported_with_a_suggestion(tmp_path, vocabularies):
    content = _two_listings(tmp_path, "coop-b.md", second_slug_in_event="coop-c")
    directory, problems = load(content, vocabularies)
    assert [str(p) for p in problems] == [
        f"{content}/events/atelier.md:11: entreprises[1]: aucune fiche « coop-c » dans "
        "content/enterprises/ : vouliez-vous dire « coop-b » ? écrivez le nom du fichier "
        "de la fiche, sans « .md »"
    ]
    assert directory.events == []


def test_two_spellings_of_one_name_collide_and_are_reported(tmp_path, vocabularies):
    content = _two_listings(tmp_path, "Coop-A.md")
    directory, problems = load(content, vocabularies)
    messages = [(p.path.name, p.message) for p in problems]
    assert (
        "Coop-A.md",
        "nom de fichier à changer : renommez-le « coop-a.md » (minuscules, "
        "sans accents ni espaces, mots séparés par des traits d'union)",
    ) in messages
    assert [e.slug for e in directory.enterprises] == ["coop-a"]


def test_cli_prints_every_problem_and_exits_non_zero(tmp_path, capsys):
    bad = FIXTURES / "invalid/enterprises"
    content = make_content(tmp_path, {
        "enterprises/a.md": (bad / "bad-email.md").read_text(encoding="utf-8"),
        "enterprises/b.md": (bad / "misspelt-sector.md").read_text(encoding="utf-8"),
    })  # fmt: skip
    assert main(["validate", "--content", str(content)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"{content}/enterprises/a.md:13: contact.courriel: courriel invalide"
    )
    assert lines[1].startswith(f"{content}/enterprises/b.md:5: secteurs[1]: « informatiqe »")
    assert "2 problèmes dans 2 fichiers." in err


def test_cli_exits_zero_on_valid_content(tmp_path, capsys):
    content = make_content(tmp_path, {
        "enterprises/coop-exemple.md": (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8"),
    })  # fmt: skip
    assert main(["validate", "--content", str(content)]) == 0
    assert "Tout est valide : 1 fiche, 0 événement." in capsys.readouterr().err
