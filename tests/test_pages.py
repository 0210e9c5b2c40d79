"""The pages a buyer reads: home, enterprise page, directory, browse pages, portfolio."""

import itertools
from collections import Counter

from bs4 import BeautifulSoup
from helpers import load_sample, served_per_yaml, soup


def counts_in(section) -> dict[str, int]:
    """{browse URL: the number shown beside it} for a list of counts."""
    return {
        li.a["href"]: int(li.select_one(".count").contents[0])
        for li in section.select(".counts li")
    }


def internal_targets(page: BeautifulSoup) -> list[str]:
    return [a["href"] for a in page.select("main a[href^='/']")]


# --- home ---------------------------------------------------------------------------


def test_home_counts_by_sector_and_territory_match_the_content(sample_site):
    directory = load_sample()
    sectors = Counter(code for e in directory.enterprises for code in e.data.secteurs)
    # A listing serving « toute l'Estrie » counts under each territory it covers.
    territories = Counter(
        code for e in directory.enterprises for code in served_per_yaml(e.data.territoires)
    )
    home = soup(sample_site / "index.html")
    shown_sectors = counts_in(home.find(id="par-secteur").parent)
    shown_territories = counts_in(home.find(id="par-territoire").parent)
    assert shown_sectors == {f"/secteurs/{code}/": n for code, n in sectors.items()}
    assert shown_territories == {f"/territoires/{code}/": n for code, n in territories.items()}
    stats = home.select_one(".stats").get_text(" ", strip=True)
    assert f"{len(directory.enterprises)} entreprises" in stats


def test_home_explains_the_campaign_and_offers_a_search_box(sample_site):
    home = soup(sample_site / "index.html")
    campaign = home.find(id="campagne").parent.get_text(" ", strip=True)
    assert "REES-Estrie" in campaign and "CDEC de Sherbrooke" in campaign
    form = home.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/recherche/"
    field = form.select_one("input[name=q]")
    assert form.select_one(f"label[for={field['id']}]").get_text(strip=True)


def test_home_lists_the_next_events_only(listing_site):
    home = soup(listing_site / "index.html")
    titles = [a.get_text() for a in home.find(id="a-venir").parent.select(".card h3 a")]
    assert titles == ["Maillage de décembre"]


def test_home_invites_enterprises_and_buyers_to_join(listing_site):
    join = soup(listing_site / "index.html").find(id="participer").parent
    assert join.select_one('a[href="/ajouter-ou-modifier-votre-fiche/"]')
    assert join.select_one('a[href^="mailto:"]')["href"].startswith("mailto:achat@rees.example?")


def test_home_links_to_the_portfolio_and_open_data(listing_site):
    links = internal_targets(soup(listing_site / "index.html"))
    for target in ("/portfolio/", "/donnees/entreprises.csv", "/donnees/entreprises.json"):
        assert target in links
        assert (listing_site / target.strip("/")).exists() or (
            listing_site / target.strip("/") / "index.html"
        ).exists()


# --- enterprise page ------------------------------------------------------------------


def test_enterprise_page_shows_what_a_buyer_needs(listing_site):
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    article = page.select_one("article[data-pagefind-body]")
    assert article.h1.get_text() == "Coopérative Élan & Cie"
    assert (
        article.select_one(".lead").get_text()
        == "Nourrir les équipes de l'Estrie avec des produits d'ici."
    )
    assert [s.get_text() for s in article.select(".offer-name")] == [
        "Boîtes à lunch",
        "Pauses-café",
    ]
    assert "livrées chaudes" in article.select_one(".offer").get_text()
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in article.select(".facts dt")
    }
    assert facts["Territoires desservis"] == "Sherbrooke , Coaticook"
    assert facts["Secteurs"] == "Traiteur et alimentation , Formation et insertion"
    # Volumes and the NEQ are in « Prêt à contracter » (test_ready_to_contract.py).
    assert facts["Volumes"].startswith("Jusqu'à 300 repas")
    assert facts["Certifications"] == "Aliments du Québec , Entreprise d'insertion"
    assert facts["Langues de service"] == "Français, Anglais"
    assert facts["Forme juridique"] == "Coopérative de solidarité"
    assert facts["NEQ (numéro d'entreprise du Québec)"].startswith("1171234567")
    assert facts["Fondation"] == "1998"
    assert [li.get_text() for li in article.select(".impacts li")] == [
        "12 personnes en insertion chaque année",
        "4 tonnes de déchets évitées",
    ]
    assert article.select_one(".description strong").get_text() == "présentation"


def test_enterprise_page_contacts_are_one_click(listing_site):
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    assert page.select_one('.quick-contact a[href^="tel:"]')["href"] == "tel:+18195550142;ext=12"
    assert (
        page.select_one('.quick-contact a[href^="mailto:"]')["href"]
        == "mailto:commandes@elan.example"
    )
    assert page.select_one('.quick-contact a[href="https://elan.example"]')
    address = page.select_one("address").get_text(" ", strip=True)
    assert "Émilie Côté, directrice" in address
    assert "100, rue King Ouest" in address and "J1H 5N4" in address


def test_enterprise_page_shows_freshness_logo_and_edit_link(listing_site):
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    assert page.select_one(".freshness time")["datetime"] == "2026-10-15"
    assert page.select_one(".freshness").get_text(" ", strip=True).endswith("15 octobre 2026")
    logo = page.select_one("img.logo")
    assert logo["src"] == "/images/elan.png" and "Élan" in logo["alt"]
    assert page.select_one("a.edit-link")["href"] == (
        "https://forge.example/rees/vitrine/edit/main/content/enterprises/coop-elan.md"
    )


def test_enterprise_page_without_update_date_or_logo_omits_them(listing_site):
    page = soup(listing_site / "entreprises/atelier-hostile/index.html")
    assert page.select_one(".freshness") is None
    assert page.select_one("img.logo") is None
    terms = [dt.get_text(strip=True) for dt in page.select(".facts dt")]
    assert "Capacité" not in terms and "Certifications" not in terms and "NEQ" not in terms


def test_enterprise_page_headings_do_not_skip_levels(listing_site):
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


# --- directory and browse pages ---------------------------------------------------


def test_browse_pages_list_their_enterprises_in_plain_html(sample_site):
    directory = load_sample()
    for code in directory.vocabularies["secteurs"]:
        page = soup(sample_site / f"secteurs/{code}/index.html")
        expected = sorted(e.name for e in directory.enterprises if code in e.data.secteurs)
        assert sorted(a.get_text() for a in page.select(".card h3 a")) == expected
        assert page.select_one(f'.breadcrumb a[aria-current=page][href="/secteurs/{code}/"]')


def test_browse_pages_work_without_javascript(sample_site):
    """Every link on a browse page is a real page: nothing waits for a script."""
    pages = [sample_site / "repertoire/index.html", sample_site / "formes-juridiques/index.html"]
    pages += sorted((sample_site / "territoires").glob("*/index.html"))
    for path in pages:
        page = soup(path)
        assert not page.select("main script"), path
        links = page.select("main a[href]")
        assert links and not [a for a in links if a.find_parent(attrs={"hidden": True})], path
        for target in internal_targets(page):
            file = sample_site / target.lstrip("/").split("#")[0]
            assert file.is_file() or (file / "index.html").is_file(), (path, target)


def test_browse_index_counts_every_value(sample_site):
    directory = load_sample()
    page = soup(sample_site / "formes-juridiques/index.html")
    legal_forms = Counter(e.data.forme_juridique for e in directory.enterprises)
    shown = counts_in(page)
    assert len(shown) == len(directory.vocabularies["formes_juridiques"])
    assert {url: n for url, n in shown.items() if n} == {
        f"/formes-juridiques/{code}/": n for code, n in legal_forms.items()
    }


def test_directory_offers_open_data(listing_site):
    section = soup(listing_site / "repertoire/index.html").find(id="donnees-ouvertes").parent
    hrefs = [a["href"] for a in section.select("a")]
    assert "/donnees/entreprises.csv" in hrefs and "/donnees/entreprises.json" in hrefs


# --- portfolio ----------------------------------------------------------------------


def test_portfolio_prints_every_enterprise_once_under_its_main_sector(sample_site):
    directory = load_sample()
    page = soup(sample_site / "portfolio/index.html")
    entries = page.select("article.portfolio-entry")
    assert sorted(e["id"] for e in entries) == sorted(f"e-{e.slug}" for e in directory.enterprises)
    for enterprise in directory.enterprises:
        entry = page.find(id=f"e-{enterprise.slug}")
        sector = entry.find_parent("section")
        assert sector["id"] == f"secteur-{enterprise.data.secteurs[0]}"
        assert entry.h3.get_text() == enterprise.name
        offer = [li.strong.get_text() for li in entry.select(".offer li")]
        assert offer == [item.nom for item in enterprise.data.offre]
        for other in enterprise.data.secteurs[1:]:
            see_also = page.find(id=f"secteur-{other}").select_one(".see-also")
            assert see_also.select_one(f'a[href="#e-{enterprise.slug}"]')


def test_portfolio_entry_is_compact_but_complete(listing_site):
    entry = soup(listing_site / "portfolio/index.html").find(id="e-coop-elan")
    text = entry.get_text(" ", strip=True)
    assert "Nourrir les équipes" in text and "Sherbrooke, Coaticook" in text
    assert entry.select_one('a[href^="tel:"]') and entry.select_one('a[href^="mailto:"]')
