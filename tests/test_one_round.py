"""A contributor fixes everything in one round: template copies and default file
names refused, misplaced files reported by every check and by the build, advice
about indentation, values under misspelled keys checked. Through the command line,
as a contributor runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from helpers import FIXTURES, ROOT, build, git, make_content
from vitrine.__main__ import main
from vitrine.content import template
from vitrine.content.reader import read_source
from vitrine.problems import ContentError

ENTERPRISE = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
TEMPLATE = ROOT / "modeles/fiche-entreprise.md"


def validate(*args: str) -> tuple[int, list[str]]:
    """``python -m vitrine validate …`` in a process of its own, as a contributor runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "vitrine", "validate", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    return result.returncode, result.stdout.splitlines()


# --- A copy of the template ------------------------------------------------------------


def test_a_plain_copy_of_the_template_is_refused_value_by_value(tmp_path):
    content = make_content(tmp_path)
    shutil.copy(TEMPLATE, content / "enterprises/nouvelle-entreprise.md")
    code, lines = validate("--content", str(content))
    assert code == 1
    shown = f"{content}/enterprises/nouvelle-entreprise.md"
    source = read_source(TEMPLATE)
    expected = {
        ("nom", source.lines[("nom",)], "Coopérative de solidarité Exemple", "nom de l'entreprise"),
        ("contact.personne", source.lines[("contact", "personne")], "Prénom Nom, directrice générale", "personne-ressource"),
        ("contact.courriel", source.lines[("contact", "courriel")], "info@exemple.ca", ""),
        ("contact.site_web", source.lines[("contact", "site_web")], "https://exemple.ca", ""),
        ("neq", source.lines[("neq",)], "1234567890", "10 chiffres"),
        ("adresse.rue", source.lines[("adresse", "rue")], "123, rue Exemple", "numéro et rue"),
        ("mission", source.lines[("mission",)], "Offrir aux organisations", "mission en une phrase"),
        ("offre[1].description", source.lines[("offre", 0, "description")], "Repas froids", "une ou deux phrases"),
    }  # fmt: skip
    for field, line, value, advice in expected:
        prefix = (
            f"{shown}:{line}: {field}: valeur d'exemple du modèle laissée telle quelle (« {value}"
        )
        found = [text for text in lines if text.startswith(prefix)]
        assert len(found) == 1, (field, lines)
        assert "remplacez-la par la vôtre" in found[0] and advice in found[0]
    assert f"{shown}:1: nom de fichier du modèle à changer : renommez « nouvelle-entreprise.md » en « nom-de-l-entreprise.md »" in lines[0]  # fmt: skip
    body = [text for text in lines if "texte d'exemple du modèle" in text]
    assert body[0].startswith(f"{shown}:{source.body_line}: texte d'exemple du modèle laissé tel quel (« Ici, après la deuxième ligne")  # fmt: skip
    # Codes, the city, the postal code and the phone may be real: not reported.
    assert not any(f": {field}" in text for text in lines for field in ("secteurs", "adresse.ville", "contact.telephone", "territoires"))  # fmt: skip


def test_the_check_follows_the_template_when_staff_edit_it(tmp_path, monkeypatch, capsys):
    templates = tmp_path / "modeles"
    templates.mkdir()
    shutil.copy(ROOT / "modeles/evenement.md", templates / "evenement.md")
    edited = TEMPLATE.read_text(encoding="utf-8").replace(
        "nom: Coopérative de solidarité Exemple", "nom: Coopérative de travail Modèle"
    )
    (templates / "fiche-entreprise.md").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(template, "TEMPLATES", templates)
    template.examples.cache_clear()
    content = make_content(tmp_path, {
        "enterprises/coop-modele.md": ENTERPRISE.replace("Coopérative Exemple", "Coopérative de travail Modèle"),
        "enterprises/coop-exemple.md": ENTERPRISE.replace("Coopérative Exemple", "Coopérative de solidarité Exemple"),
    })  # fmt: skip
    try:
        assert main(["validate", "--content", str(content)]) == 1
    finally:
        template.examples.cache_clear()
    assert capsys.readouterr().out.splitlines() == [
        f"{content}/enterprises/coop-modele.md:2: nom: valeur d'exemple du modèle laissée "
        "telle quelle (« Coopérative de travail Modèle ») : remplacez-la par la vôtre (nom de l'entreprise)"
    ]


def test_values_a_real_listing_may_share_with_the_template_are_accepted(context):
    """A city, a postal code, a phone, codes, a year, a few plain words: anyone's."""
    from vitrine.content.validate import read_record

    template_values = TEMPLATE.read_text(encoding="utf-8")
    shared = {
        "code_postal: j1h5n4": "code_postal: J1H 5N4",
        "telephone: (819) 555-0142 poste 12": "telephone: 819 555-0142",
        "fondation: 1998": "fondation: 2010",
        "nom: Boîtes à lunch": "nom: Service de traiteur",
        "secteurs: [traiteur-alimentation]": "secteurs: [traiteur-alimentation, formation-insertion]",
    }
    listing = ENTERPRISE
    for old, new in shared.items():
        assert old in listing and new.split(": ", 1)[1] in template_values, new
        listing = listing.replace(old, new)
    path = FIXTURES / "valid/enterprises/coop-exemple.md"
    record, problems = read_record(path, "enterprise", context, listing.encode())
    assert problems == [] and record is not None


@pytest.mark.parametrize(
    ("kind", "folder", "suggested"),
    [
        ("enterprise", "enterprises", "cooperative-exemple.md"),
        ("event", "events", "2026-12-atelier-d-essai.md"),
    ],
)
def test_the_default_file_name_is_refused_with_the_name_to_use(
    tmp_path, capsys, kind, folder, suggested
):
    event = (FIXTURES / "valid/events/atelier.md").read_text(encoding="utf-8")
    name = template.NEW_FILE_NAME[kind]
    content = make_content(tmp_path, {
        "enterprises/coop-exemple.md": ENTERPRISE,
        f"{folder}/{name}": ENTERPRISE if kind == "enterprise" else event,
    })  # fmt: skip
    assert main(["validate", "--content", str(content)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"{content}/{folder}/{name}:1: nom de fichier du modèle à changer : "
        f"renommez « {name} » en « {suggested} »"
    ), lines


# --- Files the site would not read ------------------------------------------------------

MISPLACED = {
    "enterprises/Ma Coop.txt": "fichier ignoré par le site, qui ne lit que les fichiers « .md » : "
    "renommez-le en « ma-coop.md »",
    "enterprises/sous-dossier/x.md": "fichier dans un sous-dossier, ignoré par le site : il ne "
    "lit que les fichiers placés directement dans content/enterprises/; déplacez-le en "
    "« content/enterprises/x.md »",
    "events/vieux/2027-01-atelier.md": "fichier dans un sous-dossier, ignoré par le site : il ne "
    "lit que les fichiers placés directement dans content/events/; déplacez-le en "
    "« content/events/2027-01-atelier.md »",
    "enterprises/_coop-y.md": "fichier ignoré par le site, car son nom commence par « _ » : "
    "renommez-le en « coop-y.md »",
    "events/Atelier d'hiver.markdown": "fichier ignoré par le site, qui ne lit que les fichiers "
    "« .md » : renommez-le en « atelier-d-hiver.md »",
}
WRONG_NAME = (
    "content/enterprises/Coopérative Été.md:1: nom de fichier à changer : renommez-le "
    "« cooperative-ete.md » (minuscules, sans accents ni espaces, mots séparés par des traits "
    "d'union)"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A content repository on branch ``fiche``, one valid listing on ``main``."""
    make_content(tmp_path, {"enterprises/coop-exemple.md": ENTERPRISE})
    (tmp_path / "content/enterprises/.gitkeep").write_text("", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "départ")
    git(tmp_path, "checkout", "-q", "-b", "fiche")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _misplace(repo):
    for name in MISPLACED:
        path = repo / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            ENTERPRISE.replace("Coopérative Exemple", "Coopérative X"), encoding="utf-8"
        )
    path = repo / "content/enterprises/Coopérative Été.md"
    path.write_text(ENTERPRISE.replace("Coopérative Exemple", "Coopérative Été"), encoding="utf-8")


def test_misplaced_files_get_the_same_messages_from_validate_and_validate_changed(repo):
    _misplace(repo)
    expected = sorted(
        [*(f"content/{name}:1: {message}" for name, message in MISPLACED.items()), WRONG_NAME]
    )
    code, everything = validate()
    assert code == 1 and sorted(everything) == expected
    code, changed = validate("--changed-since", "main")
    assert code == 1 and sorted(changed) == expected
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "fiches mal placées")
    code, committed = validate("--changed-since", "main")
    assert code == 1 and sorted(committed) == expected


def test_the_build_reports_misplaced_files_instead_of_dropping_them(repo, capsys):
    _misplace(repo)
    with pytest.raises(ContentError) as raised:
        build(repo / "content", repo / "output")
    reported = {
        (p.path.relative_to(repo / "content").as_posix(), p.message) for p in raised.value.problems
    }
    assert set(MISPLACED.items()) <= reported


def test_a_named_misplaced_file_is_explained_not_called_a_stranger(repo):
    _misplace(repo)
    code, lines = validate("content/enterprises/Ma Coop.txt")
    assert (code, lines) == (
        1,
        [f"content/enterprises/Ma Coop.txt:1: {MISPLACED['enterprises/Ma Coop.txt']}"],
    )


# --- Indentation and misspelled keys, all in one round ---------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "advice"),
    [
        ("    description: Un", "   description: Un", 8,
         "retrait incorrect : « description » a 3 espaces devant; mettez-en 4 pour aligner "
         "« description » sur « nom » (ligne 7), sous « offre »"),
        ("    description: Un", "\tdescription: Un", 8,
         "une tabulation sert de retrait : remplacez-la par des espaces, 4 espaces en tout, "
         "pour aligner « description » sur « nom » (ligne 7), sous « offre »"),
        ("  ville: Sherbrooke", "   ville: Sherbrooke", 12,
         "retrait incorrect : « ville » a 3 espaces devant; mettez-en 2 pour aligner « ville » "
         "sur « rue » (ligne 11), sous « adresse »"),
    ],
)  # fmt: skip
def test_a_mis_indented_line_gets_advice_about_indentation(repo, old, new, line, advice):
    text = (
        (FIXTURES / "invalid/enterprises/indentation-three-spaces.md")
        .read_text(encoding="utf-8")
        .replace("   description: Un", "    description: Un")
        .replace("  ville: Sherbrooke", "  rue: 12, rue King\n  ville: Sherbrooke")
    )
    assert old in text
    (repo / "content/enterprises/coop-exemple.md").write_text(
        text.replace(old, new), encoding="utf-8"
    )
    code, lines = validate("--changed-since", "main")
    assert code == 1
    assert lines == [
        f"content/enterprises/coop-exemple.md:{line}: syntaxe YAML invalide : {advice}"
    ]
    assert "guillemets" not in lines[0]


def test_keys_at_the_start_of_the_line_are_read_where_they_belong(repo):
    shutil.copy(
        FIXTURES / "invalid/enterprises/indentation-missing.md",
        repo / "content/enterprises/coop-exemple.md",
    )
    code, lines = validate()
    assert code == 1
    text = "\n".join(lines)
    assert "appartient à « offre » (ligne 6) : ajoutez 4 espaces au début de la ligne" in text
    assert "appartient à « adresse » (ligne 10) : ajoutez 2 espaces" in text
    # Read where it was meant, the value is checked too, and nothing is « missing ».
    assert "14: courriel: courriel invalide" in text
    assert "champ obligatoire manquant" not in text and "champ inconnu" not in text


def test_a_value_under_a_misspelled_key_is_checked_in_the_same_round(repo):
    shutil.copy(
        FIXTURES / "invalid/enterprises/misspelt-key-and-value.md",
        repo / "content/enterprises/coop-exemple.md",
    )
    code, lines = validate("--changed-since", "main")
    assert code == 1
    shown = "content/enterprises/coop-exemple.md"
    assert lines[0] == (
        f"{shown}:5: secteur: champ inconnu « secteur » : vouliez-vous dire « secteurs » ? "
        "(sa valeur est vérifiée comme celle de « secteurs »)"
    )
    assert lines[1].startswith(
        f"{shown}:5: secteur[1]: « traiteur » n'est pas une valeur connue; "
        "vouliez-vous dire « traiteur-alimentation » ?"
    )
    assert lines[2].startswith(f"{shown}:13: contact.courriels: champ inconnu « courriels » : vouliez-vous dire « courriel » ?")  # fmt: skip
    assert lines[3] == f"{shown}:13: contact.courriels: courriel invalide : écrivez-le sous la forme « nom@exemple.ca »"  # fmt: skip
    assert len(lines) == 4  # no « secteurs » missing


def test_the_sample_content_still_validates(capsys):
    assert main(["validate", "--content", str(ROOT / "content")]) == 0


def test_a_misspelled_block_still_takes_its_mis_indented_line(repo):
    listing = (FIXTURES / "invalid/enterprises/indentation-missing.md").read_text(encoding="utf-8")
    listing = listing.replace("adresse:", "adress:")
    (repo / "content/enterprises/coop-exemple.md").write_text(listing, encoding="utf-8")
    code, lines = validate("--changed-since", "main")
    shown = "content/enterprises/coop-exemple.md"
    assert code == 1
    assert f"{shown}:10: adress: champ inconnu « adress » : vouliez-vous dire « adresse » ? (sa valeur est vérifiée comme celle de « adresse »)" in lines  # fmt: skip
    assert f"{shown}:12: ville: retrait manquant : « ville » appartient à « adress » (ligne 10) : ajoutez 2 espaces au début de la ligne, pour l'aligner sur « rue » (ligne 11)" in lines  # fmt: skip
    assert not any("manquant : ajoutez une ligne" in line for line in lines)
