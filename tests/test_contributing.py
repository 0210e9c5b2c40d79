"""Contributing by pull request: the validator's three voices, the changed-files
check against a real git repository, the template, the forge links, the CI
workflow and the JSON Schemas; then a new contributor's whole path."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import yaml
from helpers import FIXTURES, ROOT, build, git, make_content, pelican_settings, soup
from vitrine import urls
from vitrine.__main__ import NOT_A_LISTING, NOT_FOUND, annotation, main
from vitrine.content.reader import read_source
from vitrine.content.schema_export import SCHEMAS, stale_files
from vitrine.content.validate import read_record
from vitrine.outputs.forge import new_listing_url, template_text
from vitrine.problems import Problem
from vitrine.settings import read as read_vitrine_settings

ENTERPRISE = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
EVENT = (FIXTURES / "valid/events/atelier.md").read_text(encoding="utf-8")
BAD = FIXTURES / "invalid/enterprises"
TEMPLATE = ROOT / "modeles/fiche-entreprise.md"
EVENT_TEMPLATE = ROOT / "modeles/evenement.md"
WORKFLOW = ROOT / ".github/workflows/pull-request.yml"
FORGE = {"VITRINE_REPOSITORY_URL": "https://forge.example/rees/vitrine/"}
SETTINGS = read_vitrine_settings(FORGE)
# Past about 8 000 characters some forges and proxies refuse a URL.
MAX_URL_LENGTH = 8000


def expected_lines(fixture: str, shown_path: str) -> list[str]:
    """The fixture's pinned messages, prefixed with the path as printed."""
    text = (BAD / f"{fixture}.expected").read_text(encoding="utf-8")
    return [f"{shown_path}:{line}" for line in text.splitlines()]


def bad(fixture: str) -> str:
    return (BAD / f"{fixture}.md").read_text(encoding="utf-8")


@pytest.fixture
def two_bad_files(tmp_path, monkeypatch):
    """content/ with two invalid listings; the working folder is its parent."""
    make_content(
        tmp_path, {"enterprises/a.md": bad("bad-email"), "enterprises/b.md": bad("misspelt-sector")}
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- The three output formats --------------------------------------------------------


def test_text_format_prints_path_line_field_and_message(two_bad_files, capsys):
    assert main(["validate"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == (
        expected_lines("bad-email", "content/enterprises/a.md")
        + expected_lines("misspelt-sector", "content/enterprises/b.md")
    )
    assert err.strip() == "2 problèmes dans 2 fichiers."


def test_github_format_prints_one_annotation_per_problem(two_bad_files, capsys):
    assert main(["validate", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "::error file=content/enterprises/a.md,line=13,title=Champ « contact.courriel »"
        "::contact.courriel : courriel invalide : écrivez-le sous la forme « nom@exemple.ca »"
    )
    assert lines[1].startswith(
        "::error file=content/enterprises/b.md,line=5,title=Champ « secteurs[1] »"
        "::secteurs[1] : « informatiqe » n'est pas une valeur connue; "
        "vouliez-vous dire « informatique » ?"
    )
    assert len(lines) == 2


def _parse_annotation(line: str) -> dict[str, str]:
    """Decode a workflow command as the forge does."""
    match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<data>.*)", line)
    assert match, line

    def unescape(text: str) -> str:
        for code, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
            text = text.replace(code, char)
        return text

    props = dict(pair.split("=", 1) for pair in match["props"].split(","))
    return {**{k: unescape(v) for k, v in props.items()}, "message": unescape(match["data"])}


def test_annotation_escapes_what_would_break_the_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    problem = Problem(tmp_path / "content/enterprises/a,b.md", 3, "", "100 % : ligne 1\nligne 2")
    decoded = _parse_annotation(annotation(problem, tmp_path))
    assert decoded == {
        "file": "content/enterprises/a,b.md",
        "line": "3",
        "title": "Fichier à corriger",
        "message": "100 % : ligne 1\nligne 2",
    }


def test_github_format_writes_every_problem_to_the_run_summary(two_bad_files, monkeypatch):
    summary = two_bad_files / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    main(["validate", "--format", "github"])
    rows = [
        line
        for line in summary.read_text(encoding="utf-8").splitlines()
        if line.startswith("| content")
    ]
    assert rows[0] == (
        "| content/enterprises/a.md | 13 | contact.courriel | "
        "courriel invalide : écrivez-le sous la forme « nom@exemple.ca » |"
    )
    assert len(rows) == 2


def test_json_format_is_a_list_of_problems_for_tools(two_bad_files, capsys):
    assert main(["validate", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert problems[0] == {
        "path": "content/enterprises/a.md",
        "line": 13,
        "field": "contact.courriel",
        "message": "courriel invalide : écrivez-le sous la forme « nom@exemple.ca »",
    }
    assert [(p["path"], p["line"], p["field"]) for p in problems] == [
        ("content/enterprises/a.md", 13, "contact.courriel"),
        ("content/enterprises/b.md", 5, "secteurs[1]"),
    ]


def test_json_format_prints_an_empty_list_when_all_is_valid(tmp_path, monkeypatch, capsys):
    make_content(tmp_path, {"enterprises/coop-exemple.md": ENTERPRISE})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_named_files_only_are_reported_and_strays_are_explained(two_bad_files, capsys):
    (two_bad_files / "notes.md").write_text("---\nnom: x\n---\n", encoding="utf-8")
    code = main(
        ["validate", "content/enterprises/b.md", "content/enterprises/absent.md", "notes.md"]
    )
    assert code == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"content/enterprises/absent.md:1: {NOT_FOUND}",
        *expected_lines("misspelt-sector", "content/enterprises/b.md"),
        f"notes.md:1: {NOT_A_LISTING}",
    ]


# --- Only what a pull request changes, in a real git repository ----------------------


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """main: two valid listings, an event naming one of them, and one listing
    that was already broken before the branch; then a branch ``fiche``."""
    make_content(tmp_path, {
        "enterprises/coop-a.md": ENTERPRISE,
        "enterprises/coop-b.md": ENTERPRISE.replace("Coopérative Exemple", "Coopérative B"),
        "enterprises/deja-cassee.md": bad("bad-phone"),
        "events/atelier.md": EVENT.replace("coop-exemple", "coop-a"),
    })  # fmt: skip
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "contenu de départ")
    git(tmp_path, "checkout", "-q", "-b", "fiche")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_files_mode_reports_only_the_changed_bad_files(repo, capsys):
    enterprises = repo / "content/enterprises"
    (enterprises / "coop-a.md").write_text(bad("bad-email"), encoding="utf-8")  # committed, bad
    git(repo, "commit", "-q", "-am", "courriel")
    good = ENTERPRISE.replace("Une coopérative", "Une excellente coopérative")
    (enterprises / "coop-b.md").write_text(good, encoding="utf-8")  # uncommitted, good
    (enterprises / "nouvelle.md").write_text(bad("misspelt-sector"), encoding="utf-8")  # untracked

    assert main(["validate", "--changed-since", "main"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == (
        expected_lines("bad-email", "content/enterprises/coop-a.md")
        + expected_lines("misspelt-sector", "content/enterprises/nouvelle.md")
    )
    assert "deja-cassee" not in out  # broken on main already: not this pull request's fault
    assert err.strip() == "2 problèmes dans 2 fichiers."


def test_changed_files_mode_is_quiet_when_only_good_changes(repo, capsys):
    path = repo / "content/enterprises/coop-b.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Sherbrooke", "Magog"), encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "déménagement")
    assert main(["validate", "--changed-since", "main", "--format", "github"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == "Tout est valide : 1 fichier vérifié."


def test_a_deleted_listing_still_named_by_an_event_fails_the_check(repo, capsys):
    git(repo, "rm", "-q", "content/enterprises/coop-a.md")
    assert main(["validate", "--changed-since", "main"]) == 1
    out, err = capsys.readouterr()
    assert "content/events/atelier.md:11: entreprises[1]: aucune fiche « coop-a »" in out
    assert "une fiche ou un événement a été supprimé ou renommé" in err


def test_a_vocabulary_change_checks_every_file(repo, capsys):
    vocabulary = repo / "content/vocabulaires.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(
        text.replace(
            "    en: Spanish\n", "    en: Spanish\n  de:\n    fr: Allemand\n    en: German\n"
        ),
        encoding="utf-8",
    )
    assert main(["validate", "--changed-since", "main"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("content/enterprises/deja-cassee.md:")
    assert err.startswith("les vocabulaires ont changé : tout le contenu est vérifié.")


def test_a_listing_in_the_wrong_place_is_reported_not_silently_ignored(repo, capsys):
    (repo / "content/enterprises/sous-dossier").mkdir()
    (repo / "content/enterprises/sous-dossier/coop-c.md").write_text(ENTERPRISE, encoding="utf-8")
    (repo / "content/enterprises/coop-d.txt").write_text(ENTERPRISE, encoding="utf-8")
    assert main(["validate", "--changed-since", "main"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/enterprises/coop-d.txt:1: fichier ignoré par le site, qui ne lit que les "
        "fichiers « .md » : renommez-le en « coop-d.md »",
        "content/enterprises/sous-dossier/coop-c.md:1: fichier dans un sous-dossier, ignoré "
        "par le site : il ne lit que les fichiers placés directement dans content/enterprises/; "
        "déplacez-le en « content/enterprises/coop-c.md »",
    ]


def test_an_unknown_base_says_how_to_fetch_it(repo, capsys):
    assert main(["validate", "--changed-since", "origin/main"]) == 2
    assert capsys.readouterr().err.strip() == (
        "Impossible de trouver les fichiers modifiés : la référence git « origin/main » "
        "est introuvable : récupérez-la avec « git fetch origin main »"
    )


def test_annotation_paths_are_relative_to_the_repository_root(repo, capsys, monkeypatch):
    (repo / "content/enterprises/coop-a.md").write_text(bad("bad-email"), encoding="utf-8")
    monkeypatch.chdir(repo / "content")  # run from elsewhere, content given absolute
    main(
        [
            "validate",
            "--changed-since",
            "main",
            "--content",
            str(repo / "content"),
            "--format",
            "github",
        ]
    )
    assert capsys.readouterr().out.startswith("::error file=content/enterprises/coop-a.md,line=13,")


# --- The template --------------------------------------------------------------------


def test_the_template_as_shipped_is_refused_only_for_its_example_values(context):
    """Valid in form, so a contributor who replaces the examples has a valid listing."""
    record, problems = read_record(TEMPLATE, "enterprise", context)
    assert record is None and problems
    assert all("d'exemple du modèle" in p.message for p in problems), problems


def test_the_event_template_as_shipped_is_refused_only_for_its_example_values(
    tmp_path, monkeypatch, capsys
):
    content = make_content(tmp_path, {
        "enterprises/coop-octet-libre.md": (ROOT / "content/enterprises/coop-octet-libre.md").read_text(encoding="utf-8"),
        "events/2027-06-visite.md": EVENT_TEMPLATE.read_text(encoding="utf-8"),
    })  # fmt: skip
    assert main(["validate", "--content", str(content)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all("d'exemple du modèle" in line for line in lines), lines


@pytest.mark.parametrize("template", [TEMPLATE, EVENT_TEMPLATE], ids=lambda p: p.stem)
def test_the_template_comments_list_every_vocabulary_code(template, vocabularies):
    """The comments name the codes to write; a code added by staff must appear."""
    source = read_source(template)
    comments = " ".join(
        line
        for line in template.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("#")
    )
    model = SCHEMAS["entreprise" if template == TEMPLATE else "evenement"].model
    for name, field in model.model_fields.items():
        vocabulary = (field.json_schema_extra or {}).get("x-vocabulaire")
        if vocabulary and name in source.data:
            missing = [
                code for code in vocabularies[vocabulary] if not re.search(rf"\b{code}\b", comments)
            ]
            assert missing == [], f"{template.name}: {name}"


def test_the_template_is_never_published(sample_site):
    assert not TEMPLATE.is_relative_to(ROOT / "content")
    pages = [p.parent.name for p in (sample_site / "entreprises").glob("*/index.html")]
    assert pages and "fiche-entreprise" not in pages
    assert "Coopérative de solidarité Exemple" not in (
        sample_site / "repertoire/index.html"
    ).read_text(encoding="utf-8")


# --- Forge links ---------------------------------------------------------------------


def test_new_listing_link_opens_the_forge_with_the_template_prefilled():
    url = new_listing_url(SETTINGS)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://forge.example/rees/vitrine/new/main/content/enterprises"
    )
    query = parse_qs(parts.query)
    assert query["filename"] == ["nouvelle-entreprise.md"]
    assert query["value"] == [TEMPLATE.read_text(encoding="utf-8")]
    assert "+" not in parts.query  # spaces as %20: every forge decodes them
    assert len(url) < MAX_URL_LENGTH


def test_new_event_link_and_edit_link_follow_the_settings():
    settings = read_vitrine_settings({**FORGE, "VITRINE_REPOSITORY_BRANCH": "production"})
    event = urlsplit(new_listing_url(settings, "event"))
    assert event.path == "/rees/vitrine/new/production/content/events"
    assert parse_qs(event.query)["value"] == [template_text("event")]
    assert urls.edit_listing(settings, "enterprise", "coop-a") == (
        "https://forge.example/rees/vitrine/edit/production/content/enterprises/coop-a.md"
    )


def test_no_forge_configured_means_no_link():
    assert new_listing_url(read_vitrine_settings({"VITRINE_REPOSITORY_URL": ""})) is None


# --- The pull-request workflow -------------------------------------------------------


def test_the_workflow_parses_and_runs_the_local_make_targets():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "pull_request" in triggers
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [step.get("run", "") for step in steps]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the base branch and history dates need it
    validate = next(i for i, c in enumerate(commands) if "make validate-changed" in c)
    assert "FORMAT=github" in commands[validate]
    build = next(i for i, c in enumerate(commands) if re.search(r"\bmake html\b", c))
    upload = next(
        i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert validate < build < upload
    assert steps[upload]["with"]["path"] == "output/"


def test_the_make_targets_the_workflow_runs_exist():
    for target in ("validate-changed BASE=origin/main FORMAT=github", "html", "schemas"):
        result = subprocess.run(
            ["make", "-n", "-C", str(ROOT), *target.split()], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    dry = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "validate-changed", "BASE=origin/main", "FORMAT=github"],
        capture_output=True,
        text=True,
    ).stdout
    assert "-m vitrine validate --changed-since origin/main --format github" in dry


# --- JSON Schemas --------------------------------------------------------------------


def test_the_committed_schemas_equal_freshly_generated_ones(vocabularies):
    assert stale_files(ROOT / "schemas", vocabularies) == []


def test_the_schema_lists_the_vocabularies_codes(vocabularies):
    schema = json.loads((ROOT / "schemas/fiche-entreprise.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]
    assert properties["secteurs"]["items"]["enum"] == list(vocabularies["secteurs"])
    assert properties["forme_juridique"]["enum"] == list(vocabularies["formes_juridiques"])
    assert properties["secteurs"]["items"]["enumDescriptions"][0] == "Traiteur et alimentation"
    assert schema["additionalProperties"] is False
    for kind in SCHEMAS:
        jsonschema.Draft202012Validator.check_schema(schema_for(kind))  # a well-formed schema


def test_schema_check_names_a_stale_file_and_the_command_to_fix_it(tmp_path, capsys):
    assert main(["schema", "--write", str(tmp_path)]) == 0
    (tmp_path / "evenement.schema.json").write_text("{}", encoding="utf-8")
    assert main(["schema", "--check", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{tmp_path}/evenement.schema.json: n'est plus à jour avec le modèle ou les "
        f"vocabulaires : régénérez-le avec « python -m vitrine schema --write {tmp_path} »"
    )


class EditorLoader(yaml.SafeLoader):
    """YAML as an editor's YAML 1.2 language server reads it: dates stay text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front_matter(path: Path):
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---\n")[1], Loader=EditorLoader)


def schema_for(kind: str) -> dict:
    return json.loads((ROOT / "schemas" / SCHEMAS[kind].file).read_text(encoding="utf-8"))


SAMPLES = [
    *[("entreprise", p) for p in sorted((ROOT / "content/enterprises").glob("*.md"))],
    *[("evenement", p) for p in sorted((ROOT / "content/events").glob("*.md"))],
    ("entreprise", TEMPLATE),
    ("evenement", EVENT_TEMPLATE),
]


@pytest.mark.parametrize(("kind", "path"), SAMPLES, ids=lambda v: getattr(v, "stem", v))
def test_sample_listings_and_templates_validate_against_the_schema(kind, path):
    validator = jsonschema.Draft202012Validator(schema_for(kind))
    assert [e.message for e in validator.iter_errors(front_matter(path))] == []


@pytest.mark.parametrize("fixture", ["unknown-key", "misspelt-sector", "missing-mission"])
def test_the_schema_refuses_what_the_validator_refuses(fixture):
    validator = jsonschema.Draft202012Validator(schema_for("entreprise"))
    assert not validator.is_valid(front_matter(BAD / f"{fixture}.md"))


# --- A new contributor's whole path ----------------------------------------------------


def test_a_new_contributor_copies_the_template_fills_it_and_sees_the_page(
    tmp_path, monkeypatch, capsys
):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.chdir(tmp_path)
    # The forge saves the template as it is: every example left is a problem, at once.
    copy = content / "enterprises/nouvelle-entreprise.md"
    copy.write_text(template_text(), encoding="utf-8")
    assert main(["validate", "content/enterprises/nouvelle-entreprise.md"]) == 1
    out = capsys.readouterr().out
    assert "renommez « nouvelle-entreprise.md » en « nom-de-l-entreprise.md »" in out
    for field in ("nom", "mission", "contact.personne", "contact.courriel", "neq"):
        assert f": {field}: valeur d'exemple du modèle laissée telle quelle" in out, field

    copy.unlink()
    listing = content / "enterprises/coop-du-vallon.md"
    filled = template_text()
    for example, own in {
        "Coopérative de solidarité Exemple": "Coopérative du Vallon",
        "[traiteur-alimentation, formation-insertion]": "[amenagement-paysager]",
        "Offrir aux organisations de l'Estrie des repas de qualité préparés par des personnes "
        "en parcours d'insertion.": "Verdir les cours d'école du Val-Saint-François.",
        "Boîtes à lunch pour réunions": "Plantation d'arbres",
        "Repas froids ou chauds livrés, de 10 à 200 personnes, options végétariennes.": (
            "Arbres indigènes plantés et arrosés la première année."
        ),
        "Service de traiteur": "Entretien de haies",
        "Buffets et pauses-café pour vos événements, avec vaisselle réutilisable.": (
            "Taille et entretien, sans pesticides."
        ),
        "123, rue Exemple": "45, chemin du Vallon",
        "Prénom Nom, directrice générale": "Lucie Tremblay, coordonnatrice",
        "info@exemple.ca": "bonjour@vallon.example",
        "https://exemple.ca": "https://vallon.example",
        "Jusqu'à 200 repas par jour; commande 48 heures à l'avance.": "Dix chantiers par saison.",
        "12 personnes en parcours d'insertion chaque année": "Huit emplois d'été pour des jeunes",
        '"1234567890"': '"1170000001"',
        "We cook affordable meals for organizations and train people looking for work.": (
            "We green schoolyards."
        ),
    }.items():
        assert example in filled, example
        filled = filled.replace(example, own)
    filled = filled.split("\n---\n", 1)[0] + "\n---\nNous verdissons l'Estrie depuis 2010.\n"
    listing.write_text(filled, encoding="utf-8")

    assert main(["validate", "content/enterprises/coop-du-vallon.md"]) == 0, capsys.readouterr()
    assert capsys.readouterr().err.strip() == "Tout est valide : 1 fichier vérifié."

    output = build(content, tmp_path / "output")
    page = soup(output / "entreprises/coop-du-vallon/index.html")
    assert page.h1.get_text(strip=True) == "Coopérative du Vallon"
    assert "Plantation d'arbres" in page.get_text()
    assert page.find("a", href="mailto:bonjour@vallon.example")
    edit = page.find("a", string="Modifier cette fiche")["href"]
    assert edit.endswith("/edit/main/content/enterprises/coop-du-vallon.md")
    directory = soup(output / "repertoire/index.html")
    assert "Coopérative du Vallon" in directory.get_text()
    settings = pelican_settings(content, output)
    propose = directory.find("a", string="Proposer une nouvelle fiche")
    assert propose["href"] == new_listing_url(read_vitrine_settings(settings))

    guide = soup(output / "ajouter-ou-modifier-votre-fiche/index.html")
    assert guide.h1.get_text(strip=True) == "Ajouter ou modifier votre fiche"
    assert guide.find("h2", string=re.compile("Lire les messages de la vérification"))


# --- The guide -------------------------------------------------------------------------

GUIDE_PAGE = ROOT / "content/pages/ajouter-ou-modifier-votre-fiche.md"


def guide_body() -> str:
    """The site page without Pelican's ``Key: value`` header."""
    return GUIDE_PAGE.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_the_guide_page_has_pelican_metadata_and_is_the_contributing_guide():
    header = GUIDE_PAGE.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    assert header[:2] == [
        "Title: Ajouter ou modifier votre fiche",
        "Slug: ajouter-ou-modifier-votre-fiche",
    ]
    # One text, two places: the site page is CONTRIBUTING.md's guide, word for word.
    assert guide_body() in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_every_message_quoted_in_the_guide_is_one_the_validator_prints():
    pinned = {
        line
        for expected in (FIXTURES / "invalid").glob("*/*.expected")
        for line in expected.read_text(encoding="utf-8").splitlines()
    }
    quoted = re.findall(r"`content/enterprises/coop-du-vallon\.md:([^`]+)`", guide_body())
    assert len(quoted) >= 5
    assert [line for line in quoted if line not in pinned] == []


def test_the_guide_names_the_buttons_the_site_shows():
    theme = ROOT / "theme/templates"
    enterprise = (theme / "enterprise.html").read_text(encoding="utf-8")
    assert "« Modifier cette fiche »" in guide_body() and '_("Modifier cette fiche")' in enterprise
    assert "« Proposer une nouvelle fiche »" in guide_body()


def test_a_broken_vocabulary_file_is_reported_like_any_problem(repo, capsys):
    vocabulary = repo / "content/vocabulaires.yml"
    text = vocabulary.read_text(encoding="utf-8")
    vocabulary.write_text(text.replace("  informatique:", "  Informatique:"), encoding="utf-8")
    assert main(["validate", "--changed-since", "main", "--format", "github"]) == 1
    line = text.splitlines().index("  informatique:") + 1
    assert capsys.readouterr().out.splitlines() == [
        f"::error file=content/vocabulaires.yml,line={line},title=Fichier à corriger::secteurs: "
        "Informatique: un code s'écrit en minuscules sans accents avec des traits d'union, "
        "suivi de son libellé"
    ]
