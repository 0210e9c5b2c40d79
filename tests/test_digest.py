"""The digest: the right listings and events per period, e-mail that survives mail clients,
a plain-text twin, a test .eml, an Atom feed, and byte-identical output."""

from __future__ import annotations

import email
import logging
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build, make_content, write
from vitrine.outputs.digest.email import DigestTooLargeError, check_size
from vitrine.outputs.digest.issues import load_digests, read_digest
from vitrine.problems import ContentError

SITE = "https://annuaire.example"
UTM = {"utm_source": ["infolettre"], "utm_medium": ["courriel"], "utm_campaign": ["2026-12"]}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def listing(name: str, *, added=None, updated=None, offer=("Service",), territories=("sherbrooke",), logo=None) -> str:  # fmt: skip
    lines = [
        "---",
        f"nom: {name}",
        "forme_juridique: obnl",
        f"mission: Mission de {name}.",
        "secteurs: [traiteur-alimentation]",
        "offre:",
        *[f"  - nom: {item}\n    description: Description de {item}." for item in offer],
        f"territoires: [{', '.join(territories)}]",
        "adresse:\n  ville: Sherbrooke",
        "contact:\n  courriel: info@exemple.example",
    ]
    if logo:
        lines.append(f"logo: {logo}")
    if added:
        lines.append(f"date_ajout: {added}")
    if updated:
        lines.append(f"date_mise_a_jour: {updated}")
    return "\n".join([*lines, "---", f"Présentation de {name}.", ""])


def event(title: str, start: str, end: str) -> str:
    return (
        f"---\ntitre: {title}\ntype: formation\ndebut: {start}\nfin: {end}\n"
        "lieu:\n  nom: Salle\n  ville: Magog\npublic: tous\nprix: 0\n---\nDescription.\n"
    )


DECEMBER = """
---
titre: "Infolettre de décembre : test"
periode: 2026-12
preheader: Trois choses à savoir ce mois-ci.
---
Bonjour! Lisez [notre guide](/repertoire/) et [le site du réseau](https://rees.example/a?b=1).
"""

TREE = {
    "enterprises/nouvelle.md": listing("Nouvelle Coop", added="2026-12-05", logo="images/nouvelle.png"),
    "enterprises/nouvelle-webp.md": listing("Coop Vectorielle", added="2026-12-01", logo="images/vecto.webp"),
    "enterprises/fin-de-mois.md": listing("Coop Fin de mois", added="2026-12-31"),
    "enterprises/mise-a-jour.md": listing("Atelier Mis à jour", added="2025-01-01", updated="2026-12-20"),
    "enterprises/ancienne.md": listing("Ancienne Coop", added="2025-01-01", updated="2026-11-30"),
    "enterprises/future.md": listing("Future Coop", added="2027-01-02"),
    "enterprises/sans-date.md": listing("Coop Sans Date"),
    "events/avant.md": event("Événement passé", "2026-11-30 09:00", "2026-11-30 10:00"),
    "events/debut.md": event("Premier jour", "2026-12-01 08:00", "2026-12-01 09:00"),
    "events/horizon.md": event("Dernier jour annoncé", "2027-03-01 10:00", "2027-03-01 11:00"),
    "events/trop-loin.md": event("Trop loin", "2027-03-02 09:00", "2027-03-02 10:00"),
    "digests/2026-12.md": DECEMBER,
}  # fmt: skip
SETTINGS = {"VITRINE_SITE_URL": SITE + "/", "SITENAME": "Vitrine d'essai"}


def tree(root: Path, files: dict[str, str] = TREE) -> Path:
    content = make_content(root, files)
    (content / "images").mkdir(exist_ok=True)
    (content / "images/nouvelle.png").write_bytes(PNG)
    (content / "images/vecto.webp").write_bytes(b"RIFF\x1a\x00\x00\x00WEBPVP8L")
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("digest")
    return build(tree(root), root / "output", **SETTINGS)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


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
    assert names(mail, "Fiches mises à jour") == ["Atelier Mis à jour"]
    assert names(mail, "Événements à venir") == ["Premier jour", "Dernier jour annoncé"]


def test_web_page_lists_the_same_issue_and_the_archive_links_it(site):
    page = soup(site / "infolettre/2026-12/index.html")
    # Web pages get French typography (vitrine/typography.py); the e-mail is exempt.
    assert page.h1.get_text() == "Infolettre de décembre\u00a0: test"
    sections = {s.h2.get_text(): [h.get_text(strip=True) for h in s.select("h3")] for s in page.select("section")}  # fmt: skip
    assert sections["Nouvelles entreprises"] == ["Coop Fin de mois", "Coop Vectorielle", "Nouvelle Coop"]  # fmt: skip
    assert sections["Fiches mises à jour"] == ["Atelier Mis à jour"]
    assert sections["Événements à venir"] == ["Premier jour", "Dernier jour annoncé"]
    archive = soup(site / "infolettre/index.html")
    issue = archive.select_one(".digest-archive a")
    assert issue["href"] == "/infolettre/2026-12/"
    assert issue.get_text() == "Infolettre de décembre\u00a0: test"
    assert archive.select_one('a[href$="infolettre-2026-12.eml"]')


def test_an_issue_for_a_month_without_a_file_comes_from_the_period_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRINE_DIGEST_PERIOD", "2027-01")
    output = build(tree(tmp_path), tmp_path / "output", **SETTINGS)
    mail = soup(output / "infolettre/2027-01/courriel.html")
    assert mail.h1.get_text() == "Infolettre — janvier 2027"
    assert names(mail, "Nouvelles entreprises") == ["Future Coop"]
    assert (output / "infolettre/2026-12/courriel.html").is_file()  # files still built
    archive = [a.get_text() for a in soup(output / "infolettre/index.html").select(".digest-archive h3 a")]  # fmt: skip
    assert archive == ["Infolettre — janvier 2027", "Infolettre de décembre\u00a0: test"]


def test_a_malformed_period_setting_stops_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("VITRINE_DIGEST_PERIOD", "2027-13")
    with pytest.raises(ContentError) as err:
        build(tree(tmp_path, {"enterprises/a.md": listing("A")}), tmp_path / "output")
    assert str(err.value.problems[0]) == (
        "VITRINE_DIGEST_PERIOD:1: « 2027-13 » : écrivez un mois sous la forme AAAA-MM, "
        "par exemple « 2026-12 »"
    )


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


def git(repo: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00-05:00"
    subprocess.run(
        ["git", "-c", "user.name=Essai", "-c", "user.email=essai@example.org", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )


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
    assert "* Atelier Mis à jour\n  - Fiche mise à jour\n" in text


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
    assert not mail.find_all(["style", "link", "script"])  # every rule inlined
    assert mail.body["style"].startswith("margin: 0")
    assert all(t.get("role") == "presentation" for t in mail.find_all("table"))
    assert mail.select_one(".container")["style"].count("max-width: 600px") == 1
    widths = [int(w) for t in mail.find_all(width=True) if (w := t["width"]).isdigit()]
    assert max(widths) <= 600
    preheader = mail.body.find("div")
    assert "display: none" in preheader["style"]
    assert preheader.get_text().startswith("Trois choses à savoir ce mois-ci.")
    fonts = {p["style"].split("font-family:")[1].split(";")[0].strip() for p in mail.find_all("p")}
    assert fonts == {"-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"}  # fmt: skip


def test_email_images_are_png_or_jpg_with_alt_text_and_absolute(site):
    images = soup(site / "infolettre/2026-12/courriel.html").find_all("img")
    assert [(i["src"], i["alt"]) for i in images] == [
        (f"{SITE}/images/nouvelle.png", "Logo de Nouvelle Coop")
    ]  # the WebP logo is left out: Outlook and older clients show only PNG/JPG


def test_every_email_link_is_absolute_and_tracked(site):
    links = [a["href"] for a in soup(site / "infolettre/2026-12/courriel.html").find_all("a")]
    assert "*|UNSUB|*" in links
    tracked = [link for link in links if link != "*|UNSUB|*"]
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
        tree(tmp_path), tmp_path / "output", VITRINE_DIGEST_UNSUBSCRIBE="[[UNSUBSCRIBE]]"
    )
    mail = soup(output / "infolettre/2026-12/courriel.html")
    assert mail.find("a", string="Se désabonner")["href"] == "[[UNSUBSCRIBE]]"


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


# --- The feed and determinism ------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_lists_dated_listings_newest_first_with_absolute_links_and_logos(site):
    feed = ET.parse(site / "flux/nouveautes.atom").getroot()
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Future Coop",
        "Coop Fin de mois",
        "Atelier Mis à jour",
        "Nouvelle Coop",
        "Coop Vectorielle",
        "Ancienne Coop",
    ]  # undated listings (no history, no front matter) have no place in "what's new"
    nouvelle = entries[3]
    assert nouvelle.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/entreprises/nouvelle/"  # fmt: skip
    enclosure = nouvelle.find(f"{ATOM}link[@rel='enclosure']")
    assert (enclosure.get("href"), enclosure.get("type"), enclosure.get("length")) == (
        f"{SITE}/images/nouvelle.png", "image/png", str(len(PNG)),
    )  # fmt: skip
    assert nouvelle.findtext(f"{ATOM}updated") == "2026-12-05T00:00:00-05:00"
    assert feed.findtext(f"{ATOM}updated") == "2027-01-02T00:00:00-05:00"
    content = BeautifulSoup(nouvelle.findtext(f"{ATOM}content"), "html.parser")
    assert content.img["alt"] == "Logo de Nouvelle Coop"


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
