"""« Ma sélection » as a buyer uses it, in a real Chromium: kept codes read from the
published open data, the CSV a buyer files, the share link, the invitation to quote.

Expectations come from the site's JSON export (donnees/entreprises.json), read here
with Python. The procurement keys a listing will carry (capacite_contrat, faits,
a_verifier) are written into a copy of the sample site's export (``procurement``),
so the columns they fill are proven filled; the plain sample site proves the page
and the CSV with today's export, where they are absent.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import re
import shutil
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from browser import DESKTOP, PHONE, axe_violations, open_page, screenshot, serve, wait_for_results
from vitrine.formatting import phone_uri

pytestmark = pytest.mark.browser

EXPORT = "donnees/entreprises.json"
NBSP = "\u00a0"

# What the listing model will export (issue 16): one enterprise with every fact.
FULL_FACTS = {
    "capacite_contrat": {
        "montant_max": 100000,
        "delai": "Deux semaines",
        "volumes": "Jusqu'à 500 repas par jour",
        "regroupement": True,
        "sous_traitance": False,
    },
    "faits": [
        {"code": "neq", "libelle": "NEQ", "valeur": "1166210045", "verifie_le": "2026-10-01"},
        {
            "code": "rena",
            "libelle": "Non inscrite au RENA",
            "valeur": True,
            "verifie_le": "2026-10-02",
        },
        {
            "code": "revenu-quebec",
            "libelle": "Attestation de Revenu Québec",
            "valeur": "2026-09-15",
            "verifie_le": "2026-10-03",
        },
        {"code": "assurance", "libelle": "Assurance", "valeur": 2000000, "verifie_le": None},
        {
            "code": "rbq",
            "libelle": "Licence RBQ",
            "valeur": "5678-1234-01",
            "verifie_le": "2026-10-05",
        },
    ],
    "a_verifier": False,
}
# And one with none declared, flagged stale.
NO_FACTS = {
    "capacite_contrat": {
        "montant_max": None,
        "delai": None,
        "volumes": None,
        "regroupement": None,
        "sous_traitance": None,
    },
    "faits": [],
    "a_verifier": True,
}
FACT_CODES = ["neq", "rena", "revenu-quebec", "assurance", "rbq"]


def export(site) -> dict:
    return json.loads((site / EXPORT).read_text(encoding="utf-8"))


def records(site) -> dict[str, dict]:
    return {r["code"]: r for r in export(site)["entreprises"]}


@pytest.fixture(scope="module")
def procurement(sample_site, tmp_path_factory):
    """The sample site with the procurement keys in its export: (folder, served URL)."""
    site = tmp_path_factory.mktemp("procurement") / "output"
    shutil.copytree(sample_site, site)
    data = export(site)
    for record in data["entreprises"]:
        record.update(NO_FACTS)
    data["entreprises"][0].update(FULL_FACTS)
    (site / EXPORT).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with serve(site) as url:
        yield site, url


def go(page, url: str | None = None) -> None:
    """Leave a page once it is done: the favicon comes after the load event, and a
    request cut short would count as an error. Without ``url``, reload."""
    page.wait_for_load_state("networkidle")
    if url:
        page.goto(url)
    else:
        page.reload()


def keep(page, site_url: str, codes: list[str]) -> None:
    """Codes in this browser's selection, as the buttons leave them; then the shortlist page."""
    page.evaluate(
        "codes => localStorage.setItem('vitrine.selection.v2', JSON.stringify(codes))", codes
    )
    go(page, f"{site_url}/ma-selection/")
    page.wait_for_selector(".shortlist-item")


def stored(page) -> list[str]:
    return page.evaluate("() => JSON.parse(localStorage.getItem('vitrine.selection.v2'))")


def names(page) -> list[str]:
    return page.locator(".shortlist-item h2").all_inner_texts()


def mark(page, name: str) -> None:
    button = page.locator(".card", has_text=name).locator(".shortlist-toggle")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"


def download_csv(page) -> list[list[str]]:
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Télécharger")).click()
    download = download_info.value
    assert download.suggested_filename == "ma-selection.csv"
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8, accents intact
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))


# --- kept codes, today's records -----------------------------------------------------


def test_marks_survive_navigation_and_only_codes_are_kept(browser, site_url, sample_site):
    data = records(sample_site)
    first, *_, second = data.values()
    page = open_page(browser, f"{site_url}/entreprises/{first['code']}/")
    page.locator(".shortlist-toggle").click()
    go(page, f"{site_url}/entreprises/{second['code']}/")
    page.locator(".shortlist-toggle").click()
    assert page.locator("[data-shortlist-count]").inner_text() == "2"
    assert stored(page) == [first["code"], second["code"]]

    # A browse page and the search results: the marks are still there.
    go(page, f"{site_url}/secteurs/{first['secteurs'][0]['code']}/")
    card = page.locator(".card", has_text=first["nom"])
    assert card.locator(".shortlist-toggle").get_attribute("aria-pressed") == "true"
    go(page, f"{site_url}/recherche/?q={quote(second['nom'])}")
    wait_for_results(page)
    hit = page.locator(".search-hit", has_text=second["nom"])
    assert hit.locator(".shortlist-toggle").get_attribute("aria-pressed") == "true"
    hit.locator(".shortlist-toggle").click()  # a result's button keeps the same code
    assert stored(page) == [first["code"]]
    hit.locator(".shortlist-toggle").click()
    assert stored(page) == [first["code"], second["code"]]

    go(page, f"{site_url}/ma-selection/")
    page.wait_for_selector(".shortlist-item")
    assert names(page) == [first["nom"], second["nom"]]
    # Removing one keeps the other, here and on every page.
    page.get_by_role("button", name=f"Retirer : {second['nom']}").click()
    assert names(page) == [first["nom"]]
    go(page, f"{site_url}/repertoire/")
    assert page.locator("[data-shortlist-count]").inner_text() == "1"
    assert page.console_errors == []


def test_an_old_selection_keeps_its_codes_and_shows_todays_listings(browser, sample_site, tmp_path):
    site = tmp_path / "output"
    shutil.copytree(sample_site, site)
    data = records(site)
    first, second = list(data)[:2]
    frozen = [
        {"slug": first, "nom": "Nom d'il y a un an", "chemin": f"entreprises/{first}/"},
        {"slug": "cooperative-disparue", "nom": "Coopérative disparue"},
        {"slug": second, "nom": data[second]["nom"]},
    ]
    with serve(site) as url:
        page = open_page(browser, f"{url}/repertoire/")
        page.evaluate(
            "items => localStorage.setItem('vitrine.selection.v1', JSON.stringify(items))", frozen
        )
        go(page, f"{url}/ma-selection/")
        page.wait_for_selector(".shortlist-item h2")
        assert stored(page) == [first, "cooperative-disparue", second]
        assert page.evaluate("() => localStorage.getItem('vitrine.selection.v1')") is None
        assert names(page) == [data[first]["nom"], data[second]["nom"]]  # not the frozen name

        # Never dropped silently: named, with a way to remove it.
        gone = page.locator(".shortlist-gone")
        assert "n'est plus au répertoire" in gone.inner_text()
        assert "cooperative-disparue" in gone.inner_text()

        # Staff publish a change: the kept list shows it at the next visit.
        changed = export(site)
        for record in changed["entreprises"]:
            if record["code"] == first:
                record["nom"] = "Nouveau nom publié"
                record["contact"]["telephone"] = "819 555-0999 poste 4"
        changed["entreprises"] = [r for r in changed["entreprises"] if r["code"] != second]
        (site / EXPORT).write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
        go(page)
        page.wait_for_selector(".shortlist-item h2")
        assert names(page) == ["Nouveau nom publié"]
        assert page.locator(".shortlist-gone").count() == 2
        assert page.locator(".shortlist-item a[href^='tel:']").get_attribute("href") == (
            "tel:+18195550999;ext=4"
        )
        page.get_by_role("button", name="Retirer : cooperative-disparue").click()
        assert stored(page) == [first, second]
        assert page.console_errors == []


def test_phone_numbers_are_tel_links_in_international_form(browser, site_url, sample_site):
    data = records(sample_site)
    with_phone = [code for code, r in data.items() if r["contact"]["telephone"]][:4]
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, with_phone)
    links = page.locator(".shortlist-item a[href^='tel:']")
    assert links.count() == len(with_phone)
    for code, link in zip(with_phone, links.all(), strict=True):
        number = data[code]["contact"]["telephone"]
        assert link.inner_text() == number
        assert link.get_attribute("href") == "tel:" + phone_uri(number)
        assert re.fullmatch(r"tel:\+1\d{10}(;ext=\d+)?", link.get_attribute("href"))
    assert page.console_errors == []


# --- the CSV a buyer files -------------------------------------------------------------


def fact_columns() -> list[str]:
    return [
        "NEQ",
        "NEQ vérifié le",
        "Non inscrite au RENA",
        "RENA vérifié le",
        "Attestation de Revenu Québec",
        "Attestation de Revenu Québec vérifiée le",
        "Assurance responsabilité civile",
        "Assurance vérifiée le",
        "Licence RBQ",
        "Licence RBQ vérifiée le",
    ]


HEADER = [
    "Nom",
    "Fiche dans le répertoire",
    "Mission",
    "Forme juridique",
    "Secteurs",
    "Territoires desservis",
    "Ville",
    "Offre",
    "Certifications",
    "Personne-ressource",
    "Courriel",
    "Téléphone",
    "Site web",
    "Capacité",
    "Contrat maximal ($)",
    "Délai habituel",
    "Volumes",
    "Soumissionne en regroupement",
    "Accepte la sous-traitance",
    *fact_columns(),
    "Fiche à vérifier",
    "Dernière mise à jour",
]


def test_csv_holds_offer_contacts_capacity_and_dated_facts(browser, procurement):
    site, url = procurement
    data = records(site)
    full, bare, *_ = data
    page = open_page(browser, f"{url}/repertoire/")
    keep(page, url, [full, bare])
    rows = download_csv(page)
    assert rows[0] == HEADER
    by_name = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {data[full]["nom"], data[bare]["nom"]}

    row, record = by_name[data[full]["nom"]], data[full]
    assert row["Fiche dans le répertoire"] == record["url"]  # the published page's address
    assert row["Mission"] == record["mission"]
    assert row["Offre"] == " | ".join(f"{o['nom']} : {o['description']}" for o in record["offre"])
    assert row["Certifications"] == ", ".join(c["libelle"] for c in record["certifications"])
    assert row["Courriel"] == record["contact"]["courriel"]
    assert row["Capacité"] == (record["capacite"] or "")
    assert row["Contrat maximal ($)"] == "100000"
    assert row["Délai habituel"] == "Deux semaines"
    assert row["Volumes"] == "Jusqu'à 500 repas par jour"
    assert row["Soumissionne en regroupement"] == "Oui"
    assert row["Accepte la sous-traitance"] == "Non"
    assert row["NEQ"] == "1166210045" and row["NEQ vérifié le"] == "2026-10-01"
    assert row["Non inscrite au RENA"] == "Oui" and row["RENA vérifié le"] == "2026-10-02"
    assert row["Attestation de Revenu Québec"] == "2026-09-15"
    assert row["Attestation de Revenu Québec vérifiée le"] == "2026-10-03"
    assert row["Assurance responsabilité civile"] == "2000000"
    assert row["Assurance vérifiée le"] == ""  # declared, date not given
    assert row["Licence RBQ"] == "5678-1234-01" and row["Licence RBQ vérifiée le"] == "2026-10-05"
    assert row["Fiche à vérifier"] == "Non"

    # The page shows them too, in French.
    entry = page.locator(".shortlist-item", has_text=data[full]["nom"])
    shown = entry.inner_text().replace("\u202f", NBSP)
    assert f"100{NBSP}000{NBSP}$" in shown
    assert f"Non inscrite au RENA, vérifié le 2{NBSP}octobre{NBSP}2026" in shown
    assert f"RBQ, vérifié le 5{NBSP}octobre{NBSP}2026" in shown
    assert f"NEQ, vérifié le 1er{NBSP}octobre{NBSP}2026" in shown

    # Nothing declared: empty cells, never « Non ».
    row = by_name[data[bare]["nom"]]
    assert [row[c] for c in HEADER[14:19]] == ["", "", "", "", ""]
    assert all(row[c] == "" for c in fact_columns() if c != "NEQ")
    assert row["Fiche à vérifier"] == "Oui"
    # The page says so too.
    stale = page.locator(".shortlist-item", has_text=data[bare]["nom"]).locator(".shortlist-stale")
    assert "à vérifier" in stale.inner_text()
    assert page.console_errors == []


def test_csv_from_todays_export_leaves_the_procurement_columns_empty(
    browser, site_url, sample_site
):
    data = records(sample_site)
    codes = [code for code, r in data.items() if r["neq"]][:1] + [
        code for code, r in data.items() if not r["neq"]
    ][:1]
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, codes)
    rows = download_csv(page)
    assert rows[0] == HEADER
    assert len(rows) == 3
    for row in rows[1:]:
        row = dict(zip(HEADER, row, strict=True))
        record = next(r for r in data.values() if r["nom"] == row["Nom"])
        assert row["NEQ"] == (record["neq"] or "")  # the listing's NEQ, not yet dated
        assert all(row[c] == "" for c in fact_columns() if c != "NEQ")
        assert all(row[c] == "" for c in HEADER[14:19])
        assert row["Fiche à vérifier"] == ""
        assert row["Fiche dans le répertoire"] == record["url"]
        assert row["Dernière mise à jour"] == (record["date_mise_a_jour"] or "")
    assert page.console_errors == []


def test_csv_cells_never_become_formulas(browser, sample_site, tmp_path):
    site = tmp_path / "output"
    shutil.copytree(sample_site, site)
    data = export(site)
    hostile = data["entreprises"][0]
    hostile["mission"] = '=HYPERLINK("http://evil.example";"clic")'
    hostile["capacite_contrat"] = {"montant_max": None, "delai": "@SUM(A1)", "volumes": "-2+3"}
    (site / EXPORT).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with serve(site) as url:
        page = open_page(browser, f"{url}/repertoire/")
        keep(page, url, [hostile["code"]])
        row = dict(zip(HEADER, download_csv(page)[1], strict=True))
    assert row["Mission"] == "'" + hostile["mission"]
    assert row["Délai habituel"] == "'@SUM(A1)"
    assert row["Volumes"] == "'-2+3"


def test_an_export_that_cannot_be_read_is_said_not_hidden(browser, site_url, sample_site):
    page = open_page(browser, f"{site_url}/repertoire/")
    page.route("**/donnees/entreprises.json", lambda route: route.abort())
    page.evaluate("() => localStorage.setItem('vitrine.selection.v2', JSON.stringify(['a', 'b']))")
    go(page, f"{site_url}/ma-selection/")
    status = page.locator("[data-shortlist-status]")
    page.wait_for_function(
        "() => document.querySelector('[data-shortlist-status]').textContent.includes('pas pu')"
    )
    assert "rechargez la page" in status.inner_text()
    assert page.locator(".shortlist-item").count() == 0
    assert stored(page) == ["a", "b"]  # nothing lost


# --- the share link --------------------------------------------------------------------


def test_share_link_opens_the_same_list_on_a_colleagues_computer(browser, site_url, sample_site):
    data = records(sample_site)
    codes = list(data)[2:5]
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, codes)
    page.get_by_role("button", name="Partager cette sélection").click()
    link = page.locator("#shortlist-share-link")
    assert link.is_visible()  # visible even where copying is not allowed
    address = link.input_value()
    assert urlsplit(address).path == "/ma-selection/"
    assert parse_qs(urlsplit(address).query) == {"entreprises": [",".join(codes)]}
    copy = page.get_by_role("button", name="Copier le lien")
    if copy.is_visible():  # 127.0.0.1 is a secure context: Chromium allows it
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        copy.click()
        page.wait_for_function(
            "() => document.querySelector('[data-shortlist-copied]').textContent"
        )
        assert page.evaluate("() => navigator.clipboard.readText()") == address

    # A colleague: a fresh browser, nothing kept; one code in the link is unknown.
    colleague = open_page(browser, address + ",cooperative-inconnue")
    colleague.wait_for_selector(".shortlist-item h2")
    assert names(colleague) == [data[c]["nom"] for c in codes]
    unknown = colleague.locator(".shortlist-gone")
    assert "cooperative-inconnue" in unknown.inner_text()
    assert "inconnu" in unknown.inner_text()
    assert colleague.evaluate("() => localStorage.getItem('vitrine.selection.v2')") is None
    assert colleague.locator("[data-shortlist-count]").inner_text() == "0"
    # The CSV works from the shared list too.
    assert [row[0] for row in download_csv(colleague)[1:]] == [data[c]["nom"] for c in codes]

    colleague.get_by_role("button", name="Garder ces entreprises dans ma sélection").click()
    assert stored(colleague) == codes
    assert colleague.locator("[data-shortlist-count]").inner_text() == "3"
    assert urlsplit(colleague.url).query == ""
    assert (
        "maintenant dans votre sélection"
        in colleague.locator("[data-shortlist-status]").inner_text()
    )
    assert colleague.get_by_role("button", name=f"Retirer : {data[codes[0]]['nom']}").is_visible()
    assert page.console_errors == [] and colleague.console_errors == []


# --- « Demander des prix » -------------------------------------------------------------


def test_fewer_than_two_enterprises_explains_why_there_is_no_invitation(
    browser, site_url, sample_site
):
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, list(records(sample_site))[:1])
    section = page.locator("[data-shortlist-quote]")
    assert section.is_visible()
    assert "au moins deux entreprises" in section.inner_text()
    assert not page.locator("[data-quote-form]").is_visible()
    assert page.console_errors == []


def fill_quote(page, need: str) -> None:
    page.get_by_label("Objet").fill("Traiteur pour un colloque")
    page.get_by_label("Besoin").fill(need)
    page.get_by_label("Date limite pour répondre").fill("2027-01-15")
    page.get_by_label("Votre nom et votre organisation").fill("Julie Roy, Ville de Sherbrooke")


def test_invitation_to_quote_is_a_mailto_link_with_the_enterprises_in_bcc(
    browser, site_url, sample_site
):
    data = records(sample_site)
    with_mail = [c for c, r in data.items() if r["contact"]["courriel"]][:3]
    without = next(c for c, r in data.items() if not r["contact"]["courriel"])
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, [*with_mail, without])
    # Prefilled, for the buyer to edit.
    assert page.get_by_label("Objet").input_value() == "Demande de prix"
    assert "Quantités" in page.get_by_label("Besoin").input_value()
    assert page.get_by_label("Date limite pour répondre").input_value()
    fill_quote(page, "200 repas le 3 février.")

    link = page.get_by_role("link", name="Écrire le courriel")
    href = link.get_attribute("href")
    assert len(href) <= 2000
    parts = urlsplit(href)
    assert parts.scheme == "mailto" and parts.path == ""  # nobody in « À »
    query = parse_qs(parts.query)
    assert unquote(query["bcc"][0]).split(",") == [
        data[c]["contact"]["courriel"] for c in with_mail
    ]
    assert query["subject"] == ["Traiteur pour un colloque"]
    body = query["body"][0]
    assert "Julie Roy, Ville de Sherbrooke vous invite" in body
    assert "200 repas le 3 février." in body
    assert f"au plus tard le 15{NBSP}janvier{NBSP}2027" in body
    assert f"Objet{NBSP}: Traiteur" in body
    assert "copie cachée" in body
    assert "copie cachée (Cci)" in page.locator("[data-quote-help]").inner_text()
    # A buyer who empties the date gets a sentence without one, not « au plus tard le , ».
    page.get_by_label("Date limite pour répondre").fill("")
    emptied = parse_qs(urlsplit(link.get_attribute("href")).query)["body"][0]
    assert "répondre à ce courriel dès que possible, en indiquant" in emptied
    assert "plus tard" not in emptied

    # No address: named, with a number to call.
    phones = page.locator("[data-quote-phones]")
    assert data[without]["nom"] in phones.inner_text()
    number = data[without]["contact"]["telephone"]
    assert phones.locator("a").get_attribute("href") == "tel:" + phone_uri(number)
    assert page.console_errors == []


def test_a_long_invitation_is_an_eml_draft_outlook_opens_for_sending(
    browser, site_url, sample_site
):
    data = records(sample_site)
    with_mail = [c for c, r in data.items() if r["contact"]["courriel"]][:6]
    page = open_page(browser, f"{site_url}/repertoire/")
    keep(page, site_url, with_mail)
    need = "\n".join(
        f"- Lot {n} : {n * 10} boîtes de repas équilibrés, livrées à l'hôtel de ville"
        for n in range(1, 30)
    )
    fill_quote(page, need)
    page.get_by_label("Objet").fill(
        "Demande de prix — traiteur écoresponsable pour un colloque régional de trois jours"
    )

    link = page.get_by_role("link", name="Télécharger le brouillon (.eml)")
    assert "trop long" in page.locator("[data-quote-help]").inner_text()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "demande-de-prix.eml"
    raw = download.path().read_bytes()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert [a.addr_spec for a in message["Bcc"].addresses] == [
        data[c]["contact"]["courriel"] for c in with_mail
    ]
    assert message["Subject"] == (
        "Demande de prix — traiteur écoresponsable pour un colloque régional de trois jours"
    )
    assert message.get_content_type() == "text/plain"
    body = message.get_content()
    assert f"- Lot 29{NBSP}: 290 boîtes de repas équilibrés" in body
    assert f"au plus tard le 15{NBSP}janvier{NBSP}2027" in body
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))  # RFC 5322 line length
    assert not message.defects
    assert page.console_errors == []


def test_english_site_writes_the_invitation_in_english(browser, site_url, sample_site):
    codes = [c for c, r in records(sample_site).items() if r["contact"]["courriel"]][:2]
    page = open_page(browser, f"{site_url}/en/repertoire/")
    keep(page, f"{site_url}/en", codes)
    assert (
        page.locator("[data-shortlist-summary]").inner_text() == "2 enterprises in your shortlist."
    )
    page.get_by_label("Deadline to reply").fill("2027-01-15")
    body = parse_qs(urlsplit(page.locator("[data-quote-link]").get_attribute("href")).query)[
        "body"
    ][0]
    assert "January 15, 2027" in body
    assert NBSP not in body
    link = page.locator(".shortlist-item h2 a").first
    assert link.get_attribute("href").endswith(f"/en/entreprises/{codes[0]}/")
    assert page.console_errors == []


# --- without JavaScript, accessibility, looks ----------------------------------------


def test_without_javascript_the_page_says_what_to_do(browser, site_url):
    page = open_page(browser, f"{site_url}/ma-selection/?entreprises=a,b", javascript=False)
    notice = page.locator(".search-notice")
    assert "JavaScript" in notice.inner_text()
    assert "lien partagé" in notice.inner_text()
    hrefs = notice.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/repertoire/", "/donnees/entreprises.csv"]
    assert not page.locator("#ma-selection").is_visible()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_shortlist_page_passes_axe(browser, procurement, viewport):
    site, url = procurement
    data = records(site)
    page = open_page(browser, f"{url}/repertoire/", viewport=viewport)
    keep(page, url, [*list(data)[:2], "ressourcerie-des-sources", "cooperative-disparue"])
    page.get_by_role("button", name="Partager cette sélection").click()
    screenshot(page, f"ma-selection-{viewport['width']}")
    assert axe_violations(page) == []
    go(page, f"{url}/ma-selection/?entreprises={','.join(list(data)[3:5])},inconnue")
    page.wait_for_selector(".shortlist-item h2")
    screenshot(page, f"ma-selection-partagee-{viewport['width']}")
    assert axe_violations(page) == []
    assert page.console_errors == []  # a CSP violation would be one
