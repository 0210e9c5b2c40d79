"""Two sites from one build: French at the root, English under en/, page for page."""

import datetime as dt
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, load_sample, make_content, write
from vitrine.content.vocabulary import VocabularyError, load_vocabularies
from vitrine.formatting import filters

SITE_URL = "https://repertoire.economiesociale-estrie.example"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def pages_of(site: Path) -> dict[str, BeautifulSoup]:
    """{URL path: parsed page} of every HTML page written."""
    return {
        "/" + path.relative_to(site).as_posix().removesuffix("index.html"): soup(path)
        for path in sorted(site.rglob("index.html"))
    }


def alternates(page: BeautifulSoup) -> dict[str, str]:
    return {
        link["hreflang"]: link["href"].removeprefix(SITE_URL)
        for link in page.select("head link[rel=alternate][hreflang]")
    }


@pytest.fixture(scope="module")
def pages(sample_site):
    return pages_of(sample_site)


# --- both sites, page for page ---------------------------------------------------------


def test_every_french_page_has_its_english_twin_and_the_reverse(pages):
    english = {url.removeprefix("/en") for url in pages if url.startswith("/en/")}
    french = {url for url, page in pages.items() if not url.startswith("/en/")}
    # Written for French readers only: the digest (infolettre/).
    french_only = {url for url in french if not alternates(pages[url])}
    assert french - french_only == english
    assert all(url.startswith("/infolettre/") for url in french_only), sorted(french_only)
    assert len(english) > 50
    # The staff's own pages have theirs too (content/pages/en/).
    for url in ("/accessibilite/", "/confidentialite/", "/la-campagne/", "/ajouter-"):
        assert any(page.startswith(url) for page in english), url


def test_the_404_page_has_its_english_twin(sample_site):
    french, english = soup(sample_site / "404.html"), soup(sample_site / "en/404.html")
    assert (french.html["lang"], english.html["lang"]) == ("fr", "en")
    assert english.h1.get_text(strip=True) == "Page not found"
    assert alternates(french) == alternates(english) == {"fr": "/404.html", "en": "/en/404.html"}
    assert english.select_one(".language-switch a")["href"] == "/404.html"
    # Its links lead to the English site, from any depth.
    assert english.select_one("form[role=search]")["action"] == "/en/recherche/"
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "404.html" not in sitemap


@pytest.mark.parametrize(
    ("slug", "french", "english"),
    [
        ("accessibilite", "Accessibilité", "Accessibility"),
        ("confidentialite", "Confidentialité", "Privacy"),
        ("la-campagne", "La campagne", "The campaign"),
        (
            "ajouter-ou-modifier-votre-fiche",
            "Ajouter ou modifier votre fiche",
            "Add or update your listing",
        ),
    ],
)
def test_the_staff_pages_are_in_english_on_the_english_site(sample_site, slug, french, english):
    page = soup(sample_site / f"en/{slug}/index.html")
    assert page.h1.get_text(strip=True) == english
    assert page.title.get_text().startswith(f"{english} — ")
    assert "lang" not in page.article.attrs  # the text is the page's language
    assert page.select_one(".in-other-language") is None
    # Its footer leads to the English staff pages.
    footer = {a.get_text(strip=True): a["href"] for a in page.select("footer a")}
    assert footer["Accessibility"] == "/en/accessibilite/"
    assert soup(sample_site / f"{slug}/index.html").h1.get_text(strip=True) == french


def test_french_text_quoted_on_an_english_staff_page_is_marked(sample_site):
    guide = soup(sample_site / "en/ajouter-ou-modifier-votre-fiche/index.html")
    messages = [code for code in guide.select("article code") if "coop-du-vallon.md:" in code.text]
    assert len(messages) >= 5
    assert all(code.find_parent(lang="fr") or code.get("lang") == "fr" for code in messages)


def test_the_english_home_page_shows_the_english_campaign_text(sample_site):
    english = soup(sample_site / "en/index.html").select_one(".campaign-text")
    campaign = soup(sample_site / "en/la-campagne/index.html").article
    assert "lang" not in english.attrs
    assert "pilot project" in english.get_text()
    assert english.get_text(" ", strip=True) in campaign.get_text(" ", strip=True)
    french = soup(sample_site / "index.html").select_one(".campaign-text")
    assert "lang" not in french.attrs and "projet-pilote" in french.get_text()


def test_a_staff_page_without_its_english_version_shows_the_french_text_marked(tmp_path):
    from helpers import build

    content = make_content(
        tmp_path,
        {
            "pages/tarifs.md": "Title: Tarifs\nSlug: tarifs\n\nLe service est gratuit.\n",
            "pages/en/about.md": "Title: About\nSlug: a-propos\nLang: en\n\nWritten in English.\n",
        },
    )
    output = build(content, tmp_path / "out")
    english = soup(output / "en/tarifs/index.html")
    assert english.html["lang"] == "en"
    assert english.article["lang"] == "fr"
    assert english.select_one(".in-other-language")["lang"] == "en"
    assert english.h1.get_text(strip=True) == "Tarifs"
    # An English-only page gets its French twin the same way, marked English.
    french = soup(output / "a-propos/index.html")
    assert french.article["lang"] == "en"
    assert french.select_one(".in-other-language").get_text(strip=True)
    assert alternates(french) == {"fr": "/a-propos/", "en": "/en/a-propos/"}
    # The French page with no translation keeps its own text, unmarked.
    assert "lang" not in soup(output / "tarifs/index.html").article.attrs


def test_each_page_says_its_language_and_both_twins_name_each_other(pages):
    for url, page in pages.items():
        links = alternates(page)
        if not links:
            assert page.html["lang"] == "fr", url
            continue
        language = "en" if url.startswith("/en/") else "fr"
        assert page.html["lang"] == language, url
        assert links[language] == url, url
        other = "fr" if language == "en" else "en"
        assert alternates(pages[links[other]]) == links, url


def test_the_language_switch_leads_to_the_same_page_in_the_other_language(pages):
    for url, page in pages.items():
        switch = page.select(".language-switch a")
        links = alternates(page)
        if not links:
            assert switch == []
            continue
        (link,) = switch
        assert link["href"] == links[link["hreflang"]] != url
        assert link["lang"] == link["hreflang"]
        assert link.get_text(strip=True) == {"fr": "Français", "en": "English"}[link["lang"]]


def test_the_sitemap_names_both_twins_of_each_page(sample_site, pages):
    tree = ET.parse(sample_site / "sitemap.xml")
    entries = {
        url.find("s:loc", SITEMAP_NS).text.removeprefix(SITE_URL): {
            link.get("hreflang"): link.get("href").removeprefix(SITE_URL)
            for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in tree.getroot()
    }
    assert "/en/repertoire/" in entries
    for url, page in pages.items():
        assert entries.get(url, {}) == alternates(page), url


# --- the English site in English -------------------------------------------------------


def test_english_pages_show_english_labels_and_mark_the_french_text(sample_site):
    directory = load_sample()
    vocabularies = load_vocabularies(ROOT / "content/vocabulaires.yml").in_language("en")
    untranslated = next(e for e in directory.enterprises if e.data.en is None)
    page = soup(sample_site / f"en/entreprises/{untranslated.slug}/index.html")
    assert page.select_one(".kicker").get_text(strip=True) == vocabularies.label(
        "formes_juridiques", untranslated.data.forme_juridique
    )
    assert page.select_one(".lead")["lang"] == "fr"
    assert page.select_one(".lead").get_text(strip=True) == untranslated.data.mission
    assert {item["lang"] for item in page.select(".offer-name, .offer-description")} == {"fr"}
    assert page.select_one(".in-french")  # a short note says the listing is in French
    assert "lang" not in page.h1.attrs  # a name is a name in both languages
    french = soup(sample_site / f"entreprises/{untranslated.slug}/index.html")
    assert french.select("main [lang]") == []
    assert french.select_one(".in-french") is None


def test_a_listing_with_english_text_shows_it_on_the_english_site(sample_site):
    directory = load_sample()
    translated = next(e for e in directory.enterprises if e.data.en and e.data.en.mission)
    page = soup(sample_site / f"en/entreprises/{translated.slug}/index.html")
    lead = page.select_one(".lead")
    assert lead.get_text(strip=True) == translated.data.en.mission
    assert "lang" not in lead.attrs
    names = [item.get_text(strip=True) for item in page.select(".offer-name")]
    assert names == [i.en.nom if i.en else i.nom for i in translated.data.offre]
    assert page.select_one(".in-french") is None
    french = soup(sample_site / f"entreprises/{translated.slug}/index.html")
    assert french.select_one(".lead").get_text(strip=True) == translated.data.mission


def test_english_pages_have_english_interface_and_dates(sample_site):
    page = soup(sample_site / "en/evenements/index.html")
    navigation = page.find("nav").get_text(" ", strip=True)
    assert "Directory" in navigation and "Répertoire" not in navigation
    when = page.select_one(".event-when").get_text(" ", strip=True)
    assert any(month in when for month in ("January", "February", "December", "March"))
    assert " h " not in when
    assert "a.m." in when.replace("\u202f", " ") or "p.m." in when.replace("\u202f", " ")


def test_each_language_has_its_own_search_index(sample_site):
    def languages(bundles: Path) -> set[str]:
        found = set()
        for entry in bundles.glob("*/pagefind-entry.json"):
            found |= set(json.loads(entry.read_text())["languages"])
        return found

    assert languages(sample_site / "pagefind") == {"fr"}
    assert languages(sample_site / "en/pagefind") == {"en"}
    search = soup(sample_site / "en/recherche/index.html").select_one("#recherche")
    assert search["data-bundle"].startswith("/en/pagefind/")
    assert search["data-order"].startswith("/en/pagefind/")
    french = soup(sample_site / "recherche/index.html").select_one("#recherche")
    assert french["data-bundle"].startswith("/pagefind/")


# --- formats and vocabularies ------------------------------------------------------------


def test_dates_times_and_money_are_written_as_each_language_writes_them():
    when = dt.datetime(2026, 12, 10, 8, 30)
    fr, en = filters("fr"), filters("en")
    assert fr["date_fr"](when) == "10 décembre 2026, 8 h 30"
    assert en["date_fr"](when).replace("\u202f", " ") == "December 10, 2026, 8:30 a.m."
    assert en["time"](dt.datetime(2026, 12, 10, 13, 0)).replace("\u202f", " ") == "1:00 p.m."
    assert fr["money"](25000) == "25\u00a0000\u00a0$"
    assert en["money"](25000) == "$25,000"
    assert en["money"](Decimal("12.5")) == "$12.50"
    assert en["date"](dt.date(2026, 9, 15)) == "September 15, 2026"


def test_vocabulary_labels_in_english_and_french_are_read(tmp_path):
    path = write(
        tmp_path / "vocabulaires.yml",
        (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
        + "\nextra:\n  seul:\n    fr: Seulement en français\n  court: Libellé court\n",
    )
    vocabularies = load_vocabularies(path)
    assert vocabularies.label("extra", "seul") == "Seulement en français"
    english = vocabularies.in_language("en")
    assert english.label("secteurs", "traiteur-alimentation") == "Catering and food"
    assert english.label("extra", "court") == "Libellé court"  # French where none is given
    assert vocabularies.untranslated("en") == [("extra", "seul"), ("extra", "court")]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("  seul:\n    en: Only English\n", "le libellé français manque"),
        ("  seul:\n    fr: Seul\n    de: Allein\n", "« de » n'est pas une langue des libellés"),
        ("  seul:\n    fr: Seul\n    en:\n", "seul: en: écrivez le libellé"),
        ("  seul: [Seul, Alone]\n", "sur les lignes suivantes « fr: Libellé »"),
    ],
)
def test_a_wrong_label_is_reported_in_french_at_its_line(tmp_path, entry, message):
    text = (ROOT / "content/vocabulaires.yml").read_text(encoding="utf-8")
    path = write(tmp_path / "vocabulaires.yml", text + "\nextra:\n" + entry)
    with pytest.raises(VocabularyError) as raised:
        load_vocabularies(path)
    assert message in raised.value.message
    assert raised.value.line > text.count("\n")


def test_a_site_in_french_only_writes_no_english_pages(tmp_path):
    from helpers import FIXTURES, build

    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    content = make_content(tmp_path, {"enterprises/coop-exemple.md": listing})
    output = build(content, tmp_path / "out", VITRINE_LANGUAGES=["fr"])
    assert not (output / "en").exists()
    page = soup(output / "entreprises/coop-exemple/index.html")
    assert page.select(".language-switch") == []
    assert page.select("link[hreflang]") == []


# --- events ------------------------------------------------------------------------------


def test_an_event_with_english_text_shows_it_on_the_english_site(sample_site):
    event = next(e for e in load_sample().events if e.data.en and e.data.en.description)
    page = soup(sample_site / f"en/evenements/{event.slug}/index.html")
    assert page.h1.get_text(strip=True) == event.data.en.titre
    assert "lang" not in page.h1.attrs
    assert "lang" not in page.select_one(".description").attrs
    assert "business meetings" in page.select_one(".description").get_text()
    assert page.select_one(".in-french") is None
    assert page.title.get_text().startswith(event.data.en.titre)
    # Its card on the English lists carries the English title too.
    cards = soup(sample_site / "en/evenements/index.html").select(".event-card h3 a")
    card = next(a for a in cards if a["href"].endswith(f"/{event.slug}/"))
    assert card.get_text(strip=True) == event.data.en.titre and "lang" not in card.attrs
    french = soup(sample_site / f"evenements/{event.slug}/index.html")
    assert " ".join(french.h1.get_text().split()) == event.data.titre
    assert french.select("main [lang]") == []


def test_an_event_without_english_text_marks_its_french(sample_site):
    events = load_sample().events
    title_only = next(e for e in events if e.data.en and not e.data.en.description)
    page = soup(sample_site / f"en/evenements/{title_only.slug}/index.html")
    assert page.h1.get_text(strip=True) == title_only.data.en.titre
    assert "lang" not in page.h1.attrs
    assert page.select_one(".description")["lang"] == "fr"
    assert page.select_one(".in-french")  # a short note says it is in French
    untranslated = next(e for e in events if e.data.en is None)
    page = soup(sample_site / f"en/evenements/{untranslated.slug}/index.html")
    assert page.h1["lang"] == "fr"
    assert page.select_one("nav.breadcrumb [aria-current=page]")["lang"] == "fr"
    assert page.select_one(".in-french")


# --- calendars and feed ------------------------------------------------------------------


def test_each_site_has_its_calendars_with_english_text_where_given(sample_site):
    import icalendar
    import vobject

    events = load_sample().events
    translated = next(e for e in events if e.data.en and e.data.en.description)
    untranslated = next(e for e in events if e.data.en is None)
    page = soup(sample_site / f"en/evenements/{translated.slug}/index.html")
    link = page.select_one('a[type="text/calendar"]')["href"]
    assert link == f"/en/evenements/{translated.slug}/evenement.ics"
    english = vobject.readOne((sample_site / link.lstrip("/")).read_text(encoding="utf-8"))
    french_file = sample_site / f"evenements/{translated.slug}/evenement.ics"
    french = vobject.readOne(french_file.read_text(encoding="utf-8"))
    assert english.vevent.uid.value == french.vevent.uid.value  # one event, two files
    assert english.vevent.summary.value == translated.data.en.titre
    assert english.vevent.summary.params["LANGUAGE"] == ["en"]
    assert "business meetings" in english.vevent.description.value
    assert (
        f"Details: {SITE_URL}/en/evenements/{translated.slug}/" in english.vevent.description.value
    )
    assert english.vevent.url.value == f"{SITE_URL}/en/evenements/{translated.slug}/"
    assert french.vevent.summary.value == translated.data.titre
    assert "LANGUAGE" not in french.vevent.summary.params
    assert "Détails : " in french.vevent.description.value
    other = vobject.readOne(
        (sample_site / f"en/evenements/{untranslated.slug}/evenement.ics").read_text("utf-8")
    )
    assert other.vevent.summary.value == untranslated.data.titre
    assert other.vevent.summary.params["LANGUAGE"] == ["fr"]
    assert other.vevent.description.params["LANGUAGE"] == ["fr"]
    # The subscription: its own calendar, the English page links to it.
    feed = vobject.readOne((sample_site / "en/evenements/calendrier.ics").read_text("utf-8"))
    name = icalendar.Calendar.from_ical((sample_site / "en/evenements/calendrier.ics").read_bytes())
    assert str(name["NAME"]).endswith("— Events")
    assert len(feed.vevent_list) == len(events)
    events_page = soup(sample_site / "en/evenements/index.html")
    assert events_page.select_one('link[type="text/calendar"]')["href"] == (
        "/en/evenements/calendrier.ics"
    )


def test_each_site_has_its_atom_feed_in_its_language(sample_site):
    atom = "{http://www.w3.org/2005/Atom}"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    english = ET.parse(sample_site / "en/flux/nouveautes.atom").getroot()
    french = ET.parse(sample_site / "flux/nouveautes.atom").getroot()
    assert (english.get(lang), french.get(lang)) == ("en", "fr")
    assert english.find(f"{atom}id").text == f"{SITE_URL}/en/flux/nouveautes.atom"
    by_slug = {e.slug: e for e in load_sample().enterprises}
    entries = english.findall(f"{atom}entry")
    assert len(entries) == len(french.findall(f"{atom}entry")) > 0
    for entry in entries:
        link = entry.find(f"{atom}link").get("href")
        assert link.startswith(f"{SITE_URL}/en/entreprises/")
        enterprise = by_slug[link.rstrip("/").rsplit("/", 1)[1]]
        summary = entry.find(f"{atom}summary")
        if enterprise.data.en and enterprise.data.en.mission:
            assert summary.text == enterprise.data.en.mission and summary.get(lang) is None
        else:
            assert summary.text == enterprise.data.mission and summary.get(lang) == "fr"
    home = soup(sample_site / "en/index.html")
    assert (
        home.select_one('link[type="application/atom+xml"]')["href"] == "/en/flux/nouveautes.atom"
    )
    assert "/en/" not in (sample_site / "flux/nouveautes.atom").read_text(encoding="utf-8")


# --- open data ---------------------------------------------------------------------------


def test_the_english_site_has_its_directory_files_in_english(sample_site):
    import csv
    import io

    english = json.loads((sample_site / "en/donnees/entreprises.json").read_text("utf-8"))
    french = json.loads((sample_site / "donnees/entreprises.json").read_text("utf-8"))
    assert english["source"] == f"{SITE_URL}/en/"
    assert [r["code"] for r in english["entreprises"]] == [r["code"] for r in french["entreprises"]]
    by_slug = {e.slug: e for e in load_sample().enterprises}
    for row, french_row in zip(english["entreprises"], french["entreprises"], strict=True):
        enterprise = by_slug[row["code"]]
        assert row["url"] == f"{SITE_URL}/en/entreprises/{enterprise.slug}/"
        assert list(row) == [*french_row, "langue_mission"]  # the same keys, in order
        mission = enterprise.data.en.mission if enterprise.data.en else None
        assert row["mission"] == (mission or enterprise.data.mission)
        assert row["langue_mission"] == ("en" if mission else "fr")
        assert "langue_mission" not in french_row
        for item, source in zip(row["offre"], enterprise.data.offre, strict=True):
            assert item["nom"] == (source.en.nom if source.en else source.nom)
            assert item["langue"] == ("en" if source.en else "fr")
    food = next(r for r in english["entreprises"] if "traiteur-alimentation" in str(r["secteurs"]))
    assert {"code": "traiteur-alimentation", "libelle": "Catering and food"} in food["secteurs"]
    # The spreadsheet: English headers, commas, the same rows.
    raw = (sample_site / "en/donnees/entreprises.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:3] == ["Code", "Name", "Page"] and table[0][-1] == "Mission language"
    assert [line[0] for line in table[1:]] == [r["code"] for r in english["entreprises"]]
    # Each site links its own files.
    footer = soup(sample_site / "en/repertoire/index.html").select_one("footer")
    assert footer.find("a", string="Open data (CSV)")["href"] == "/en/donnees/entreprises.csv"
    assert (
        (sample_site / "donnees/entreprises.csv")
        .read_bytes()
        .startswith("\ufeffCode;Nom;Page".encode())
    )
