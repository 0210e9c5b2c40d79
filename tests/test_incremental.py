"""Incremental rebuilds: the same site as a clean build, for less work.

Each scenario builds a copy of the sample content, changes something the way a
contributor or the staff would, rebuilds into the same folder (keeping the
output and the cache), then builds the changed content from nothing into
another folder. The two sites must be the same, file for file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import BUILD_DATE, assert_same_site, build_themed, edit


def _mission(content: Path, theme: Path) -> None:
    edit(
        content / "enterprises/verdir-haute-yamaska.md",
        "mission: Verdir les terrains",
        "mission: Verdir et ombrager les terrains",
    )


def _capacity(content: Path, theme: Path) -> None:
    # Shown on the page, in a part the search index ignores.
    edit(
        content / "enterprises/verdir-haute-yamaska.md",
        "capacite: Quatre équipes",
        "capacite: Cinq équipes",
    )


def _phone(content: Path, theme: Path) -> None:
    # Not searched, but search results show it (Pagefind metadata).
    edit(content / "enterprises/verdir-haute-yamaska.md", "450 555-0164", "450 555-0199")


def _rename(content: Path, theme: Path) -> None:
    # Moves the listing in every alphabetical list, and renames it on its events.
    edit(content / "enterprises/verdir-haute-yamaska.md", "nom: Verdir", "nom: Aaa Verdir")


def _remove(content: Path, theme: Path) -> None:
    (content / "enterprises/coop-octet-libre.md").unlink()


def _add(content: Path, theme: Path) -> None:
    text = (content / "enterprises/coop-octet-libre.md").read_text(encoding="utf-8")
    new = content / "enterprises/coop-octet-libre-deux.md"
    new.write_text(text.replace("nom: ", "nom: Deuxième ", 1), encoding="utf-8")


def _vocabulary(content: Path, theme: Path) -> None:
    vocabularies = content / "vocabulaires.yml"
    text = vocabularies.read_text(encoding="utf-8")
    assert "Sherbrooke" in text
    vocabularies.write_text(text.replace("Sherbrooke", "Ville de Sherbrooke", 1), encoding="utf-8")


def _template(content: Path, theme: Path) -> None:
    edit(theme / "templates/_macros.html", '<li class="card">', '<li class="card carte">')


SCENARIOS = {
    "mission": _mission,
    "capacity": _capacity,
    "phone": _phone,
    "rename": _rename,
    "remove": _remove,
    "add": _add,
    "vocabulary": _vocabulary,
    "template": _template,
}


@pytest.mark.parametrize("change", SCENARIOS)
def test_a_rebuild_after_a_change_equals_a_clean_build(workspace, change, capsys):
    content, theme, root = workspace
    kept = build_themed(content, theme, root / "kept")
    SCENARIOS[change](content, theme)
    capsys.readouterr()
    build_themed(content, theme, kept)
    assert "inchangée" in capsys.readouterr().out or change in ("vocabulary", "template")
    clean = build_themed(content, theme, root / "clean")
    assert_same_site(kept, clean)


def test_a_later_build_date_moves_events_to_the_archive_as_a_clean_build_does(workspace):
    content, theme, root = workspace
    kept = build_themed(content, theme, root / "kept")
    later = "2027-12-31 12:00"
    assert later > BUILD_DATE
    build_themed(content, theme, kept, VITRINE_BUILD_DATE=later)
    assert_same_site(kept, build_themed(content, theme, root / "clean", VITRINE_BUILD_DATE=later))


def test_only_the_changed_listing_and_the_lists_showing_it_are_rewritten(workspace, capsys):
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    _mission(content, theme)
    capsys.readouterr()
    build_themed(content, theme, site)
    out = capsys.readouterr().out
    rewritten = {
        p.relative_to(site).as_posix() for p, t in pages.items() if p.stat().st_mtime_ns != t
    }
    assert "entreprises/verdir-haute-yamaska/index.html" in rewritten
    assert "repertoire/index.html" in rewritten  # its card shows the mission
    assert "entreprises/coop-octet-libre/index.html" not in rewritten  # doesn't show it
    assert len(rewritten) < len(pages) / 2
    assert "pages inchangées depuis la dernière construction" in out


def _rewritten(site: Path, before: dict[Path, int]) -> set[str]:
    return {p.relative_to(site).as_posix() for p, t in before.items() if p.stat().st_mtime_ns != t}


def test_an_edit_no_card_shows_leaves_the_lists_alone(workspace):
    """The directory and browse pages show listings as cards, which hold no capacity."""
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    pages = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    _capacity(content, theme)
    build_themed(content, theme, site)
    rewritten = _rewritten(site, pages)
    assert "entreprises/verdir-haute-yamaska/index.html" in rewritten
    assert "en/entreprises/verdir-haute-yamaska/index.html" in rewritten
    lists = ("repertoire/", "secteurs/", "territoires/", "certifications/", "faits-declares/")
    assert not {page for page in rewritten if page.startswith(lists)}, rewritten
    # Nor the home page's counts and events, nor the events' list.
    assert not {"index.html", "en/index.html", "evenements/index.html"} & rewritten
    assert_same_site(site, build_themed(content, theme, root / "clean"))


@pytest.mark.parametrize(
    "shown",
    [
        # Beside the card, in the loop: the list shows the capacity.
        (
            '{{ fragment("enterprise_card", e) }}',
            '{{ fragment("enterprise_card", e) }}{{ e.data.capacite }}',
        ),
        # The whole list handed to something else than a card.
        ('<ul class="cards">', "{{ entries | map(attribute='data.capacite') | join }}<ul>"),
    ],
    ids=["field-beside-the-card", "list-read-whole"],
)
def test_a_list_showing_more_than_cards_is_rewritten_when_that_changes(workspace, shown):
    content, theme, root = workspace
    edit(theme / "templates/directory.html", *shown)
    site = build_themed(content, theme, root / "site")
    _capacity(content, theme)
    build_themed(content, theme, site)
    assert "Cinq équipes" in (site / "repertoire/index.html").read_text(encoding="utf-8")
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def _bundles(site: Path) -> dict[str, int]:
    return {
        p.relative_to(site).as_posix(): p.stat().st_mtime_ns
        for folder in ("pagefind", "en/pagefind")
        for p in (site / folder).rglob("*")
        if p.is_file() and p.parent.name != "pagefind"  # not the sort orders and word lists
    }


def test_an_edit_the_search_does_not_read_leaves_the_index_alone(workspace):
    """Pagefind runs again only when a rewritten page's search record changed."""
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    bundles = _bundles(site)
    _capacity(content, theme)
    build_themed(content, theme, site)
    assert "Cinq équipes" in (site / "entreprises/verdir-haute-yamaska/index.html").read_text(
        encoding="utf-8"
    )
    assert _bundles(site) == bundles  # not one bundle file written again
    _phone(content, theme)
    build_themed(content, theme, site)
    assert _bundles(site) != bundles  # the metadata results show changed: indexed again
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def test_a_removed_listing_leaves_no_page_and_no_search_record(workspace):
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    page = site / "entreprises/coop-octet-libre/index.html"
    assert page.is_file()
    _remove(content, theme)
    build_themed(content, theme, site)  # the audit would fail on a page left behind
    assert not page.exists() and not page.parent.exists()
    assert "coop-octet-libre" not in (site / "donnees/entreprises.json").read_text(encoding="utf-8")


def test_turned_off_every_page_is_rendered_again(workspace, capsys):
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site", VITRINE_INCREMENTAL=False)
    capsys.readouterr()
    build_themed(content, theme, site, VITRINE_INCREMENTAL=False)
    assert "inchangée" not in capsys.readouterr().out
    assert not (root / "site-cache/vitrine/jinja").exists()


def test_compiled_templates_are_kept_and_builds_from_them_equal_a_clean_build(workspace):
    content, theme, root = workspace
    cache = root / "shared-cache"
    build_themed(content, theme, root / "first", CACHE_PATH=str(cache))
    compiled = list((cache / "vitrine/jinja").rglob("*.cache"))
    assert len(compiled) > 10  # one file per template
    assert len(list((cache / "vitrine").glob("gabarits-*.pickle"))) == 1
    stamps = {path: path.stat().st_mtime_ns for path in compiled}
    warm = build_themed(content, theme, root / "warm", CACHE_PATH=str(cache))
    assert {path: path.stat().st_mtime_ns for path in compiled} == stamps  # read, not rewritten
    clean = build_themed(content, theme, root / "clean")
    assert_same_site(warm, clean)
    for path in compiled:  # damaged files are compiled again, never trusted
        path.write_bytes(b"pas du code")
    for path in (cache / "vitrine").glob("gabarits-*.pickle"):
        path.write_bytes(b"pas un enregistrement")
    assert_same_site(build_themed(content, theme, root / "first", CACHE_PATH=str(cache)), clean)


def test_a_damaged_build_record_means_a_full_build_not_a_failure(workspace, capsys):
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    for record in (root / "site-cache/vitrine").glob("sortie-*.pickle"):
        record.write_bytes(b"pas un enregistrement")
    capsys.readouterr()
    build_themed(content, theme, site)
    assert "inchangée" not in capsys.readouterr().out
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def test_a_rebuild_on_two_workers_equals_a_clean_build(workspace):
    content, theme, root = workspace
    workers = {"VITRINE_WORKERS": 2}
    site = build_themed(content, theme, root / "site", **workers)
    assert len(list((root / "site-cache/vitrine").glob("fragments-*.pickle"))) == 1
    _rename(content, theme)
    build_themed(content, theme, site, **workers)
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def test_a_build_that_fails_half_way_is_not_trusted_by_the_next(workspace, monkeypatch):
    """Pages rewritten by a failed build: a reverted edit must not leave them published."""
    from vitrine.build import generator

    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    listing = content / "enterprises/verdir-haute-yamaska.md"
    before = listing.read_text(encoding="utf-8")
    _mission(content, theme)

    def fail(site):
        raise RuntimeError("arrêt en cours de construction")

    with monkeypatch.context() as patched:
        patched.setattr(generator, "OUTPUTS", (fail,))
        with pytest.raises(RuntimeError):
            build_themed(content, theme, site)
    assert "ombrager" in (site / "entreprises/verdir-haute-yamaska/index.html").read_text("utf-8")
    listing.write_text(before, encoding="utf-8")  # the contributor reverts the edit
    build_themed(content, theme, site)
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def test_a_build_with_incremental_builds_off_leaves_nothing_to_trust(workspace):
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    listing = content / "enterprises/verdir-haute-yamaska.md"
    before = listing.read_text(encoding="utf-8")
    _mission(content, theme)
    build_themed(content, theme, site, VITRINE_INCREMENTAL=False)
    listing.write_text(before, encoding="utf-8")
    build_themed(content, theme, site)
    assert_same_site(site, build_themed(content, theme, root / "clean"))


def test_a_removed_logo_leaves_the_site(workspace):
    content, theme, root = workspace
    (content / "images").mkdir()
    logo = content / "images/logo-test.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")  # Pelican copies static files as they are
    site = build_themed(content, theme, root / "site")
    assert (site / "images/logo-test.png").is_file()
    logo.unlink()
    build_themed(content, theme, site)
    assert not (site / "images/logo-test.png").exists()


def test_the_edited_listing_pages_are_written_and_reported_first(workspace, monkeypatch):
    """What the preview (make devserver) relies on: build/progress.py's two reports."""
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site")
    read, write = os.pipe()
    monkeypatch.setenv("VITRINE_PROGRESS_FD", str(write))
    _capacity(content, theme)
    build_themed(content, theme, site)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as pipe:
        reports = [json.loads(line) for line in pipe]
    assert [report["etape"] for report in reports] == ["fiches", "fin"]
    # The listing's page and its events' pages (they show it), in both languages: no other.
    events = [
        f"evenements/{path.stem}/index.html"
        for path in (content / "events").glob("*.md")
        if "verdir-haute-yamaska" in path.read_text(encoding="utf-8")
    ]
    shown = ["entreprises/verdir-haute-yamaska/index.html", *events]
    assert events and reports[0]["fichiers"] == sorted(shown + [f"en/{path}" for path in shown])
    assert set(reports[0]["fichiers"]) < set(reports[1]["fichiers"])  # then everything written
