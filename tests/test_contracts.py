"""SEAO's open data → content/contrats/ → pages and open data; signatories (content/acheteurs/).

The SEAO fixtures (tests/fixtures/seao/) are written from the facts of the issue:
an OCDS 1.1 release package per month; the NEQ in ``parties[].details.neq``
(SEAO) or in ``parties[].identifier`` (scheme CA-QC-NEQ); several suppliers; a
final amount in ``contracts[].value.amount``; one release repeated across two
files and one updated in a later month; a tender-only release. The expected
figures below are worked out by hand from those files.
"""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import BUILD_DATE, FIXTURES, build, make_content, write
from vitrine.__main__ import main
from vitrine.content import contracts as contract_files
from vitrine.content.load import load_directory
from vitrine.content.vocabulary import load_vocabularies
from vitrine.problems import ContentError
from vitrine.settings import read

SEAO = FIXTURES / "seao"
A, B = "1172034598", "1144987210"  # the two listed enterprises of the fixtures

LISTING = """
    ---
    nom: {name}
    forme_juridique: cooperative-de-travail
    mission: Une mission.
    secteurs: [entretien-menager]
    offre:
      - nom: Entretien
        description: De bureaux.
    territoires: [sherbrooke]
    adresse:
      ville: Sherbrooke
    contact:
      courriel: info@{slug}.example
    neq: "{neq}"
    ---
"""

BUYER = """
    ---
    nom: {name}
    type: {kind}
    territoires: [sherbrooke]
    date_signature: 2024-03-14
    engagement: Acheter davantage auprès des entreprises collectives.
    contact:
      courriel: achats@{slug}.example
    {extra}
    ---
    Signataire.
"""

CONTENT = {
    "enterprises/coop-a.md": LISTING.format(name="Coop A", slug="coop-a", neq=A),
    "enterprises/entreprise-b.md": LISTING.format(name="Entreprise B", slug="entreprise-b", neq=B),
    "acheteurs/ville-de-sherbrooke.md": BUYER.format(
        name="Ville de Sherbrooke", kind="municipalite", slug="ville", extra=""
    ),
    # Found by NEQ: SEAO spells its name otherwise.
    "acheteurs/ciusss.md": BUYER.format(
        name="Santé Estrie", kind="sante-services-sociaux", slug="ciusss", extra='neq: "8000000001"'
    ),
}

# Worked out from the fixtures: (ocid, enterprise, year, amount, signatory).
AWARDS = [
    ("ocds-ec9k95-1000001", "coop-a", 2025, Decimal("40000"), "ville-de-sherbrooke"),
    ("ocds-ec9k95-1000002", "entreprise-b", 2025, Decimal("32500.50"), "ciusss"),
    ("ocds-ec9k95-1000003", "coop-a", 2025, Decimal("50000"), None),
    ("ocds-ec9k95-1000004", "entreprise-b", 2025, Decimal("27000"), "ville-de-sherbrooke"),
    ("ocds-ec9k95-1000009", "coop-a", 2026, Decimal("45000"), "ciusss"),
]
KEPT = {a[0] for a in AWARDS} | {"ocds-ec9k95-1000008"}  # a signatory's, supplier not listed


def run(content: Path, *files: Path) -> int:
    """`make contrats SEAO=…` for a content folder (Vitrine's default settings)."""
    return main(
        [
            "--settings",
            str(content / "none.py"),
            "contrats",
            *map(str, files),
            "--content",
            str(content),
        ]
    )


@pytest.fixture
def content(tmp_path):
    return make_content(tmp_path, CONTENT)


def load(content: Path, cache: Path | None = None):
    settings = read({"PATH": str(content), "VITRINE_BUILD_DATE": BUILD_DATE})
    vocabularies = load_vocabularies(settings.vocabularies_path)
    return load_directory(settings.layout, vocabularies, settings.build_time(), cache_dir=cache)


def test_make_contrats_keeps_the_releases_of_listed_enterprises_and_signatories(content, capsys):
    assert run(content, SEAO) == 0
    out = capsys.readouterr().out
    kept = {json.loads(p.read_text())["ocid"] for p in (content / "contrats").glob("*.json")}
    assert kept == KEPT
    assert "11 publications lues dans 3 fichiers" in out
    assert "sans fournisseur (avis sans adjudication) : 1" in out  # the tender only
    assert "sans NEQ de fournisseur : 1" in out
    assert "ni entreprise du répertoire ni signataire : 1" in out
    # The NEQ read from details.neq and from identifier; the final amount from contracts[].
    two = json.loads((content / "contrats/ocds-ec9k95-1000002.json").read_text())
    assert two["avis"] == "1000002"
    assert two["attributions"][0]["fournisseurs"] == [{"nom": "Entreprise B", "neq": B}]
    assert two["attributions"][0]["montant_final"] == 32500.5
    assert two["mode"] == "Appel d'offres sur invitation"
    assert two["unspsc"] == ["76111501"]
    one = json.loads((content / "contrats/ocds-ec9k95-1000001.json").read_text())
    assert one["attributions"][0]["fournisseurs"][0]["neq"] == A


def test_running_again_or_in_another_order_changes_nothing(content, capsys):
    files = sorted(SEAO.glob("*.json"))
    assert run(content, *files) == 0
    first = {p.name: p.read_bytes() for p in (content / "contrats").glob("*.json")}
    stamps = {p.name: p.stat().st_mtime_ns for p in (content / "contrats").glob("*.json")}
    capsys.readouterr()
    assert run(content, *reversed(files)) == 0
    assert "0 fichier écrit, 6 inchangés" in capsys.readouterr().out
    again = {p.name: p.read_bytes() for p in (content / "contrats").glob("*.json")}
    assert again == first
    assert {p.name: p.stat().st_mtime_ns for p in (content / "contrats").glob("*.json")} == stamps
    # One month at a time, the later first: the same files.
    for name in first:
        (content / "contrats" / name).unlink()
    for path in reversed(files):
        assert run(content, path) == 0
    assert {p.name: p.read_bytes() for p in (content / "contrats").glob("*.json")} == first


def test_the_build_counts_each_contract_once(content):
    assert run(content, SEAO) == 0
    directory, problems = load(content)
    assert problems == []
    found = sorted(
        (
            a.contract.data.ocid,
            a.enterprises[0].slug,
            a.date.year,
            a.amount,
            a.contract.buyer.slug if a.contract.buyer else None,
        )
        for a in directory.awards
    )
    assert found == AWARDS
    by_slug = {e.slug: e for e in directory.enterprises}
    assert sum(a.amount for a in by_slug["coop-a"].awards) == Decimal("135000")
    assert sum(a.amount for a in by_slug["entreprise-b"].awards) == Decimal("59500.50")
    assert [a.date.year for a in by_slug["coop-a"].awards] == [2026, 2025, 2025]  # recent first
    buyers = {b.slug: b for b in directory.buyers}
    assert len(buyers["ville-de-sherbrooke"].awards) == 2
    assert len(buyers["ciusss"].awards) == 2  # by NEQ


def test_results_and_open_data_give_the_totals(content, tmp_path):
    assert run(content, SEAO) == 0
    output = build(content, tmp_path / "output")
    data = json.loads((output / "donnees/contrats.json").read_text(encoding="utf-8"))
    years = {row["annee"]: row for row in data["par_annee"]}
    assert years[2025]["tous_contrats"] == 4
    assert Decimal(str(years[2025]["tous_montant"])) == Decimal("149500.50")
    assert years[2025]["signataires_contrats"] == 3
    assert Decimal(str(years[2025]["signataires_montant"])) == Decimal("99500.50")
    assert (years[2026]["signataires_contrats"], years[2026]["signataires_montant"]) == (1, 45000)
    assert data["nombre"] == len(data["contrats"]) == 5
    assert "25\u00a0000\u00a0$" in data["limites"]
    # The CSV, read back as French Excel would: BOM, « ; », decimal comma.
    raw = (output / "donnees/contrats.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    total = sum(Decimal(r["Montant retenu"].replace(",", ".")) for r in rows)
    assert total == Decimal("194500.50")
    assert {r["NEQ"] for r in rows} == {A, B}
    two = next(r for r in rows if r["Avis SEAO"] == "1000002")
    assert (two["Montant adjugé"], two["Montant final"], two["Signataire"]) == (
        "30000",
        "32500,5",
        "ciusss",
    )
    assert two["Lien de l'avis"].startswith("https://") and two["Lien de l'avis"].endswith(
        "1000002"
    )
    # The results page: the same figures, and what the data leaves out.
    page = BeautifulSoup((output / "resultats/index.html").read_text(), "html.parser")
    row = page.select_one("tr[data-year='2025']")
    cells = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
    assert cells == ["2025", "3", "99\u00a0500,50\u00a0$", "4", "149\u00a0500,50\u00a0$"]
    assert "25\u00a0000\u00a0$ ou plus" in page.select_one(".data-limits").get_text()
    # An enterprise's page: count, total, the most recent first, with its notice.
    page = BeautifulSoup((output / "entreprises/coop-a/index.html").read_text(), "html.parser")
    section = page.select_one(".public-contracts")
    assert "3 contrats" in section.select_one(".contracts-summary").get_text()
    assert "135\u00a0000\u00a0$" in section.select_one(".contracts-summary").get_text()
    first = section.select("tbody tr")[0]
    assert "2 février 2026" in first.get_text() and "Santé Estrie" in first.get_text()
    assert first.find("a", href=lambda h: h and h.endswith("1000009"))
    # A signatory's page: what it awarded to listed enterprises.
    page = BeautifulSoup((output / "ils-s-engagent/ciusss/index.html").read_text(), "html.parser")
    assert len(page.select("table.contracts tbody tr")) == 2
    index = BeautifulSoup((output / "ils-s-engagent/index.html").read_text(), "html.parser")
    assert {a.get_text() for a in index.select(".buyers h2 a")} == {
        "Santé Estrie",
        "Ville de Sherbrooke",
    }


def test_a_malformed_file_is_named_and_nothing_is_written(content, tmp_path, capsys):
    broken = tmp_path / "mensuel_tronque.json"
    text = (SEAO / "mensuel_20250101_20250131.json").read_text()
    broken.write_text(text[: len(text) // 2])
    assert run(content, SEAO / "mensuel_20260201_20260228.json", broken) == 1
    err = capsys.readouterr().err
    assert str(broken) in err and "JSON invalide ou tronqué" in err
    assert not list((content / "contrats").glob("*.json"))  # not even the good month's


@pytest.mark.parametrize(
    "text",
    ['{"type": "FeatureCollection", "features": []}', "[1, 2, 3]", '{"records": [{"ocid": "x"}]}'],
)
def test_a_foreign_file_is_refused_in_french(content, tmp_path, capsys, text):
    foreign = tmp_path / "autre.json"
    foreign.write_text(text)
    assert run(content, foreign) == 1
    err = capsys.readouterr().err
    assert f"{foreign} : ce n'est pas un fichier de publications de SEAO" in err


def test_an_empty_month_is_not_an_error(content, tmp_path):
    empty = tmp_path / "mensuel_vide.json"
    empty.write_text('{"version": "1.1", "releases": []}')
    assert run(content, empty) == 0


def test_a_missing_path_is_named(content, capsys):
    assert run(content, content / "absent") == 1
    assert "introuvable" in capsys.readouterr().err


def test_a_contract_file_edited_into_nonsense_stops_the_build(content, tmp_path):
    assert run(content, SEAO) == 0
    path = content / "contrats/ocds-ec9k95-1000001.json"
    record = json.loads(path.read_text())
    record["attributions"][0]["montant"] = "beaucoup"
    path.write_text(json.dumps(record))
    write(content / "contrats/mauvais.json", "{ pas du json")
    _, problems = load(content)
    assert [(p.path.name, p.field) for p in problems] == [
        ("mauvais.json", ""),
        ("ocds-ec9k95-1000001.json", "attributions[1].montant"),
    ]
    with pytest.raises(ContentError):
        build(content, tmp_path / "output")


def test_a_rebuild_does_not_read_unchanged_contracts_again(content, tmp_path, monkeypatch):
    assert run(content, SEAO) == 0
    cache = tmp_path / "cache"
    first, _ = load(content, cache)

    def refuse(path):
        raise AssertionError(f"{path} lu de nouveau")

    monkeypatch.setattr(contract_files, "read_contract", refuse)
    again, problems = load(content, cache)
    assert problems == []
    assert [c.data for c in again.contracts] == [c.data for c in first.contracts]
    # A changed file is read again.
    path = content / "contrats/ocds-ec9k95-1000001.json"
    path.write_text(path.read_text().replace("40000", "41000"))
    os.utime(path, ns=(1, 1))
    with pytest.raises(AssertionError, match="lu de nouveau"):
        load(content, cache)


# --- content/acheteurs/ ------------------------------------------------------------


def test_a_signatory_file_with_mistakes_gets_every_problem_with_its_line(tmp_path):
    content = make_content(
        tmp_path,
        {
            "acheteurs/Ville Mal Nommee.md": """
                ---
                nom: Ville d'Exemple
                type: municipalitee
                territoires: [sherbrooke]
                date_signature: 14 mars 2024
                engagement: Acheter.
                contact:
                  personne: Service des achats
                neq: "123"
                courriel: achats@ville.example
                ---
            """,
        },
    )
    _, problems = load(content)
    found = [(p.line, p.field, p.message.split(" :")[0]) for p in problems]
    assert found == [
        (1, "", "nom de fichier à changer"),
        (
            3,
            "type",
            "« municipalitee » n'est pas une valeur connue; vouliez-vous dire « municipalite » ? valeurs possibles (content/vocabulaires.yml, liste types_acheteurs)",
        ),
        (5, "date_signature", "date invalide"),
        (7, "contact", "indiquez au moins un moyen de vous joindre"),
        (9, "neq", "NEQ invalide"),
        (10, "courriel", "champ inconnu « courriel »"),
    ]


def test_an_invalid_signatory_stops_the_build(tmp_path):
    content = make_content(tmp_path, {"acheteurs/ville.md": "---\nnom: Ville\n---\n"})
    with pytest.raises(ContentError):
        build(content, tmp_path / "output")


def test_the_sample_signatories_and_contracts_are_valid_and_shown(sample_site):
    root = Path(__file__).resolve().parents[1] / "content"
    directory, problems = load(root)
    assert problems == []
    assert len(directory.buyers) >= 7
    assert all(c.data.exemple for c in directory.contracts)  # sample data, said so
    index = BeautifulSoup((sample_site / "ils-s-engagent/index.html").read_text(), "html.parser")
    assert len(index.select(".buyers li")) == len(directory.buyers)
    # The results page agrees with the files themselves, summed here independently.
    neqs = {e.data.neq for e in directory.enterprises if e.data.neq}
    total = Decimal(0)
    for path in (root / "contrats").glob("*.json"):
        record = json.loads(path.read_text(), parse_float=Decimal)
        for award in record["attributions"]:
            if any(s.get("neq") in neqs for s in award["fournisseurs"]):
                final = award.get("montant_final")
                total += Decimal(final if final is not None else award["montant"])
    data = json.loads((sample_site / "donnees/contrats.json").read_text())
    assert Decimal(str(data["total"]["tous_montant"])) == total
