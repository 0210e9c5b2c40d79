"""French typography (OQLF): one pass over every rendered page's text (vitrine/typography.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment
from helpers import build, make_content
from vitrine.typography import NBSP, french_html, french_text

VERBATIM = ("script", "style", "code", "pre", "textarea", "kbd", "samp")

TRICKY = {
    "enterprises/coop-typo.md": """
        ---
        nom: Coop « Typo » de l'Estrie
        forme_juridique: obnl
        mission: "Nos services : traiteur, réemploi ; et plus encore !"
        secteurs: [traiteur-alimentation]
        offre:
          - nom: Boîtes à lunch
            description: "Livrées chaudes ? Oui : en 48 heures !"
        territoires: [sherbrooke]
        adresse:
          ville: Sherbrooke
        contact:
          courriel: info@typo.example
          site_web: https://typo.example
        ---
        Écrivez-nous : info@typo.example ou voyez https://typo.example/?a=1&b=2 ; merci !

        Le slogan «L'économie sociale, j'achète ! » nous plaît. Note: voir le guide.

        Commande en ligne : `python -m x : y ?` et

            code : inchangé ?

        [Notre site : https://typo.example](https://typo.example/page?x=1)
    """,
}


def test_french_text_spaces_the_quebec_way():
    assert french_text("Téléphone : 819") == f"Téléphone{NBSP}: 819"
    assert french_text("«bonjour»") == f"«{NBSP}bonjour{NBSP}»"
    assert french_text("« bonjour »") == f"«{NBSP}bonjour{NBSP}»"
    assert french_text("Vraiment ? Oui ! Et ; non") == "Vraiment? Oui! Et; non"
    assert french_text("Note: voir") == f"Note{NBSP}: voir"
    assert french_text(f"déjà{NBSP}: bon") == f"déjà{NBSP}: bon"
    assert french_text("j&#39;achète !") == "j&#39;achète!"  # entities stay whole
    assert french_text("x&nbsp;: y") == f"x{NBSP}: y"


def test_french_text_leaves_addresses_times_and_smileys_alone():
    for text in (
        "https://exemple.ca/?a=1&b=2#x:y",
        "mailto:info@exemple.ca?subject=Allo%20!",
        "info@exemple.ca",
        "www.exemple.ca/page?x",
        "8:30",
        "ratio 1:2",
    ):
        assert french_text(text) == text
    assert french_text("Voir https://x.ca/a?b ; merci") == "Voir https://x.ca/a?b; merci"


def test_french_html_touches_text_only():
    html = (
        '<p title="a : b ?">Courriel : <a href="mailto:a@b.ca?x=1 !">a@b.ca</a></p>'
        "<pre>a : b ?</pre><code>c ?</code><script>x ? y : z</script>"
        "<!-- note : ici ? --><p>fin ?</p>"
    )
    assert french_html(html) == html.replace("Courriel :", f"Courriel{NBSP}:").replace(
        "fin ?", "fin?"
    )


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("typo")
    return build(make_content(root, TRICKY), root / "output", VITRINE_WORKERS=1)


def page_text(path: Path) -> list[str]:
    """The text nodes of a page (not markup, not code)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    texts = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment) or node.find_parent(VERBATIM):
            continue
        texts.append(str(node))
    return texts


def wrong_spaces(text: str) -> list[str]:
    """Ordinary spaces before « : ; ! ? » or inside « », with their surroundings."""
    bad = re.finditer(r".{0,15}(?:[ \t\n]+[:;!?»]|«[ \t\n]).{0,15}", text, re.S)
    return [match.group() for match in bad]


def test_every_page_of_the_sample_site_follows_french_typography(sample_site):
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    problems = {}
    for path in pages:
        if path.name == "courriel.html":  # the e-mail is exempt (typography.py)
            continue
        if path.relative_to(sample_site).parts[0] == "en":  # the English site: none of it
            continue
        wrong = [w for text in page_text(path) for w in wrong_spaces(text)]
        if wrong:
            problems[str(path.relative_to(sample_site))] = wrong[:3]
    assert problems == {}


def test_contributors_markdown_is_fixed_but_urls_emails_and_code_are_not(tricky_site):
    page = tricky_site / "entreprises/coop-typo/index.html"
    html = page.read_text(encoding="utf-8")
    text = "".join(page_text(page))
    assert wrong_spaces(text) == []
    assert f"Écrivez-nous{NBSP}: info@typo.example" in text
    assert "https://typo.example/?a=1&b=2; merci!" in text
    assert f"«{NBSP}L'économie sociale, j'achète!{NBSP}»" in text
    assert f"Note{NBSP}: voir" in text
    assert f"Nos services{NBSP}: traiteur, réemploi; et plus encore!" in text
    assert f"Notre site{NBSP}: https://typo.example" in text
    # Markup and code exactly as written.
    assert 'href="https://typo.example/page?x=1"' in html
    assert 'href="mailto:info@typo.example"' in html
    assert "<code>python -m x : y ?</code>" in html
    assert "code : inchangé ?" in html
    # The JSON-LD and the page's meta description keep the contributor's text.
    assert "réemploi ; et plus encore !" in html


def test_the_english_ui_gets_no_french_spacing(tmp_path):
    output = build(
        make_content(tmp_path, TRICKY), tmp_path / "output", DEFAULT_LANG="en", VITRINE_WORKERS=1
    )
    text = "".join(page_text(output / "entreprises/coop-typo/index.html"))
    assert NBSP + ":" not in text
    assert "Écrivez-nous : info@typo.example" in text
