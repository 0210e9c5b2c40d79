"""The digest: the right listings and events per period, e-mail that survives mail clients,
a plain-text twin, a test .eml, and byte-identical output (the Atom feed: test_feeds.py)."""

from __future__ import annotations

import email
import logging
import re
import xml.etree.ElementTree as ET
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from helpers import (
    ATOM,
    DECEMBER,
    ROOT,
    build,
    git,
    listing,
    make_content,
    soup,
    validated_feed,
    write,
)
from helpers import DIGEST_SETTINGS as SETTINGS
from helpers import DIGEST_SITE as SITE
from helpers import digest_tree as tree
from vitrine.outputs.digest.email import DigestTooLargeError, check_size
from vitrine.outputs.digest.issues import load_digests, read_digest
from vitrine.problems import ContentError

UTM = {"utm_source": ["infolettre"], "utm_medium": ["courriel"], "utm_campaign": ["2026-12"]}


@pytest.fixture
def site(digest_site) -> Path:
    """The period built once for the session (conftest.digest_site)."""
    return digest_site


def names(page: BeautifulSoup, heading: str) -> list[str]:
    """Names listed under a section heading of the e-mail (until the next section)."""
    found, inside = [], False
    for element in page.select(".section-title, .item-name"):
        if "section-title" in element.get("class", []):
            inside = element.get_text(strip=True) == heading
        elif inside:
            found.append(element.get_text(strip=True))
    return found


# --- What lands in a period --------------------------------------------------


def test_period_holds_the_joined_the_updated_and_the_coming_events_and_nothing_else(site):
    mail = soup(site / "infolettre/2026-12/courriel.html")
    assert names(mail, "Nouvelles entreprises") == [
        "Coop Fin de mois",
        "Coop Vectorielle",
        "Nouvelle Coop",
    ]
    assert names(mail, "Fiche mise à jour") == ["Atelier Mis à jour"]  # one: singular
    assert names(mail, "Événements à venir") == ["Premier jour", "Dernier jour annoncé"]


def test_web_page_lists_the_same_issue_and_the_archive_links_it(site):
    page = soup(site / "infolettre/2026-12/index.html")
    # Web pages get French typography (vitrine/typography.py); the e-mail is exempt.
    assert page.h1.get_text() == "Infolettre de décembre\u00a0: test"
    sections = {s.h2.get_text(): [h.get_text(strip=True) for h in s.select("h3")] for s in page.select("section")}  # fmt: skip
    assert sections["Nouvelles entreprises"] == ["Coop Fin de mois", "Coop Vectorielle", "Nouvelle Coop"]  # fmt: skip
    assert sections["Fiche mise à jour"] == ["Atelier Mis à jour"]
    assert sections["Événements à venir"] == ["Premier jour", "Dernier jour annoncé"]
    archive = soup(site / "infolettre/index.html")
    issue = archive.select_one(".digest-archive a")
    assert issue["href"] == "/infolettre/2026-12/"
    assert issue.get_text() == "Infolettre de décembre\u00a0: test"


def test_the_public_archive_shows_readers_links_only(site):
    archive = soup(site / "infolettre/index.html")
    hrefs = [a["href"] for a in archive.select("main a, .digest-archive a")]
    assert not [h for h in hrefs if h.endswith((".eml", "courriel.html", "courriel.txt"))]
    assert "Pour l'envoi" not in archive.get_text()


def start_issue(content: Path, period: str, capsys) -> str:
    """``make digest PERIOD=…``'s first step, as staff run it; returns what it printed."""
    from vitrine.__main__ import main

    assert main(["--settings", str(ROOT / "pelicanconf.py"), "digest", period, "--content", str(content)]) == 0  # fmt: skip
    return capsys.readouterr().out


def test_make_digest_writes_a_file_so_every_later_build_keeps_the_issue(tmp_path, capsys):
    content = tree(tmp_path)
    said = start_issue(content, "2027-01", capsys)
    written = content / "digests/2027-01.md"
    assert "écrit" in said and written.is_file()
    output = build(content, tmp_path / "output", **SETTINGS)  # make digest's build
    build(content, tmp_path / "output", **SETTINGS)  # a later make html
    mail = soup(output / "infolettre/2027-01/courriel.html")
    assert mail.h1.get_text() == "Infolettre — janvier 2027"
    assert names(mail, "Nouvelle entreprise") == ["Future Coop"]
    for name in ("index.html", "courriel.html", "courriel.txt", "infolettre-2027-01.eml"):
        assert (output / "infolettre/2027-01" / name).is_file(), name
    archive = [a.get_text() for a in soup(output / "infolettre/index.html").select(".digest-archive h3 a")]  # fmt: skip
    assert archive == ["Infolettre — janvier 2027", "Infolettre de décembre\u00a0: test"]
    # Staff edit the intro; running the command again says so and changes nothing.
    edited = written.read_text(encoding="utf-8") + "\nÀ bientôt!\n"
    written.write_text(edited, encoding="utf-8")
    said = start_issue(content, "2027-01", capsys)
    assert "existe déjà" in said and "rien n'a changé" in said
    assert written.read_text(encoding="utf-8") == edited


def test_a_malformed_period_is_refused_and_writes_nothing(tmp_path, capsys):
    from vitrine.__main__ import main

    content = tree(tmp_path, {"enterprises/a.md": listing("A")})
    code = main(["--settings", str(ROOT / "pelicanconf.py"), "digest", "2027-13", "--content", str(content)])  # fmt: skip
    assert code == 2
    assert "écrivez un mois sous la forme AAAA-MM" in capsys.readouterr().err
    assert not (content / "digests").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitre: T\nperiode: 2026-12\ncouleur: verte\n---\n",
            "digests/2026-12.md:4: couleur: champ inconnu « couleur » : champs possibles : "
            "titre, periode, du, au, preheader",
        ),
        (
            "---\ntitre: T\nperiode: décembre\n---\n",
            "digests/2026-12.md:3: periode: période invalide : écrivez un mois sous la forme "
            "AAAA-MM, par exemple « 2026-12 »",
        ),
        (
            "---\ntitre: T\n---\n",
            "digests/2026-12.md:1: periode: période manquante : ajoutez « periode: 2026-12 » "
            "(un mois) ou les deux lignes « du: 2026-12-01 » et « au: 2026-12-31 »",
        ),
        (
            "---\ntitre: T\ndu: 2026-12-10\nau: 2026-12-01\n---\n",
            "digests/2026-12.md:4: au: la période finit (2026-12-01) avant de commencer "
            "(2026-12-10) : vérifiez « au »",
        ),
        (
            "---\ntitre: T\ndu: 2026-12-10\n---\n",
            "digests/2026-12.md:2: periode: « du » et « au » vont ensemble : ajoutez "
            "« au: AAAA-MM-JJ »",
        ),
        (
            "---\nperiode: 2026-12\n---\n",
            "digests/2026-12.md:1: titre: champ obligatoire manquant : ajoutez une ligne "
            "« titre: … »",
        ),
    ],
)
def test_digest_file_problems_name_the_line_and_field_in_french(tmp_path, text, expected):
    path = write(tmp_path / "digests/2026-12.md", text)
    digest, problems = read_digest(path)
    assert digest is None
    assert [str(p).replace(f"{tmp_path}/", "") for p in problems] == [expected]


def test_a_digest_with_its_own_dates_covers_exactly_them(tmp_path):
    path = write(tmp_path / "special.md", "---\ntitre: T\ndu: 2026-12-03\nau: 2026-12-17\n---\nIntro.\n")  # fmt: skip
    digest, problems = read_digest(path)
    assert problems == []
    assert (digest.code, str(digest.start), str(digest.end)) == ("special", "2026-12-03", "2026-12-17")  # fmt: skip
    assert digest.intro_html == "<p>Intro.</p>"


def test_an_invalid_digest_file_stops_the_build(tmp_path, capsys):
    files = {"enterprises/a.md": listing("A"), "digests/2026-12.md": "---\ntitre: T\n---\n"}
    with pytest.raises(ContentError):
        build(tree(tmp_path, files), tmp_path / "output")
    assert "2026-12.md:1: periode: période manquante" in capsys.readouterr().err


# --- History: dates and "what changed" from git ------------------------------


def test_history_gives_new_and_updated_and_says_what_changed(tmp_path):
    content = make_content(tmp_path, {"digests/2026-12.md": DECEMBER})
    git(tmp_path, "init", "-q", "-b", "main")
    listings = content / "enterprises"

    def commit(day: str, files: dict[str, str]) -> None:
        for slug, text in files.items():
            (listings / f"{slug}.md").write_text(text, encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", day, day=day)

    commit(
        "2026-10-05",
        {
        "grandit": listing("Coop Grandit", offer=["Repas"]),
        "plus-tard": listing("Coop Plus Tard"),
        "deux-fois": listing("Coop Deux Fois"),
        "retouche": listing("Coop Retouche"),
        },
    )  # fmt: skip
    commit(
        "2026-12-10",
        {
        "grandit": listing("Coop Grandit", offer=["Repas", "Boîtes à lunch"], territories=["sherbrooke", "coaticook"]),
        "deux-fois": listing("Coop Deux Fois", offer=["Service", "Location de salle"]),
        "retouche": listing("Coop Retouche").replace("Présentation de", "Nouvelle présentation de"),
        "arrivee": listing("Coop Arrivée"),
        },
    )  # fmt: skip
    commit(
        "2027-01-15",
        {
        "plus-tard": listing("Coop Plus Tard", offer=["Service", "Autre"]),
        "deux-fois": listing("Coop Deux Fois", offer=["Service", "Location de salle", "Traiteur"]),
        },
    )  # fmt: skip
    output = build(content, tmp_path / "output", **SETTINGS)
    page = soup(output / "infolettre/2026-12/index.html")
    new, updated = (
        [h.get_text(strip=True) for h in page.select(f"#{section} + .cards h3")]
        for section in ("nouvelles", "mises-a-jour")
    )
    assert new == ["Coop Arrivée"]
    # Changed in December, even if changed again since: a past issue stays as it was sent.
    assert updated == ["Coop Deux Fois", "Coop Grandit", "Coop Retouche"]
    changes = {
        card.h3.get_text(strip=True): [li.get_text() for li in card.select("ul li")]
        for card in page.select("#mises-a-jour + .cards > li")
    }
    assert changes == {
        "Coop Deux Fois": ["Nouveau dans l'offre\u00a0: Location de salle"],
        "Coop Grandit": [
            "Nouveau dans l'offre\u00a0: Boîtes à lunch",
            "Dessert maintenant\u00a0: Coaticook",
        ],
        "Coop Retouche": ["Présentation mise à jour"],
    }
    text = (output / "infolettre/2026-12/courriel.txt").read_text(encoding="utf-8")
    assert "  - Nouveau dans l'offre : Boîtes à lunch\n" in text


def test_front_matter_update_without_history_says_only_that_the_listing_changed(site):
    text = (site / "infolettre/2026-12/courriel.txt").read_text(encoding="utf-8")
    assert "* Atelier Mis à jour\n  - Informations mises à jour\n" in text


# --- The e-mail --------------------------------------------------------------


def test_eml_holds_the_text_and_the_html_part(site):
    folder = site / "infolettre/2026-12"
    message = email.message_from_bytes(
        (folder / "infolettre-2026-12.eml").read_bytes(), policy=policy.default
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
    assert text == (folder / "courriel.txt").read_text(encoding="utf-8")
    assert html == (folder / "courriel.html").read_text(encoding="utf-8")
    assert message["Subject"] == "Infolettre de décembre : test"
    assert message["Date"] == "Fri, 27 Nov 2026 12:00:00 -0500"
    assert message["Message-ID"] == "<infolettre-2026-12@annuaire.example>"
    assert message["From"].addresses[0].addr_spec == "infolettre@annuaire.example"


def test_email_html_is_built_for_mail_clients(site):
    mail = soup(site / "infolettre/2026-12/courriel.html")
    assert mail.html["lang"] == "fr"
    assert not mail.find_all(["link", "script"])
    # Every rule the layout needs is inlined; what stays in <head> is dark mode only.
    for style in mail.find_all("style"):
        assert style.parent.name == "head"
        assert "prefers-color-scheme: dark" in style.string or "[data-ogsc]" in style.string
    assert mail.body["style"].startswith("margin: 0")
    assert all(t.get("role") == "presentation" for t in mail.find_all("table"))
    assert mail.select_one(".container")["style"].count("max-width: 600px") == 1
    assert mail.select_one(".column")["width"] == "600"  # where max-width is ignored
    widths = [int(w) for t in mail.find_all(width=True) if (w := t["width"]).isdigit()]
    assert max(widths) <= 600
    preheader = mail.body.find("div")
    assert "display: none" in preheader["style"]
    assert preheader.get_text().startswith("Trois choses à savoir ce mois-ci.")
    fonts = {p["style"].split("font-family:")[1].split(";")[0].strip() for p in mail.find_all("p")}
    assert fonts == {"'Segoe UI', Roboto, Helvetica, Arial, sans-serif"}  # Outlook knows the first


def test_email_is_ready_for_outlook_on_windows_and_dark_mode(site):
    raw = (site / "infolettre/2026-12/courriel.html").read_text(encoding="utf-8")
    mail = soup(site / "infolettre/2026-12/courriel.html")
    # 96 dpi as Outlook's unit: at 120 dpi the 600 px table scales with the text.
    assert "<o:PixelsPerInch>96</o:PixelsPerInch>" in raw and "<!--[if mso]>" in raw
    assert 'xmlns:o="urn:schemas-microsoft-com:office:office"' in raw
    for element in mail.find_all(style=re.compile(r"line-height:\s*\d+px")):
        assert "mso-line-height-rule: exactly" in element["style"], element.name
    for heading in mail.find_all(["h1", "h2", "h3"]):  # Outlook ignores padding on headings
        assert "padding" not in heading.get("style", "")
    assert mail.find("meta", attrs={"name": "color-scheme"})["content"] == "light dark"
    assert mail.find("meta", attrs={"name": "supported-color-schemes"})["content"] == "light dark"


def test_email_images_are_png_or_jpg_with_alt_text_and_absolute(site):
    images = soup(site / "infolettre/2026-12/courriel.html").find_all("img")
    assert [(i["src"], i["alt"]) for i in images] == [
        (f"{SITE}/theme/images/infolettre-logo.png", "REES-Estrie (exemple)"),
        (f"{SITE}/images/nouvelle.png", "Logo de Nouvelle Coop"),
    ]  # the WebP logo is left out: Outlook and older clients show only PNG/JPG
    logo = images[0]
    assert (logo["width"], logo["height"]) == ("200", "48")
    png = (ROOT / "theme/static/images/infolettre-logo.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20]), int.from_bytes(png[20:24])) == (400, 96)  # 2x, sharp
    assert (site / "theme/images/infolettre-logo.png").is_file()


def test_every_email_link_is_absolute_and_tracked(site):
    links = [a["href"] for a in soup(site / "infolettre/2026-12/courriel.html").find_all("a")]
    assert "*|UNSUB|*" in links
    contact = "mailto:infolettre@economiesociale-estrie.example"  # the sender's (CASL)
    assert contact in links
    tracked = [link for link in links if link not in ("*|UNSUB|*", contact)]
    assert f"{SITE}/repertoire/?utm_source=infolettre&utm_medium=courriel&utm_campaign=2026-12" in tracked  # fmt: skip
    assert "https://rees.example/a?b=1&utm_source=infolettre&utm_medium=courriel&utm_campaign=2026-12" in tracked  # fmt: skip
    for link in tracked:
        parts = urlsplit(link)
        assert parts.scheme == "https" and parts.netloc, link
        assert {k: v for k, v in parse_qs(parts.query).items() if k.startswith("utm_")} == UTM
    text = (site / "infolettre/2026-12/courriel.txt").read_text(encoding="utf-8")
    text_links = re.findall(r"https?://[^\s)]+", text)
    assert len(text_links) == len(tracked)
    assert all(parse_qs(urlsplit(u).query)["utm_campaign"] == ["2026-12"] for u in text_links)  # fmt: skip
    assert "notre guide (https://annuaire.example/repertoire/?utm_source=" in " ".join(text.split())
    assert "Se désabonner : *|UNSUB|*" in text


def test_unsubscribe_slot_follows_the_setting(tmp_path):
    output = build(
        tree(tmp_path),
        tmp_path / "output",
        VITRINE_DIGEST_UNSUBSCRIBE="https://rees.example/desabo",
    )
    mail = soup(output / "infolettre/2026-12/courriel.html")
    assert mail.find("a", string="Se désabonner")["href"] == "https://rees.example/desabo"


def test_size_guard_warns_then_stops_the_build(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        build(tree(tmp_path), tmp_path / "warn", VITRINE_DIGEST_WARN_BYTES=1000)
    assert any("Gmail le coupe" in r.getMessage() for r in caplog.records)
    with pytest.raises(DigestTooLargeError, match="plus que la limite de 1 Ko"):
        build(tree(tmp_path), tmp_path / "fail", VITRINE_DIGEST_MAX_BYTES=1024)


def test_size_guard_thresholds(caplog):
    with caplog.at_level(logging.WARNING):
        assert check_size("é" * 100, "x", warn_bytes=200, max_bytes=300) == 200
    assert not caplog.records
    with caplog.at_level(logging.WARNING):
        check_size("é" * 101, "x", warn_bytes=200, max_bytes=300)
    assert "x : le courriel fait" in caplog.records[0].getMessage()
    with pytest.raises(DigestTooLargeError):
        check_size("é" * 151, "x", warn_bytes=200, max_bytes=300)


# --- Determinism ------------------------------------------------------------


def test_same_content_and_period_give_byte_identical_files(site, tmp_path):
    again = build(tree(tmp_path), tmp_path / "output", **SETTINGS)
    produced = sorted(
        p.relative_to(site)
        for folder in ("infolettre", "flux")
        for p in (site / folder).rglob("*")
        if p.is_file()
    )
    assert len(produced) == 6
    for relative in produced:
        assert (again / relative).read_bytes() == (site / relative).read_bytes(), relative


def test_shipped_digest_files_are_valid():
    digests, problems = load_digests(ROOT / "content" / "digests")
    assert problems == []
    assert "2026-11" in [d.code for d in digests]


def test_plain_text_intro_drops_markdown_emphasis_but_keeps_arithmetic():
    from vitrine.outputs.digest.email import text_links

    text = text_links("Le **10\ndécembre**, *ceci* et 3 * 4 * 5.", lambda u: f"{SITE}/{u}", "c")
    assert text == "Le 10 décembre, ceci et 3 * 4 * 5."


# --- What the issue says about itself ------------------------------------------


@pytest.mark.parametrize("new", [0, 1, 3])
@pytest.mark.parametrize("updated", [0, 1, 2])
@pytest.mark.parametrize("events", [0, 1, 4])
def test_the_summary_says_what_the_issue_holds_in_french_for_each_count(new, updated, events):
    import gettext

    from vitrine.outputs.digest.content import DigestContent, summary

    content = DigestContent(["e"] * new, ["u"] * updated, ["v"] * events)
    text = summary(content, gettext.gettext, gettext.ngettext)
    if not (new or updated or events):
        assert text.startswith("Rien de nouveau pendant cette période\u00a0: aucune entreprise")
        return
    assert text.startswith("Dans ce numéro\u00a0: ")
    assert " :" not in text and " 0 " not in text and "0 " not in text.split(":")[1][:3]
    said = {
        "new": {0: None, 1: "une nouvelle entreprise", 3: "3 nouvelles entreprises"}[new],
        "updated": {0: None, 1: "une fiche mise à jour", 2: "2 fiches mises à jour"}[updated],
        "events": {0: None, 1: "un événement à venir", 4: "4 événements à venir"}[events],
    }
    listed = [words for words in said.values() if words]
    expected = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " et " + listed[-1]
    assert text.startswith(f"Dans ce numéro\u00a0: {expected}.")
    missing = [key for key, words in said.items() if not words]
    assert ("Aucune nouvelle entreprise" in text) == ("new" in missing)
    assert ("fiche mise à jour pendant" in text) == ("updated" in missing)
    assert ("aucun événement" in text.lower()) == ("events" in missing)


def test_an_issue_with_nothing_new_says_so_plainly(tmp_path):
    quiet = {
        "enterprises/a.md": listing("Ancienne", added="2025-01-01"),
        "digests/2026-06.md": '---\ntitre: "Juin"\nperiode: 2026-06\n---\nBonjour.\n',
    }
    output = build(tree(tmp_path, quiet), tmp_path / "output", **SETTINGS)
    mail = soup(output / "infolettre/2026-06/courriel.html")
    assert mail.select(".section-title") == []
    summary = mail.select_one(".summary").get_text()
    assert summary.startswith("Rien de nouveau pendant cette période")
    assert "Voici les entreprises qui se sont jointes" not in mail.get_text()
    text = (output / "infolettre/2026-06/courriel.txt").read_text(encoding="utf-8")
    assert "Rien de nouveau pendant cette période" in text
    assert mail.select_one(".preheader").get_text().startswith("Rien de nouveau")


# --- Imports are not news ----------------------------------------------------------


def test_a_bulk_import_announces_nothing_and_is_named_in_the_build(tmp_path, capsys):
    content = make_content(tmp_path, {"digests/2026-12.md": DECEMBER})
    git(tmp_path, "init", "-q", "-b", "main")
    listings = content / "enterprises"

    def commit(day: str, files: dict[str, str], time: str = "12:00:00") -> None:
        for slug, text in files.items():
            (listings / f"{slug}.md").write_text(text, encoding="utf-8")
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", day, day=f"{day}T{time}")

    commit("2026-10-05", {"ancienne": listing("Coop Ancienne")})
    imported = {f"import-{n}": listing(f"Coop Importée {n}") for n in range(4)}
    commit("2026-12-03", {**imported, "ancienne": listing("Coop Ancienne", offer=["Autre"])})
    commit("2026-12-10", {"vraie": listing("Coop Vraiment Nouvelle")}, "09:15:00")
    commit("2026-12-12", {"import-2": listing("Coop Importée 2", offer=["Service", "Repas"])}, "16:40:07")  # fmt: skip
    capsys.readouterr()
    output = build(content, tmp_path / "output", VITRINE_DIGEST_IMPORT_THRESHOLD=3, **SETTINGS)
    said = capsys.readouterr().err
    mail = soup(output / "infolettre/2026-12/courriel.html")
    assert names(mail, "Nouvelle entreprise") == ["Coop Vraiment Nouvelle"]
    # The import's own change to an old listing is not news; a later edit is.
    assert names(mail, "Fiche mise à jour") == ["Coop Importée 2"]
    changes = [p.get_text() for p in mail.find("a", string="Coop Importée 2").find_parent("td").select("p")]  # fmt: skip
    assert "• Nouveau dans l'offre : Repas" in changes
    assert "ajoute ou modifie 5 fichiers (plus de 3, VITRINE_DIGEST_IMPORT_THRESHOLD)" in said
    assert "import en bloc, non annoncé" in said
    # The feed agrees: real commit times, imports left out.
    feed = ET.parse(output / "flux/nouveautes.atom").getroot()
    entries = {
        e.findtext(f"{ATOM}title"): (e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}updated"))
        for e in feed.findall(f"{ATOM}entry")
    }
    assert entries == {
        "Coop Importée 2": ("2026-12-12T16:40:07-05:00", "2026-12-12T16:40:07-05:00"),
        "Coop Vraiment Nouvelle": ("2026-12-10T09:15:00-05:00", "2026-12-10T09:15:00-05:00"),
        "Coop Ancienne": ("2026-10-05T13:00:00-04:00", "2026-10-05T13:00:00-04:00"),
    }
    assert validated_feed(output)


# --- Sender and mailing tool (CASL) ---------------------------------------------


def test_no_email_without_the_senders_identification(tmp_path):
    from vitrine.outputs.digest.email import DigestSenderError

    with pytest.raises(DigestSenderError) as err:
        build(tree(tmp_path), tmp_path / "output", VITRINE_DIGEST_POSTAL_ADDRESS=" ", **SETTINGS)
    message = str(err.value)
    assert "Loi canadienne anti-pourriel" in message
    assert "VITRINE_DIGEST_POSTAL_ADDRESS : son adresse postale" in message
    assert "VITRINE_DIGEST_SENDER_NAME" not in message  # only what is missing
    assert not (tmp_path / "output/infolettre/2026-12/courriel.html").exists()


def test_the_footer_identifies_the_sender(site):
    footer = soup(site / "infolettre/2026-12/courriel.html").select_one(".footer .sender")
    lines = [line.strip() for line in footer.get_text("\n").split("\n") if line.strip()]
    assert lines == [
        "REES-Estrie (exemple)",
        "123, rue Exemple, bureau 100, Sherbrooke (Québec)  J1H 0A0",
        "infolettre@economiesociale-estrie.example",
    ]
    text = (site / "infolettre/2026-12/courriel.txt").read_text(encoding="utf-8")
    assert "REES-Estrie (exemple)\n123, rue Exemple" in text


TAGS = {"mailchimp": "*|UNSUB|*", "brevo": "{{ unsubscribe }}", "cyberimpact": None}


@pytest.mark.parametrize("tool", ["mailchimp", "cyberimpact", "brevo", "eml"])
def test_each_mailing_tool_gets_its_own_unsubscribe(tmp_path, tool):
    output = build(tree(tmp_path), tmp_path / "output", VITRINE_DIGEST_TOOL=tool, **SETTINGS)
    folder = output / "infolettre/2026-12"
    mail = soup(folder / "courriel.html")
    html = (folder / "courriel.html").read_text(encoding="utf-8")
    text = (folder / "courriel.txt").read_text(encoding="utf-8")
    link = mail.find("a", string="Se désabonner")
    message = email.message_from_bytes((folder / "infolettre-2026-12.eml").read_bytes(), policy=policy.default)  # fmt: skip
    if tool == "eml":
        expected = "mailto:infolettre@annuaire.example?subject=D%C3%A9sabonnement"
        assert link["href"] == expected
        assert message["List-Unsubscribe"].strip() == f"<{expected}>"
    elif TAGS[tool] is None:  # Cyberimpact adds its own link to every mailing
        assert link is None and "Se désabonner" not in text
    else:
        assert link["href"] == TAGS[tool]
        assert f"Se désabonner : {TAGS[tool]}" in text
    for other, tag in TAGS.items():
        if other != tool and tag:
            assert tag not in html and tag not in text, other


def test_an_unknown_mailing_tool_is_refused_in_french(tmp_path):
    from vitrine.settings import SettingsError, read

    with pytest.raises(SettingsError) as err:
        read({"VITRINE_DIGEST_TOOL": "outlook"})
    assert (
        "VITRINE_DIGEST_TOOL : valeur invalide : « outlook » : écrivez l'une de mailchimp, cyberimpact, brevo, eml"
        in str(err.value)
    )
