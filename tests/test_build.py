"""A real Pelican build: every valid listing becomes a page; any invalid one stops the build."""

import subprocess
import sys

import pytest
from helpers import FIXTURES, ROOT, build, make_content, soup
from vitrine.problems import ContentError


def test_every_enterprise_and_event_gets_its_page(sample_site):
    sources = sorted(p.stem for p in (ROOT / "content/enterprises").glob("*.md"))
    pages = sorted(p.parent.name for p in (sample_site / "entreprises").glob("*/index.html"))
    assert pages == sources
    events = sorted(p.stem for p in (ROOT / "content/events").glob("*.md"))
    assert (
        sorted(p.parent.name for p in (sample_site / "evenements").glob("*/index.html")) == events
    )


def test_enterprise_page_shows_the_listing(tmp_path):
    content = make_content(tmp_path, {
        "enterprises/coop-exemple.md": (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8"),
        "events/atelier.md": (FIXTURES / "valid/events/atelier.md").read_text(encoding="utf-8"),
    })  # fmt: skip
    output = build(content, tmp_path / "out")
    page = soup(output / "entreprises/coop-exemple/index.html")
    assert page.html["lang"] == "fr"
    assert page.h1.get_text() == "Coopérative Exemple"
    assert "Boîtes à lunch" in page.select_one("ul.offer").get_text()
    assert page.select_one('a[href^="tel:"]')["href"] == "tel:+18195550142;ext=12"
    assert page.select_one('a[href^="mailto:"]').get_text() == "info@exemple.example"
    assert page.find("time")  # its event is listed
    event = soup(output / "evenements/atelier/index.html")
    assert (
        event.select_one('a[href="/entreprises/coop-exemple/"]').get_text() == "Coopérative Exemple"
    )
    sector = soup(output / "secteurs/traiteur-alimentation/index.html")
    assert [a.get_text() for a in sector.select(".card h3 a")] == ["Coopérative Exemple"]


def test_directory_is_paginated_so_no_page_grows_with_the_directory(tmp_path):
    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    content = make_content(tmp_path, {f"enterprises/coop-{n:02d}.md": listing for n in range(5)})
    output = build(content, tmp_path / "out", VITRINE_PAGE_SIZE=2)
    first = soup(output / "repertoire/index.html")
    assert len(first.select(".card")) == 2
    assert first.select_one('a[rel="next"]')["href"] == "/repertoire/page/2/"
    assert len(soup(output / "repertoire/page/3/index.html").select(".card")) == 1


def test_invalid_listing_stops_the_build_and_names_the_problem(tmp_path, capsys):
    content = make_content(tmp_path, {
        "enterprises/bonne.md": (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8"),
        "enterprises/mauvaise.md": (FIXTURES / "invalid/enterprises/bad-email.md").read_text(encoding="utf-8"),
    })  # fmt: skip
    with pytest.raises(ContentError):
        build(content, tmp_path / "out")
    assert "mauvaise.md:13: contact.courriel: courriel invalide" in capsys.readouterr().err
    assert not (tmp_path / "out/entreprises").exists()


def test_pelican_command_fails_and_prints_counts(tmp_path):
    content = make_content(tmp_path, {
        "enterprises/coop-exemple.md": (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8"),
    })  # fmt: skip
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-o",
        str(tmp_path / "out"),
        "-t",
        str(ROOT / "theme"),
    ]
    ok = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "Vitrine : pages écrites pour 1 entreprise et 0 événement." in ok.stdout
    (content / "enterprises/casse.md").write_text("---\nnom: Casse\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert failed.returncode != 0
    assert "casse.md:1: l'en-tête ouvert par « --- »" in failed.stderr
    assert "1 problème dans 1 fichier : corrigez-les puis relancez." in failed.stderr
    assert "Traceback" not in failed.stderr


def test_parallel_build_writes_the_same_bytes_as_a_serial_build(tmp_path):
    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    files = {f"enterprises/coop-{n:02d}.md": listing for n in range(12)}
    content = make_content(tmp_path, files)
    serial = build(content, tmp_path / "serial", VITRINE_WORKERS=1)
    parallel = build(content, tmp_path / "parallel", VITRINE_WORKERS=2)
    pagefind = "pagefind"  # Pagefind's own files are not byte-stable (see test_reproducible)

    def tree(root):
        return {
            p.relative_to(root): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and pagefind not in p.relative_to(root).parts
        }

    serial_files, parallel_files = tree(serial), tree(parallel)
    assert len(serial_files) > 30
    assert serial_files == parallel_files


def test_parallel_reading_gives_the_same_directory_and_problems(tmp_path, vocabularies):
    from vitrine.content.load import load_directory
    from vitrine.settings import Layout
    from vitrine.settings import read as read_vitrine_settings

    listing = (FIXTURES / "valid/enterprises/coop-exemple.md").read_text(encoding="utf-8")
    bad = (FIXTURES / "invalid/enterprises/bad-email.md").read_text(encoding="utf-8")
    files = {f"enterprises/coop-{n:02d}.md": listing for n in range(8)}
    files["enterprises/mauvaise.md"] = bad
    content = make_content(tmp_path, files)
    layout = Layout(content / "enterprises", content / "events", content)
    when = read_vitrine_settings({"VITRINE_BUILD_DATE": "2026-11-27"}).build_time()
    one, one_problems = load_directory(layout, vocabularies, when, workers=1)
    two, two_problems = load_directory(layout, vocabularies, when, workers=2)
    assert [e.slug for e in one.enterprises] == [e.slug for e in two.enterprises]
    assert [e.data for e in one.enterprises] == [e.data for e in two.enterprises]
    assert one_problems == two_problems and len(one_problems) == 1


def test_every_page_names_itself_as_canonical_with_an_absolute_url(sample_site):
    site_url = "https://repertoire.economiesociale-estrie.example/"
    for path in ["index.html", "entreprises/coop-octet-libre/index.html",
                 "ajouter-ou-modifier-votre-fiche/index.html", "repertoire/index.html"]:  # fmt: skip
        canonical = soup(sample_site / path).find("link", rel="canonical")["href"]
        assert canonical == site_url + path.removesuffix("index.html")


def test_a_paragraph_in_english_carries_its_language_and_nothing_else():
    from vitrine.content.markup import render_markdown

    html = render_markdown('Texte.\n\nService in English.\n{: lang="en" onclick="x()" id="a" }\n')
    assert html == '<p>Texte.</p>\n<p lang="en">Service in English.</p>'


def test_sample_listings_mark_their_english_paragraphs(sample_site):
    page = soup(sample_site / "entreprises/coop-la-grange-des-cantons/index.html")
    assert page.find("p", lang="en").get_text().startswith("The Grange welcomes")


class _Cycle:
    pass


def test_garbage_a_build_hid_from_the_collector_is_freed_by_the_next_build(tmp_path):
    """A build freezes what is alive (generator._long_lived); the next one thaws it."""
    import gc
    import weakref

    garbage = _Cycle()
    garbage.itself = garbage  # only the cyclic collector can free it
    freed = weakref.ref(garbage)
    try:
        build(ROOT / "content", tmp_path / "one")
        del garbage
        gc.collect()
        assert freed() is not None  # frozen: out of the collector's sight
        build(ROOT / "content", tmp_path / "two")
        assert freed() is None
    finally:
        gc.unfreeze()
