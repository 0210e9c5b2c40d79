"""Public contracts won, from SEAO's open data (content/contrats/): pages and open data.

« Ils s'engagent » lists the signatories of the pledge, each with its page and the
contracts it awarded to listed enterprises; « Résultats de la campagne » counts,
by year, the contracts between signatories and listed enterprises, and those of
every buyer with a listed enterprise; ``donnees/contrats.json`` and ``.csv``
publish the same figures and rows. Enterprise pages show their own contracts
(enterprise.html). Every figure here is a view of Directory.awards: one award
counts once, even when several listed enterprises share it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from .. import urls
from ..build.site import Page, Report, Site
from ..content.model import Award
from ..formatting import money_fr
from .exports import _cell, _csv_line

JSON_FILE = urls.contracts_json()
CSV_FILE = urls.contracts_csv()
THRESHOLD = 25_000  # dollars: SEAO publishes contracts from this amount (DOMAIN.md)

CSV_COLUMNS = (
    "Date",
    "Année",
    "Avis SEAO",
    "Lien de l'avis",
    "Acheteur",
    "Signataire",
    "Entreprises",
    "NEQ",
    "Mode d'adjudication",
    "Objet",
    "Montant adjugé",
    "Montant final",
    "Montant retenu",
    "Donnée d'exemple",
)


def _total(awards: list[Award]) -> Decimal:
    return sum((a.amount for a in awards), Decimal(0))


def figures(site: Site) -> list[dict]:
    """By year, most recent first: contracts and amounts, signatories' and every buyer's.

    Plain values (amounts as text), so that pages and files show the same numbers.
    """
    years: dict[int, list[Award]] = defaultdict(list)
    for award in site.directory.awards:
        years[award.date.year].append(award)
    rows = []
    for year in sorted(years, reverse=True):
        every = years[year]
        signed = [a for a in every if a.contract.buyer is not None]
        rows.append(
            {
                "annee": year,
                "signataires_contrats": len(signed),
                "signataires_montant": str(_total(signed)),
                "signataires_entreprises": len({e.slug for a in signed for e in a.enterprises}),
                "tous_contrats": len(every),
                "tous_montant": str(_total(every)),
                "tous_entreprises": len({e.slug for a in every for e in a.enterprises}),
            }
        )
    return rows


def totals(rows: list[dict]) -> dict:
    return {
        "signataires_contrats": sum(r["signataires_contrats"] for r in rows),
        "signataires_montant": str(sum(Decimal(r["signataires_montant"]) for r in rows)),
        "tous_contrats": sum(r["tous_contrats"] for r in rows),
        "tous_montant": str(sum(Decimal(r["tous_montant"]) for r in rows)),
    }


def pages(site: Site, localized=urls) -> Iterator[Page]:
    """« Ils s'engagent », a page per signatory, « Résultats de la campagne »
    (at ``localized``'s addresses: urls.Localized for one language's site)."""
    directory = site.directory
    yield Page(localized.buyers(), "buyers")
    for buyer in directory.buyers:
        yield Page(localized.buyer(buyer.slug), "buyer", {"buyer": buyer})
    rows = figures(site)
    open_data = {"json": JSON_FILE, "csv": CSV_FILE}
    context = {"years": rows, "totals": totals(rows), "open_data": open_data}
    yield Page(localized.results(), "results", {**context, "threshold": THRESHOLD})


def _number(amount: Decimal | None):
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def award_row(site: Site, award: Award) -> dict:
    """One contract won by listed enterprises, as open data (French keys)."""
    contract = award.contract.data
    buyer = award.contract.buyer
    return {
        "ocid": contract.ocid,
        "avis": contract.avis,
        "url_avis": urls.seao_notice(contract.avis),
        "attribution": award.data.id,
        "date": award.date.isoformat(),
        "annee": award.date.year,
        "acheteur": contract.acheteur.nom,
        "acheteur_neq": contract.acheteur.neq,
        "signataire": buyer.slug if buyer else None,
        "entreprises": [
            {
                "code": e.slug,
                "nom": e.name,
                "neq": e.data.neq,
                "url": site.absolute_url(urls.enterprise(e.slug)),
            }
            for e in award.enterprises
        ],
        "mode": contract.mode,
        "titre": contract.titre,
        "unspsc": list(contract.unspsc),
        "montant_adjuge": _number(award.data.montant),
        "montant_final": _number(award.data.montant_final),
        "montant": _number(award.amount),
        "exemple": contract.exemple,
    }


def _csv_amount(value) -> str:
    """French Excel reads « 51230,4 » as a number: decimal comma, no grouping."""
    return "" if value is None else str(value).replace(".", ",")


def csv_row(row: dict) -> str:
    cells = (
        row["date"],
        row["annee"],
        row["avis"],
        row["url_avis"],
        row["acheteur"],
        row["signataire"],
        " | ".join(e["nom"] for e in row["entreprises"]),
        " | ".join(e["neq"] for e in row["entreprises"]),
        row["mode"],
        row["titre"],
        _csv_amount(row["montant_adjuge"]),
        _csv_amount(row["montant_final"]),
        _csv_amount(row["montant"]),
        "oui" if row["exemple"] else "non",
    )
    return _csv_line(_cell(c) for c in cells)


def _numbers(row: dict) -> dict:
    """Amounts kept as text for the pages, as JSON numbers for programs."""
    return {k: _number(Decimal(v)) if k.endswith("montant") else v for k, v in row.items()}


def write(site: Site) -> Report:
    rows = [award_row(site, award) for award in site.directory.awards]
    years = figures(site)
    document = {
        "source": site.absolute_url(urls.results()),
        "genere_le": site.directory.build_time.isoformat(timespec="seconds"),
        "origine": "SEAO, données ouvertes (Données Québec), contrats des entreprises du répertoire",
        "limites": (
            f"SEAO ne publie que les contrats de {money_fr(THRESHOLD)} ou plus : les contrats plus petits, "
            "les achats des organisations privées (comme les caisses Desjardins) et les "
            "fournisseurs sans NEQ n'y figurent pas."
        ),
        "montant": "montant final s'il est connu, sinon montant adjugé (dollars canadiens)",
        "par_annee": [_numbers(row) for row in years],
        "total": _numbers(totals(years)),
        "nombre": len(rows),
        "contrats": rows,
    }
    text = json.dumps(document, ensure_ascii=False) + "\n"
    table = (_csv_line(CSV_COLUMNS) + "".join(csv_row(r) for r in rows)).encode("utf-8-sig")
    write = site.writer.write_file
    return Report("contrats", (write(JSON_FILE, text), write(CSV_FILE, table)))
