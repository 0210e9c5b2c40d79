"""Open data: the directory as JSON and CSV, schema.org JSON-LD, sitemap and robots.txt.

Every export is a view of the validated model: nothing here re-reads a listing.
Codes (stable, for programs) travel with their labels (what a person reads).

The English site has its own files, ``en/donnees/entreprises.{json,csv}``: the same
keys and columns in the same order (a program reads both alike), with English labels,
English page addresses and the listing's English text where it gives one, else its
French; ``langue_mission`` and each offer item's ``langue`` say which (the CSV's
« Mission language » column). Its CSV has English headers and commas, for English
Excel. Contracts (``donnees/contrats.*``) stay one French file.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from xml.sax.saxutils import escape

from .. import urls
from ..build.site import Report, Site

QUOTE = {'"': "&quot;"}  # escape() inside an attribute

JSON_FILE = urls.directory_json()
CSV_FILE = urls.directory_csv()
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
LIST_SEPARATOR = " | "

# Spreadsheets run a cell that starts with one of these as a formula: a listing's
# text must never become one (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# (CSV header, how to get the value from an enterprise's JSON record).
CSV_COLUMNS = (
    ("Code", lambda r: r["code"]),
    ("Nom", lambda r: r["nom"]),
    ("Page", lambda r: r["url"]),
    ("Forme juridique", lambda r: r["forme_juridique"]["libelle"]),
    ("Code forme juridique", lambda r: r["forme_juridique"]["code"]),
    ("Mission", lambda r: r["mission"]),
    ("Secteurs", lambda r: _labels(r["secteurs"])),
    ("Codes secteurs", lambda r: _codes(r["secteurs"])),
    ("Offre", lambda r: _join(f"{o['nom']} : {o['description']}" for o in r["offre"])),
    ("Territoires desservis", lambda r: _labels(r["territoires"])),
    ("Codes territoires", lambda r: _codes(r["territoires"])),
    ("Adresse", lambda r: r["adresse"]["rue"]),
    ("Ville", lambda r: r["adresse"]["ville"]),
    ("Code postal", lambda r: r["adresse"]["code_postal"]),
    ("Personne-ressource", lambda r: r["contact"]["personne"]),
    ("Courriel", lambda r: r["contact"]["courriel"]),
    ("Téléphone", lambda r: r["contact"]["telephone"]),
    ("Site Web", lambda r: r["contact"]["site_web"]),
    ("Langues", lambda r: _labels(r["langues"])),
    ("Codes langues", lambda r: _codes(r["langues"])),
    ("Certifications", lambda r: _labels(r["certifications"])),
    ("Codes certifications", lambda r: _codes(r["certifications"])),
    ("Capacité", lambda r: r["capacite"]),
    ("Impacts", lambda r: _join(r["impacts"])),
    ("NEQ", lambda r: r["neq"]),
    ("Année de fondation", lambda r: r["fondation"]),
    ("Date d'ajout", lambda r: r["date_ajout"]),
    ("Dernière mise à jour", lambda r: r["date_mise_a_jour"]),
    # Last, so the columns above keep their place: every territory served, « Toute
    # l'Estrie » spelled out, for a buyer who filters the spreadsheet by territory.
    ("Territoires couverts", lambda r: _labels(r["territoires_couverts"])),
    # What a buyer checks before contracting (issue 16), after the columns above.
    ("Montant maximal d'un contrat", lambda r: r["capacite_contrat"]["montant_max"]),
    ("Délai habituel", lambda r: r["capacite_contrat"]["delai"]),
    ("Soumission en regroupement", lambda r: _yes_no(r["capacite_contrat"]["regroupement"])),
    ("Sous-traitance", lambda r: _yes_no(r["capacite_contrat"]["sous_traitance"])),
    # The NEQ's value has its column above; « Capacité » holds the volumes.
    ("NEQ vérifié le", lambda r: _fact(r, "neq", "verifie_le")),
    ("Non inscrite au RENA", lambda r: _fact(r, "rena", "valeur")),
    ("RENA vérifié le", lambda r: _fact(r, "rena", "verifie_le")),
    ("Attestation de Revenu Québec", lambda r: _fact(r, "revenu-quebec", "valeur")),
    ("Attestation vérifiée le", lambda r: _fact(r, "revenu-quebec", "verifie_le")),
    ("Assurance responsabilité civile", lambda r: _fact(r, "assurance", "valeur")),
    ("Assurance vérifiée le", lambda r: _fact(r, "assurance", "verifie_le")),
    ("Licence RBQ", lambda r: _fact(r, "rbq", "valeur")),
    ("Licence RBQ vérifiée le", lambda r: _fact(r, "rbq", "verifie_le")),
    ("Codes UNSPSC", lambda r: _unspsc(r)),
    ("À vérifier", lambda r: _yes_no(r["a_verifier"])),
)


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("oui" if value else "non")


def _unspsc(r: dict) -> str:
    return _join(dict.fromkeys(code for item in r["offre"] for code in item.get("unspsc", [])))


def _fact(r: dict, code: str, key: str):
    """A declared fact's value or check date; empty when it is not declared."""
    return next((f[key] for f in r["faits"] if f["code"] == code), None)


def _fact_value(fact) -> str | int:
    """A fact's value as open data: text, a date in ISO form, an amount in dollars."""
    if fact.code == "rena":
        return "Non inscrite"
    if isinstance(fact.value, date):
        return fact.value.isoformat()
    return fact.value


def _join(values) -> str:
    return LIST_SEPARATOR.join(values)


def _labels(terms: list[dict]) -> str:
    return _join(t["libelle"] for t in terms)


def _codes(terms: list[dict]) -> str:
    return _join(t["code"] for t in terms)


# The English file's CSV headers, column for column.
ENGLISH_HEADERS = {
    "Code": "Code",
    "Nom": "Name",
    "Page": "Page",
    "Forme juridique": "Legal form",
    "Code forme juridique": "Legal form code",
    "Mission": "Mission",
    "Secteurs": "Sectors",
    "Codes secteurs": "Sector codes",
    "Offre": "Offer",
    "Territoires desservis": "Territories served",
    "Codes territoires": "Territory codes",
    "Adresse": "Address",
    "Ville": "Town",
    "Code postal": "Postal code",
    "Personne-ressource": "Contact person",
    "Courriel": "Email",
    "Téléphone": "Phone",
    "Site Web": "Website",
    "Langues": "Languages",
    "Codes langues": "Language codes",
    "Certifications": "Certifications",
    "Codes certifications": "Certification codes",
    "Capacité": "Capacity",
    "Impacts": "Impacts",
    "NEQ": "NEQ",
    "Année de fondation": "Year founded",
    "Date d'ajout": "Date added",
    "Dernière mise à jour": "Last updated",
    "Territoires couverts": "Territories covered",
}
# The English file's last column: the language its mission is written in.
MISSION_LANGUAGE = ("Mission language", lambda r: r["langue_mission"])


def _terms(vocabularies, name: str, codes: list[str]) -> list[dict]:
    return [{"code": code, "libelle": vocabularies.label(name, code)} for code in codes]


def open_data_row(site: Site, enterprise, language: str = "") -> dict:
    """One enterprise as open data: French keys, like the listing file; for
    ``language``'s site (the main one by default)."""
    d = enterprise.data
    main = site.settings.language
    language = language or main
    vocabularies = site.directory.vocabularies.in_language(language)
    text = enterprise.text(language)
    offer = [
        {"nom": o.name.text, "description": o.description.text}
        | ({"unspsc": list(item.unspsc)} if item.unspsc else {})
        for o, item in zip(text.offer, d.offre, strict=True)
    ]
    if language != main:
        for item, written in zip(offer, text.offer, strict=True):
            item["langue"] = written.name.language
    capacity = d.capacite_contrat
    row = {
        "code": enterprise.slug,
        "nom": d.nom,
        "url": site.absolute_url(urls.Localized(language, main).enterprise(enterprise.slug)),
        "forme_juridique": _terms(vocabularies, "formes_juridiques", [d.forme_juridique])[0],
        "mission": text.mission.text,
        "secteurs": _terms(vocabularies, "secteurs", d.secteurs),
        "offre": offer,
        "territoires": _terms(vocabularies, "territoires", d.territoires),
        # What it wrote, then what that covers (vocabulaires.yml, couvertures).
        "territoires_couverts": _terms(vocabularies, "territoires", enterprise.served_territories),
        "adresse": d.adresse.model_dump(),
        "contact": d.contact.model_dump(),
        "langues": _terms(vocabularies, "langues", d.langues),
        "certifications": _terms(vocabularies, "certifications", d.certifications),
        "capacite": d.capacite,
        "impacts": list(d.impacts),
        "neq": d.neq,
        "fondation": d.fondation,
        "date_ajout": enterprise.added.isoformat() if enterprise.added else None,
        "date_mise_a_jour": enterprise.updated.isoformat() if enterprise.updated else None,
        "capacite_contrat": {
            "montant_max": capacity.montant_max if capacity else None,
            "delai": capacity.delai if capacity else None,
            "volumes": d.capacite,
            "regroupement": capacity.regroupement if capacity else None,
            "sous_traitance": capacity.sous_traitance if capacity else None,
        },
        "faits": [
            {
                "code": fact.code,
                "libelle": vocabularies.label("faits", fact.code),
                "valeur": _fact_value(fact),
                "verifie_le": fact.checked.isoformat() if fact.checked else None,
            }
            for fact in enterprise.facts()
        ],
        "a_verifier": enterprise.to_check,
    }
    if language != main:
        row["langue_mission"] = text.mission.language
    return row


def directory_json(site: Site, rows: list[str], language: str = "") -> str:
    """The JSON document, from each enterprise's object already serialised.

    The same bytes as one ``json.dumps`` of the whole document, on one line.
    """
    localized = urls.Localized(language or site.settings.language, site.settings.language)
    head = json.dumps(
        {
            "source": site.absolute_url(localized.home()),
            "genere_le": site.directory.build_time.isoformat(timespec="seconds"),
            "nombre": len(rows),
        },
        ensure_ascii=False,
    )
    return head[:-1] + ', "entreprises": [' + ", ".join(rows) + "]}\n"


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_line(cells, delimiter: str = ";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


def _columns(english: bool) -> tuple:
    return (*CSV_COLUMNS, MISSION_LANGUAGE) if english else CSV_COLUMNS


def csv_line(r: dict, english: bool = False) -> str:
    cells = (_cell(value(r)) for _, value in _columns(english))
    return _csv_line(cells, "," if english else ";")


def directory_csv(lines: list[str], english: bool = False) -> bytes:
    """French Excel opens this as-is: UTF-8 with BOM, « ; » between cells, CRLF (English
    Excel the English one: commas)."""
    if english:
        header = _csv_line([ENGLISH_HEADERS.get(h, h) for h, _ in _columns(True)], ",")
    else:
        header = _csv_line(header for header, _ in CSV_COLUMNS)
    return (header + "".join(lines)).encode("utf-8-sig")


def sitemap(site: Site) -> str:
    """Every page the site publishes, with absolute URLs; listings carry their freshness,
    and pages written in several languages name each twin (hreflang), themselves included."""
    updated = {urls.enterprise(e.slug): e.updated for e in site.directory.enterprises}
    for url, lastmod in list(updated.items()):
        updated.update(dict.fromkeys(site.twins.get(url, {}).values(), lastmod))
    page_urls = [page.url for page in site.pages if page.template != "404"]
    digests = site.digests
    page_urls += ([urls.digests()] if digests else []) + [urls.digest(d.code) for d in digests]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    )
    for url in dict.fromkeys(page_urls):
        lastmod = updated.get(url)
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{language}" '
            f'href="{escape(site.absolute_url(twin), QUOTE)}"/>'
            for language, twin in site.twins.get(url, {}).items()
        )
        lines.append(
            f"  <url><loc>{escape(site.absolute_url(url))}</loc>"
            + (f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else "")
            + alternates
            + "</url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(site: Site) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute_url(SITEMAP_FILE)}\n"


def _rows(site: Site, enterprise, language: str) -> str:
    r = open_data_row(site, enterprise, language)
    english = language != site.settings.language
    return json.dumps(r, ensure_ascii=False) + "\0" + csv_line(r, english)


def write(site: Site) -> Report:
    write = site.writer.write_file
    files = []
    for language in site.settings.site_languages:
        localized = urls.Localized(language, site.settings.language)
        english = language != site.settings.language
        # Each enterprise's JSON object and CSV line are kept between builds
        # (writer.kept): a rebuild serialises again only the listings that changed.
        kind = "donnees" if not english else f"donnees-{language}"
        rows = [
            site.writer.kept(kind, e, lambda e=e, lang=language: _rows(site, e, lang)).split("\0")
            for e in site.directory.enterprises
        ]
        json_rows = [json_row for json_row, _ in rows]
        files.append(write(localized.directory_json(), directory_json(site, json_rows, language)))
        csv_rows = [csv_row for _, csv_row in rows]
        files.append(write(localized.directory_csv(), directory_csv(csv_rows, english)))
    files += [write(SITEMAP_FILE, sitemap(site)), write(ROBOTS_FILE, robots(site))]
    return Report("données ouvertes", tuple(files))
