"""Open data: CSV for French Excel, JSON, schema.org JSON-LD, sitemap and robots.txt."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from helpers import ROOT, load_sample, memory_site
from vitrine.outputs import exports

HOSTILE_NAME = 'Atelier </script><script>alert("x")</script> <!-- &amp;'
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def csv_rows(site: Path) -> tuple[bytes, list[dict]]:
    raw = (site / "donnees/entreprises.csv").read_bytes()
    text = raw.decode("utf-8-sig")
    return raw, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def json_ld_of(page: Path) -> tuple[BeautifulSoup, dict]:
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    scripts = html.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return html, json.loads(scripts[0].string)


# --- CSV ------------------------------------------------------------------------


def test_csv_opens_in_french_excel(listing_site):
    raw, rows = csv_rows(listing_site)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads accents right
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line ends in CRLF
    assert raw.splitlines()[0].count(b";") == len(exports.CSV_COLUMNS) - 1
    assert len(rows) == 2


def test_csv_has_one_row_per_enterprise_with_labels_and_codes(sample_site):
    _, rows = csv_rows(sample_site)
    sources = sorted(p.stem for p in (ROOT / "content/enterprises").glob("*.md"))
    assert sorted(row["Code"] for row in rows) == sources


def test_csv_row_keeps_accents_and_joins_lists(listing_site):
    _, rows = csv_rows(listing_site)
    row = next(r for r in rows if r["Code"] == "coop-elan")
    assert row["Nom"] == "Coopérative Élan & Cie"
    assert row["Forme juridique"] == "Coopérative de solidarité"
    assert row["Code forme juridique"] == "cooperative-de-solidarite"
    assert row["Secteurs"] == "Traiteur et alimentation | Formation et insertion"
    assert row["Codes secteurs"] == "traiteur-alimentation | formation-insertion"
    assert row["Territoires desservis"] == "Sherbrooke | Coaticook"
    assert (
        row["Offre"].split(" | ")[0] == "Boîtes à lunch : De 10 à 300 personnes, livrées chaudes."
    )
    assert row["Capacité"] == "Jusqu'à 300 repas par jour; commande 48 heures à l'avance."
    assert row["Téléphone"] == "819 555-0142 poste 12"
    assert row["NEQ"] == "1171234567"
    assert row["Dernière mise à jour"] == "2026-10-15"
    assert row["Page"] == "https://annuaire.example/entreprises/coop-elan/"


def test_csv_cells_never_start_a_spreadsheet_formula(listing_site):
    _, rows = csv_rows(listing_site)
    row = next(r for r in rows if r["Code"] == "atelier-hostile")
    assert row["Mission"] == '\'=HYPERLINK("https://piege.example")'
    assert row["Offre"] == "'@Meubles | sur mesure : -Tables et chaises."
    for r in rows:
        assert not any(value.startswith(("=", "+", "-", "@")) for value in r.values())


# --- JSON -----------------------------------------------------------------------


def test_json_holds_every_enterprise_with_codes_and_labels(listing_site):
    data = json.loads((listing_site / "donnees/entreprises.json").read_text(encoding="utf-8"))
    assert data["nombre"] == len(data["entreprises"]) == 2
    assert data["source"] == "https://annuaire.example/"
    elan = next(e for e in data["entreprises"] if e["code"] == "coop-elan")
    assert elan["territoires"] == [
        {"code": "sherbrooke", "libelle": "Sherbrooke"},
        {"code": "coaticook", "libelle": "Coaticook"},
    ]
    assert elan["offre"][1] == {
        "nom": "Pauses-café",
        "description": "Café équitable et viennoiseries maison.",
    }
    assert elan["adresse"]["code_postal"] == "J1H 5N4"
    assert elan["date_mise_a_jour"] == "2026-10-15"
    hostile = next(e for e in data["entreprises"] if e["code"] == "atelier-hostile")
    assert hostile["nom"] == HOSTILE_NAME and hostile["date_mise_a_jour"] is None


def test_exports_report_the_files_they_wrote_one_row_per_listing():
    directory = load_sample()
    site = memory_site(directory)
    report = exports.write(site)
    written = site.writer.files
    assert (
        set(report.files)
        == set(written)
        == {
            exports.JSON_FILE,
            exports.CSV_FILE,
            f"en/{exports.JSON_FILE}",  # the English site's (test_languages.py)
            f"en/{exports.CSV_FILE}",
            exports.SITEMAP_FILE,
            exports.ROBOTS_FILE,
        }
    )
    rows = list(
        csv.reader(io.StringIO(written[exports.CSV_FILE].decode("utf-8-sig")), delimiter=";")
    )
    assert [row[0] for row in rows[1:]] == [e.slug for e in directory.enterprises]
    assert json.loads(written[exports.JSON_FILE])["nombre"] == len(directory.enterprises)


# --- JSON-LD --------------------------------------------------------------------


def test_enterprise_page_carries_schema_org_json_ld(listing_site):
    _, data = json_ld_of(listing_site / "entreprises/coop-elan/index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == "Coopérative Élan & Cie"
    assert data["description"].startswith("Nourrir les équipes")
    assert data["url"] == "https://elan.example"
    assert data["mainEntityOfPage"] == "https://annuaire.example/entreprises/coop-elan/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "100, rue King Ouest",
        "addressLocality": "Sherbrooke",
        "postalCode": "J1H 5N4",
        "addressRegion": "QC",
        "addressCountry": "CA",
    }
    assert data["telephone"] == "+18195550142;ext=12"  # as the page's tel: link
    assert data["email"] == "commandes@elan.example"
    assert [a["name"] for a in data["areaServed"]] == ["Sherbrooke", "Coaticook"]
    offers = data["hasOfferCatalog"]["itemListElement"]
    assert [o["name"] for o in offers] == ["Boîtes à lunch", "Pauses-café"]
    assert data["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "NEQ",
        "value": "1171234567",
    }
    assert data["foundingDate"] == "1998"
    assert data["logo"] == "https://annuaire.example/images/elan.png"


def test_json_ld_cannot_break_out_of_its_script(listing_site):
    page = listing_site / "entreprises/atelier-hostile/index.html"
    html, data = json_ld_of(page)
    assert data["name"] == HOSTILE_NAME
    assert "identifier" not in data and "telephone" not in data and "foundingDate" not in data
    script = html.select_one('script[type="application/ld+json"]')
    assert script.parent.name == "head"
    assert not any("alert" in (s.string or "") for s in html.find_all("script") if s is not script)
    raw = page.read_text(encoding="utf-8")
    block = raw[raw.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block[1:] and "&" not in block


# --- sitemap and robots ---------------------------------------------------------


def test_sitemap_lists_every_page_with_absolute_urls(sample_site):
    tree = ET.parse(sample_site / "sitemap.xml")
    locations = [loc.text for loc in tree.findall("s:url/s:loc", SITEMAP_NS)]
    assert len(locations) == len(set(locations))
    site_url = "https://repertoire.economiesociale-estrie.example/"
    assert all(loc.startswith(site_url) for loc in locations)
    paths = {loc.removeprefix(site_url) for loc in locations}
    for source in (ROOT / "content/enterprises").glob("*.md"):
        assert f"entreprises/{source.stem}/" in paths
    for source in (ROOT / "content/events").glob("*.md"):
        assert f"evenements/{source.stem}/" in paths
    for page in ("", "repertoire/", "portfolio/", "secteurs/", "secteurs/informatique/"):
        assert page in paths
    for path in paths:  # and nothing that was not written
        assert (sample_site / path / "index.html").is_file(), path


def test_sitemap_gives_listings_their_freshness(listing_site):
    tree = ET.parse(listing_site / "sitemap.xml")
    lastmod = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in tree.findall("s:url", SITEMAP_NS)
    }
    assert lastmod["https://annuaire.example/entreprises/coop-elan/"] == "2026-10-15"
    assert lastmod["https://annuaire.example/entreprises/atelier-hostile/"] is None


def test_robots_txt_points_to_the_sitemap(listing_site):
    lines = (listing_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: https://annuaire.example/sitemap.xml" in lines
