"""What every page carries: link previews, icons, menu, breadcrumb, footer, 404 page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import LISTING_SITE_SETTINGS, ROOT

SITE = LISTING_SITE_SETTINGS["VITRINE_SITE_URL"].rstrip("/")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def web_pages(site: Path) -> list[Path]:
    """Every page a browser shows (the e-mail version of the digest is not one)."""
    return [p for p in sorted(site.rglob("*.html")) if p.name != "courriel.html"]


def meta(page: BeautifulSoup, key: str) -> str | None:
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_every_page_has_a_link_preview(listing_site):
    pages = web_pages(listing_site)
    assert len(pages) > 20
    for path in pages:
        page = soup(path)
        title = page.title.get_text()
        where = path.relative_to(listing_site)
        assert meta(page, "og:title") == title, where
        assert meta(page, "twitter:title") == title, where
        description = meta(page, "description")
        assert description and meta(page, "og:description") == description, where
        english = where.parts[0] == "en"  # the English site (its own language, same furniture)
        assert meta(page, "og:locale") == ("en_CA" if english else "fr_CA"), where
        assert meta(page, "og:image") == f"{SITE}/theme/images/partage.png", where
        assert meta(page, "twitter:card") == "summary_large_image", where
        assert meta(page, "og:url").startswith(SITE + "/"), where
        assert meta(page, "theme-color") == "#0b5e4a", where


def test_an_enterprise_preview_shows_its_name_and_mission(listing_site):
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    assert meta(page, "og:title").startswith("Coopérative Élan & Cie — ")
    assert (
        meta(page, "og:description") == "Nourrir les équipes de l'Estrie avec des produits d'ici."
    )
    assert meta(page, "og:url") == f"{SITE}/entreprises/coop-elan/"


def test_icons_and_preview_image_are_published(sample_site):
    page = soup(sample_site / "index.html")
    icons = {link["href"] for link in page.select("link[rel~=icon], link[rel=apple-touch-icon]")}
    assert icons == {
        "/favicon.ico",
        "/theme/images/logo.svg",
        "/theme/images/apple-touch-icon.png",
    }
    for href in icons | {"/theme/site.webmanifest", "/theme/images/partage.png"}:
        assert (sample_site / href.lstrip("/")).is_file(), href
    assert (sample_site / "favicon.ico").read_bytes()[:4] == b"\0\0\1\0"
    logo = page.select_one("header .brand img")
    assert logo["src"] == "/theme/images/logo.svg" and logo["alt"] == ""
    assert page.select_one("header .brand").get_text(" ", strip=True) == (
        "L'économie sociale, j'achète!"
    )


def menu_marks(path: Path) -> dict[str, str]:
    page = soup(path)
    return {
        a.get_text(" ", strip=True).split(" ")[0]: a["aria-current"]
        for a in page.select("header nav a[aria-current]")
    }


@pytest.mark.parametrize(
    ("page", "marked"),
    [
        ("index.html", {}),
        ("repertoire/index.html", {"Répertoire": "page"}),
        ("entreprises/coop-elan/index.html", {"Répertoire": "true"}),
        ("secteurs/index.html", {"Secteurs": "page"}),
        ("secteurs/traiteur-alimentation/index.html", {"Secteurs": "true"}),
        ("territoires/sherbrooke/index.html", {"Territoires": "true"}),
        ("evenements/index.html", {"Événements": "page"}),
        ("evenements/maillage-a-venir/index.html", {"Événements": "true"}),
        ("ma-selection/index.html", {"Ma": "page"}),
    ],
)
def test_the_menu_marks_the_current_section(listing_site, page, marked):
    assert menu_marks(listing_site / page) == marked


def test_pages_outside_the_menu_mark_nothing(sample_site):
    assert menu_marks(sample_site / "accessibilite/index.html") == {}


def breadcrumb(path: Path) -> list[tuple[str, str | None]]:
    nav = soup(path).select_one("nav.breadcrumb")
    return [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in nav.select("li")]


def test_enterprise_and_event_pages_have_a_breadcrumb(listing_site):
    assert breadcrumb(listing_site / "entreprises/coop-elan/index.html") == [
        ("Accueil", "/"),
        ("Répertoire", "/repertoire/"),
        ("Coopérative Élan & Cie", None),
    ]
    assert breadcrumb(listing_site / "evenements/maillage-a-venir/index.html") == [
        ("Accueil", "/"),
        ("Événements", "/evenements/"),
        ("Maillage de décembre", None),
    ]
    page = soup(listing_site / "entreprises/coop-elan/index.html")
    assert page.select_one("nav.breadcrumb [aria-current=page]")
    assert page.select_one("nav.breadcrumb")["aria-label"] == "Fil d'Ariane"


def test_every_page_footer_has_contact_accessibility_and_privacy(sample_site):
    email = "achat@economiesociale-estrie.example"  # pelicanconf.py
    for path in web_pages(sample_site):
        footer = soup(path).select_one("footer.site-footer")
        links = {a.get_text(strip=True): a["href"] for a in footer.select("a")}
        where = path.relative_to(sample_site)
        english = where.parts[0] == "en"  # each site leads to its own statements
        root = "/en/" if english else "/"
        accessibility = links.get("Accessibility" if english else "Accessibilité")
        assert accessibility == f"{root}accessibilite/", where
        assert (
            links.get("Privacy" if english else "Confidentialité") == f"{root}confidentialite/"
        ), where
        assert links.get(email) == f"mailto:{email}", where
        assert "REES-Estrie" in footer.get_text(), where
        for href in links.values():  # every footer link leads to a published page
            if href.startswith("/"):
                target = sample_site / href.lstrip("/")
                assert (target / "index.html" if href.endswith("/") else target).is_file()


def test_the_statements_say_what_the_law_and_the_standard_ask(sample_site):
    accessibility = soup(sample_site / "accessibilite/index.html").main.get_text(" ")
    for words in ("WCAG", "2.1", "AA", "SGQRI 008", "Signaler un problème"):
        assert words in accessibility
    privacy = soup(sample_site / "confidentialite/index.html").main.get_text(" ")
    for words in ("Loi 25", "dans votre navigateur seulement", "Aucun témoin", "suivi"):
        assert words in privacy


def test_the_campaign_text_on_the_home_page_comes_from_content(sample_site):
    source = (ROOT / "content/pages/la-campagne.md").read_text(encoding="utf-8")
    assert "80 contrats" in source and "150 000 $" in source
    campaign = soup(sample_site / "index.html").select_one("section.campaign")
    text = campaign.get_text(" ")
    assert "Les résultats du projet-pilote" in text
    assert "80 contrats" in text
    assert "REES-Estrie" in text


def test_the_404_page_is_at_the_root_and_helps(listing_site):
    page = soup(listing_site / "404.html")
    assert page.h1.get_text() == "Page introuvable"
    assert meta(page, "robots") == "noindex"
    assert page.find("link", rel="canonical") is None
    form = page.select_one("main form[role=search]")
    assert form["action"] == "/recherche/" and form.select_one("input[name=q]")
    links = {a["href"] for a in page.select("main a")}
    assert {"/", "/repertoire/", "/secteurs/", "/territoires/", "/evenements/"} <= links
    assert all(href.startswith(("/", "mailto:")) for href in links)  # right at any depth
    assert "404.html" not in (listing_site / "sitemap.xml").read_text(encoding="utf-8")
