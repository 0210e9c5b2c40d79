"""What a buyer checks before contracting (issue 16): the new listing fields, their
French messages, the contract-size ranges of vocabulaires.yml, the stale flag,
``make a-verifier`` and the open-data keys the shortlist's CSV is built from.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import yaml
from helpers import BUILD_DATE, ROOT, listing, load_sample, make_content, memory_site, write
from vitrine.__main__ import main
from vitrine.content.model import months_before
from vitrine.content.validate import read_record
from vitrine.content.vocabulary import VocabularyError, load_vocabularies
from vitrine.outputs import exports

# --- the listing fields ---------------------------------------------------------------

ALL_FACTS = """
neq: "1166210045"
neq_verifie_le: 2026-10-01
capacite_contrat:
  montant_max: 100 000 $
  delai: 3 semaines
  regroupement: oui
  sous_traitance: non
rena:
  non_inscrite: oui
  verifie_le: 2026-10-01
revenu_quebec:
  attestation: 2026-09-15
  verifie_le: 2026-10-01
assurance:
  montant: "2000000"
  verifie_le: 2026-10-02
rbq:
  licence: "5678 1234 01"
  verifie_le: 2026-10-03
"""


def with_fields(fields: str, *, offer_extra: str = "") -> str:
    """A valid listing with ``fields`` added to its front matter."""
    text = listing("Coop Essai")
    head, body = text.split("\n---\n", 1)
    if offer_extra:
        head = head.replace(
            "description: Description de Service.",
            "description: Description de Service.\n" + offer_extra.strip("\n"),
        )
    return f"{head}\n{fields.strip()}\n---\n{body}"


def read(tmp_path: Path, text: str, context):
    path = write(tmp_path / "enterprises/coop-essai.md", text)
    return read_record(path, "enterprise", context)


def problems(tmp_path: Path, fields: str, context, **kw) -> list[str]:
    record, found = read(tmp_path, with_fields(fields, **kw), context)
    assert record is None
    return [f"{p.field}: {p.message}" for p in found]


def test_every_fact_is_read_normalised_and_in_the_fixed_order(tmp_path, context):
    record, found = read(
        tmp_path, with_fields(ALL_FACTS, offer_extra='    unspsc: "90101600"'), context
    )
    assert found == []
    d = record.data
    assert d.capacite_contrat.montant_max == 100_000
    assert (d.capacite_contrat.regroupement, d.capacite_contrat.sous_traitance) == (True, False)
    assert d.rbq.licence == "5678-1234-01"
    assert d.assurance.montant == 2_000_000
    assert d.offre[0].unspsc == ["90101600"]
    assert [(f.code, f.value, f.checked) for f in record.facts()] == [
        ("neq", "1166210045", dt.date(2026, 10, 1)),
        ("rena", True, dt.date(2026, 10, 1)),
        ("revenu-quebec", dt.date(2026, 9, 15), dt.date(2026, 10, 1)),
        ("assurance", 2_000_000, dt.date(2026, 10, 2)),
        ("rbq", "5678-1234-01", dt.date(2026, 10, 3)),
    ]


def test_a_listing_without_the_new_fields_declares_nothing(tmp_path, context):
    record, found = read(tmp_path, listing("Coop Essai"), context)
    assert found == [] and record.facts() == [] and record.data.capacite_contrat is None


def test_facts_declared_without_a_check_date_are_kept_without_one(tmp_path, context):
    fields = 'neq: "1166210045"\nrena:\n  non_inscrite: oui\nassurance:\n  montant: 500000'
    record, found = read(tmp_path, with_fields(fields), context)
    assert found == []
    assert [(f.code, f.checked) for f in record.facts()] == [
        ("neq", None),
        ("rena", None),
        ("assurance", None),
    ]


BAD = [
    (
        "capacite_contrat:\n  montant_max: beaucoup",
        "capacite_contrat.montant_max: montant invalide : écrivez un montant en dollars, "
        "sans cents, par exemple « 100000 » ou « 100 000 $ »",
    ),
    (
        "capacite_contrat:\n  montant_max: 0",
        "capacite_contrat.montant_max: montant invalide : écrivez un montant en dollars, "
        "sans cents, par exemple « 100000 » ou « 100 000 $ »",
    ),
    (
        "capacite_contrat:\n  regroupement: peut-être",
        "capacite_contrat.regroupement: écrivez « oui » ou « non »",
    ),
    (
        "capacite_contrat:\n  sous_traitance: parfois",
        "capacite_contrat.sous_traitance: écrivez « oui » ou « non »",
    ),
    (
        'neq: "1166210045"\nneq_verifie_le: 2026-11-28',
        "neq_verifie_le: date dans le futur (2026-11-28) : écrivez la date où le fait a été "
        "vérifié ou obtenu, au plus tard aujourd'hui (2026-11-27)",
    ),
    (
        "neq_verifie_le: 2026-10-01",
        'neq_verifie_le: « neq_verifie_le » sans NEQ : ajoutez la ligne « neq: "1171234567" » '
        "ou retirez la date",
    ),
    (
        "rena:\n  non_inscrite: non",
        "rena: une entreprise inscrite au RENA ne peut pas obtenir de contrat public : "
        "retirez le bloc « rena » ou écrivez « non_inscrite: oui » une fois radiée",
    ),
    (
        "rena:\n  non_inscrite: oui\n  verifie_le: 2027-01-01",
        "rena.verifie_le: date dans le futur (2027-01-01) : écrivez la date où le fait a été "
        "vérifié ou obtenu, au plus tard aujourd'hui (2026-11-27)",
    ),
    (
        "revenu_quebec:\n  attestation: 2026-12-01",
        "revenu_quebec.attestation: date dans le futur (2026-12-01) : écrivez la date où le "
        "fait a été vérifié ou obtenu, au plus tard aujourd'hui (2026-11-27)",
    ),
    (
        "revenu_quebec:\n  attestation: 15 septembre",
        "revenu_quebec.attestation: date invalide : écrivez-la sous la forme AAAA-MM-JJ, "
        "par exemple « 2026-11-03 »",
    ),
    (
        "revenu_quebec:\n  verifie_le: 2026-10-01",
        "revenu_quebec.attestation: champ obligatoire manquant : ajoutez une ligne "
        "« attestation: … »",
    ),
    (
        "assurance:\n  montant: 2 millions",
        "assurance.montant: montant invalide : écrivez un montant en dollars, sans cents, "
        "par exemple « 100000 » ou « 100 000 $ »",
    ),
    (
        "assurance:\n  montant: 1000000\n  verifie_le: 2026-12-25",
        "assurance.verifie_le: date dans le futur (2026-12-25) : écrivez la date où le fait "
        "a été vérifié ou obtenu, au plus tard aujourd'hui (2026-11-27)",
    ),
    (
        'rbq:\n  licence: "5678-1234"',
        "rbq.licence: numéro de licence RBQ invalide : il compte 10 chiffres, écrivez-le "
        'entre guillemets sous la forme « licence: "5678-1234-01" »',
    ),
    (
        'rbq:\n  licence: "RBQ 5678-1234-01"',
        "rbq.licence: numéro de licence RBQ invalide : il compte 10 chiffres, écrivez-le "
        'entre guillemets sous la forme « licence: "5678-1234-01" »',
    ),
]


@pytest.mark.parametrize(
    ("fields", "message"), BAD, ids=[m.split(":")[0] + f"-{i}" for i, (_, m) in enumerate(BAD)]
)
def test_each_bad_value_gets_its_french_message(tmp_path, context, fields, message):
    assert problems(tmp_path, fields, context) == [message]


@pytest.mark.parametrize("code", ["9010160", "901016000", "abcdefgh"])
def test_a_bad_unspsc_code_is_refused_on_its_offer_item(tmp_path, context, code):
    assert problems(tmp_path, "", context, offer_extra=f'    unspsc: ["{code}"]') == [
        "offre[1].unspsc[1]: code UNSPSC invalide : écrivez les 8 chiffres du code, entre "
        'guillemets, par exemple « unspsc: ["90101600"] » (codes sur SEAO)'
    ]


def test_all_problems_are_reported_at_once_each_at_its_line(tmp_path, context):
    fields = "capacite_contrat:\n  montant_max: x\n  regroupement: z\nassurance:\n  montant: y"
    path = write(tmp_path / "enterprises/coop-essai.md", with_fields(fields))
    _, found = read_record(path, "enterprise", context)
    lines = path.read_text(encoding="utf-8").splitlines()
    located = {p.field: lines[p.line - 1].strip() for p in found}
    assert located == {
        "capacite_contrat.montant_max": "montant_max: x",
        "capacite_contrat.regroupement": "regroupement: z",
        "assurance.montant": "montant: y",
    }


# --- contract sizes in vocabulaires.yml --------------------------------------------------


def test_the_shipped_ranges_and_the_rule_a_listing_is_in_every_range_it_reaches(vocabularies):
    raw = yaml.safe_load((ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8"))
    ranges = raw["tailles_contrat"]
    assert list(vocabularies.sizes) == list(ranges)
    for code, entry in ranges.items():
        assert vocabularies.sizes[code][0] == int(entry["min"])
        assert vocabularies.in_language("en")["tailles_contrat"][code] == entry["en"]
    lowest = min(int(e["min"]) for e in ranges.values())
    assert vocabularies.sizes_reached(None) == []
    for amount in (1, 25_000, 100_000, 121_200, 10_000_000):
        expected = [c for c, e in ranges.items() if amount >= int(e["min"])]
        assert vocabularies.sizes_reached(amount) == expected
        assert amount < lowest or expected


SIZES_BAD = [
    ("  petit:\n    fr: Petit\n", "tailles_contrat: petit: écrivez sur les lignes suivantes"),
    (
        "  petit:\n    fr: Petit\n    min: dix\n",
        "tailles_contrat: petit: min: écrivez un montant en dollars, sans espace ni « $ », "
        "ex. « 25000 »",
    ),
    (
        "  petit:\n    fr: Petit\n    min: 100\n    max: 50\n",
        "tailles_contrat: petit: max (50) doit dépasser min (100)",
    ),
    (
        "  grand:\n    fr: Grand\n    min: 1000\n  petit:\n    fr: Petit\n    min: 10\n",
        "tailles_contrat: petit: min (10) doit dépasser celui de « grand » (1000) : rangez les "
        "tranches de la plus petite à la plus grande",
    ),
    (
        "  petit:\n    fr: Petit\n    de: Klein\n    min: 0\n",
        "tailles_contrat: petit: « de » n'est pas une langue des libellés",
    ),
    (
        "  Petit:\n    fr: Petit\n    min: 0\n",
        "tailles_contrat: Petit: un code s'écrit en minuscules",
    ),
]


@pytest.mark.parametrize(("section", "message"), SIZES_BAD)
def test_a_wrong_contract_size_range_is_reported_at_its_line(tmp_path, section, message):
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    head, rest = text.split("tailles_contrat:\n", 1)
    tail = rest[rest.index("\n# Couvertures") :]
    path = tmp_path / "vocabulaires.yml"
    path.write_text(f"{head}tailles_contrat:\n{section}{tail}", encoding="utf-8")
    with pytest.raises(VocabularyError) as raised:
        load_vocabularies(path)
    assert raised.value.message.startswith(message)
    first_line = len(head.splitlines()) + 2
    assert first_line <= raised.value.line <= first_line + section.count("\n")


def test_the_facts_list_is_the_models_not_the_staffs(tmp_path):
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    path = tmp_path / "vocabulaires.yml"
    path.write_text(text + "\nfaits:\n  neq: NEQ\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="fixée par le modèle"):
        load_vocabularies(path)


def test_a_vocabulary_file_without_ranges_still_loads(tmp_path):
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    head, rest = text.split("tailles_contrat:\n", 1)
    path = tmp_path / "vocabulaires.yml"
    path.write_text(head + rest[rest.index("\n# Couvertures") :], encoding="utf-8")
    vocabularies = load_vocabularies(path)
    assert vocabularies["tailles_contrat"] == {} and vocabularies.sizes_reached(10**6) == []


# --- the stale flag and make a-verifier --------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2026-11-27", 12, "2025-11-27"),
        ("2026-03-31", 1, "2026-02-28"),
        ("2024-03-31", 1, "2024-02-29"),
        ("2026-01-15", 3, "2025-10-15"),
    ],
)
def test_months_before_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_before(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(expected)


def test_exactly_the_sample_listings_older_than_twelve_months_are_flagged():
    directory = load_sample()  # dates from the files: what the pages show
    from vitrine.content.history import apply_dates

    apply_dates(directory.enterprises, None)
    directory.mark_stale(12)
    build_day = dt.date.fromisoformat(BUILD_DATE[:10])
    cutoff = build_day.replace(year=build_day.year - 1)
    expected = {
        p.stem
        for p in (ROOT / "content/enterprises").glob("*.md")
        if (
            d := yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1]).get(
                "date_mise_a_jour"
            )
        )
        and d < cutoff
    }
    assert len(expected) == 1  # the sample shows one stale listing
    assert {e.slug for e in directory.enterprises if e.to_check} == expected
    directory.mark_stale(24)
    assert not any(e.to_check for e in directory.enterprises)


STALE_TREE = {
    "enterprises/recente.md": listing("Coop Récente", updated="2026-10-01"),
    "enterprises/ancienne.md": listing("Coop Ancienne", updated="2024-02-01"),
    "enterprises/limite.md": listing("Coop Limite", updated="2025-11-27"),
    "enterprises/moins-ancienne.md": listing("Coop Moins Ancienne", updated="2025-06-30"),
}


def test_a_verifier_prints_the_stale_listings_oldest_first_with_their_contact(
    tmp_path, capsys, monkeypatch
):
    content = make_content(tmp_path, STALE_TREE)
    write(
        content / "enterprises/ancienne.md",
        (content / "enterprises/ancienne.md")
        .read_text(encoding="utf-8")
        .replace(
            "  courriel: info@exemple.example",
            "  personne: Jeanne Roy, directrice\n  courriel: jeanne@ancienne.example\n"
            "  telephone: 819 555-0199",
        ),
    )
    monkeypatch.setenv("VITRINE_BUILD_DATE", BUILD_DATE)
    monkeypatch.chdir(tmp_path)
    assert (
        main(["--settings", str(ROOT / "pelicanconf.py"), "a-verifier", "--content", str(content)])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        "2 fiches à vérifier (pas de mise à jour depuis le 27 novembre 2025, soit 12 mois), "
        "de la plus ancienne à la plus récente :",
        "",
        "2024-02-01  Coop Ancienne (content/enterprises/ancienne.md)",
        "            Jeanne Roy, directrice · jeanne@ancienne.example · 819 555-0199",
        "",
        "2025-06-30  Coop Moins Ancienne (content/enterprises/moins-ancienne.md)",
        "            info@exemple.example",
    ]


def test_a_verifier_follows_the_setting_and_says_when_none_is_stale(tmp_path, capsys, monkeypatch):
    content = make_content(tmp_path, STALE_TREE)
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(
        (ROOT / "pelicanconf.py").read_text(encoding="utf-8") + "\nVITRINE_STALE_MONTHS = 36\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VITRINE_BUILD_DATE", BUILD_DATE)
    monkeypatch.chdir(ROOT)
    assert main(["--settings", str(settings), "a-verifier", "--content", str(content)]) == 0
    assert capsys.readouterr().out == (
        "Aucune fiche à vérifier : toutes ont été mises à jour depuis le 27 novembre 2023.\n"
    )


# --- open data ---------------------------------------------------------------------------


def test_open_data_has_the_agreed_keys_for_every_sample_listing():
    directory = load_sample()
    from vitrine.content.history import apply_dates

    apply_dates(directory.enterprises, None)
    directory.mark_stale(12)
    site = memory_site(directory)
    seen_codes = set()
    for enterprise in directory.enterprises:
        raw = yaml.safe_load(enterprise.source.read_text(encoding="utf-8").split("---\n")[1])
        record = json.loads(json.dumps(exports.open_data_row(site, enterprise)))
        cap = raw.get("capacite_contrat") or {}
        yes = {"oui": True, "non": False, True: True, False: False, None: None}
        assert record["capacite_contrat"] == {
            "montant_max": int(cap["montant_max"]) if "montant_max" in cap else None,
            "delai": cap.get("delai"),
            "volumes": raw.get("capacite"),
            "regroupement": yes[cap.get("regroupement")],
            "sous_traitance": yes[cap.get("sous_traitance")],
        }
        expected = []
        if raw.get("neq"):
            expected.append(("neq", "NEQ", str(raw["neq"]), raw.get("neq_verifie_le")))
        if raw.get("rena"):
            expected.append(
                ("rena", "Non inscrite au RENA", "Non inscrite", raw["rena"].get("verifie_le"))
            )
        if raw.get("revenu_quebec"):
            rq = raw["revenu_quebec"]
            expected.append(
                (
                    "revenu-quebec",
                    "Attestation de Revenu Québec",
                    rq["attestation"].isoformat(),
                    rq.get("verifie_le"),
                )
            )
        if raw.get("assurance"):
            a = raw["assurance"]
            expected.append(
                (
                    "assurance",
                    "Assurance responsabilité civile",
                    int(a["montant"]),
                    a.get("verifie_le"),
                )
            )
        if raw.get("rbq"):
            expected.append(
                ("rbq", "Licence RBQ", str(raw["rbq"]["licence"]), raw["rbq"].get("verifie_le"))
            )
        assert record["faits"] == [
            {"code": c, "libelle": label, "valeur": v, "verifie_le": d and d.isoformat()}
            for c, label, v, d in expected
        ]
        seen_codes |= {c for c, *_ in expected}
        assert record["a_verifier"] is enterprise.to_check
        for item, written in zip(record["offre"], raw["offre"], strict=True):
            assert item.get("unspsc") == written.get("unspsc")
        line = next(csv.reader(io.StringIO(exports.csv_line(record)), delimiter=";"))
        row = dict(zip([h for h, _ in exports.CSV_COLUMNS], line, strict=True))
        assert row["Montant maximal d'un contrat"] == str(
            record["capacite_contrat"]["montant_max"] or ""
        )
        assert row["À vérifier"] == ("oui" if enterprise.to_check else "non")
        assert row["Licence RBQ"] == next(
            (f["valeur"] for f in record["faits"] if f["code"] == "rbq"), ""
        )
    assert seen_codes == {"neq", "rena", "revenu-quebec", "assurance", "rbq"}


def test_the_new_csv_columns_come_after_the_existing_ones():
    headers = [h for h, _ in exports.CSV_COLUMNS]
    assert headers.index("Territoires couverts") == headers.index("Dernière mise à jour") + 1
    new = headers[headers.index("Territoires couverts") + 1 :]
    assert new[0] == "Montant maximal d'un contrat" and new[-1] == "À vérifier"
    assert len(set(headers)) == len(headers)


def test_a_listing_turning_stale_is_rendered_again_in_an_incremental_build():
    """Its file did not change, the build date did: its page and card must still change."""
    from vitrine.build.incremental import Fingerprints
    from vitrine.content.history import apply_dates

    directory = load_sample()
    apply_dates(directory.enterprises, None)
    directory.mark_stale(12)
    stale = next(e for e in directory.enterprises if e.to_check)
    flagged = Fingerprints("site", directory, None).listing(stale)
    directory.mark_stale(120)
    assert not stale.to_check
    assert Fingerprints("site", directory, None).listing(stale) != flagged
