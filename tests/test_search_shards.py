"""The search index in shards (outputs/search/shards.py): how pages are dealt,
named in a glob, indexed by Pagefind, reused by the next build, and sorted.

The unit tests run on lists of page paths; the rest run real Pagefind over a
few small pages, or real builds of the sample content.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import ROOT, assert_same_site, build_themed, edit
from vitrine.outputs.search import shards as search_shards
from vitrine.outputs.search.shards import (
    GLOB_MAX_CHARS,
    ShardError,
    ShardIndex,
    _bundle,
    data_files,
    deal,
    glob,
    index_shard,
    membership,
    orders,
    shard_count,
)

PAGE = '<html lang="fr"><body><main data-pagefind-body><h1>{}</h1><p>Traiteur.</p></main>'


def listing_pages(count: int) -> list[str]:
    return [f"entreprises/cooperative-{n:04}/index.html" for n in range(count)]


def write_pages(output: Path, pages: list[str]) -> None:
    for page in pages:
        (output / page).parent.mkdir(parents=True, exist_ok=True)
        (output / page).write_text(PAGE.format(page), encoding="utf-8")


# --- dealing pages into shards ---------------------------------------------------


def test_every_page_lands_in_exactly_one_shard_in_address_order():
    pages = listing_pages(100)
    shards = deal(list(reversed(pages)), 7)
    assert len(shards) == 7
    assert sorted(page for shard in shards for page in shard) == sorted(pages)
    assert all(shard == sorted(shard) for shard in shards)
    assert all(shards), "100 pages in 7 shards: none should be empty"


def test_a_page_keeps_its_shard_when_other_pages_come_and_go():
    """What lets a rebuild index again only the shards whose pages changed."""
    pages = listing_pages(60)
    where = {page: n for n, shard in enumerate(deal(pages, 5)) for page in shard}
    fewer = [p for p in pages if not p.endswith("7/index.html")]
    more = [*fewer, "entreprises/nouvelle/index.html", "evenements/atelier/index.html"]
    for changed in (fewer, more):
        for n, shard in enumerate(deal(changed, 5)):
            assert all(where[page] == n for page in shard if page in where)


def test_dealing_does_not_depend_on_the_python_process():
    """A stable hash (not Python's salted hash()): the next build deals the same way."""
    pages = listing_pages(40)
    script = (
        "import json, sys; from vitrine.outputs.search.shards import deal; "
        "print(json.dumps(deal(json.loads(sys.argv[1]), 6)))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-c", script, json.dumps(pages)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(run.stdout) == deal(pages, 6)


def test_one_shard_holds_everything():
    pages = listing_pages(5)
    assert deal(pages, 1) == [sorted(pages)]


@pytest.mark.parametrize(
    ("pages", "per_shard", "expected"),
    [
        (0, 2000, 1),
        (1, 2000, 1),
        (16, 8, 2),
        (17, 8, 3),
        (2000, 2000, 1),
        (2001, 2000, 2),
        (5, 0, 5),
    ],
)
def test_shard_count_by_pages(pages, per_shard, expected):
    assert shard_count(listing_pages(pages), per_shard) == expected


def test_shards_counted_for_long_names_each_fit_in_one_glob():
    """Counted with a margin, since hashing deals pages unevenly: no shard's glob is refused."""
    # At this size, shards counted without the margin would give one a glob too long.
    pages = [f"entreprises/{'cooperative-' * 12}{n:05}/index.html" for n in range(10_500)]
    count = shard_count(pages, 100_000)
    assert count >= 2
    for shard in deal(pages, count):
        assert len(glob(shard)) <= GLOB_MAX_CHARS


def test_membership_names_exactly_a_shards_pages():
    pages = listing_pages(3)
    assert membership(pages) == membership(list(pages))
    assert len(membership(pages)) == 64
    others = [pages[:2], [*pages, "evenements/a/index.html"], [*pages[:2], pages[2] + "x"]]
    assert len({membership(pages), *(membership(p) for p in others)}) == 4


# --- one glob per shard ----------------------------------------------------------


def test_each_shard_names_its_pages_in_one_glob_pagefind_takes(tmp_path):
    assert glob(
        ["entreprises/a/index.html", "evenements/b/index.html", "entreprises/c,d/index.html"]
    ) == ("{entreprises/{a,c\\,d}/index.html,evenements/{b}/index.html}")

    # Long names (70 characters), as many as one glob may name: Pagefind indexes them all.
    slugs = [f"cooperative-de-solidarite-{'x' * 38}-{n:05}" for n in range(2_200)]
    pages = [f"entreprises/{slug}/index.html" for slug in slugs]
    fits = pages[: GLOB_MAX_CHARS // 71 - 1]
    assert GLOB_MAX_CHARS - 200 < len(glob(fits)) <= GLOB_MAX_CHARS
    for page in fits:
        (tmp_path / "site" / page).parent.mkdir(parents=True)
        (tmp_path / "site" / page).write_text(
            '<html lang="fr"><body><main data-pagefind-body><p>Traiteur.</p></main>', "utf-8"
        )
    shard = index_shard(tmp_path / "site", fits, tmp_path / "lot", tmp_path / "tmp", [])
    assert shard.records == len(shard.ids) == len(fits)

    # One more is refused with the setting to lower, and shards are counted to avoid it.
    with pytest.raises(ShardError, match="VITRINE_SEARCH_SHARD_PAGES"):
        glob(pages)
    assert shard_count(pages, 10_000) >= 2
    assert shard_count(pages, 100) == 22


def test_a_glob_escapes_what_globs_would_read_as_patterns():
    pages = [
        "entreprises/a{b}/index.html",
        "entreprises/c*d?/index.html",
        "entreprises/e[f]/index.html",
    ]
    assert glob(pages) == ("{entreprises/{a\\{b\\},c\\*d\\?,e\\[f\\]}/index.html}")
    assert glob(["index.html", "404.html"]) == "{index.html,404.html}"


def test_the_glob_indexes_the_named_pages_and_no_other(tmp_path):
    """Names with a comma or braces, beside pages left out: Pagefind takes only those named."""
    site = tmp_path / "site"
    named = [
        "entreprises/coop-a/index.html",
        "entreprises/a,b/index.html",
        "evenements/{x}/index.html",
    ]
    left_out = ["entreprises/coop-b/index.html", "entreprises/a/index.html", "index.html"]
    write_pages(site, named + left_out)
    shard = index_shard(site, named, tmp_path / "lot", tmp_path / "tmp", [])
    assert shard.records == 3
    assert set(shard.ids) == set(named)
    assert shard.pages == membership(named)


# --- a shard's bundle, kept from one build to the next ------------------------------


def test_indexing_over_the_last_bundle_keeps_only_the_files_it_now_names(tmp_path):
    site, bundle, scratch = tmp_path / "site", tmp_path / "lot", tmp_path / "tmp"
    pages = listing_pages(4)
    write_pages(site, pages)
    first = index_shard(site, pages, bundle, scratch, [])
    before = data_files(bundle)
    second = index_shard(site, pages[:3], bundle, scratch, [])  # one page left the shard
    assert second.records == 3 and set(second.ids) == set(pages[:3])
    assert data_files(bundle) == _bundle(bundle).files  # nothing stale left behind
    assert len(data_files(bundle)) < len(before)
    assert {first.ids[p] for p in pages[:3]} == set(second.ids.values())  # same fragments


def test_an_unreadable_last_bundle_is_indexed_from_nothing(tmp_path):
    site, bundle = tmp_path / "site", tmp_path / "lot"
    pages = listing_pages(2)
    write_pages(site, pages)
    index_shard(site, pages, bundle, tmp_path / "tmp", [])
    (bundle / "pagefind-entry.json").write_text("{ pas du JSON", encoding="utf-8")
    (bundle / "fragment/orphelin_1234567.pf_fragment").write_bytes(b"vieux")
    shard = index_shard(site, pages, bundle, tmp_path / "tmp", [])
    assert shard.records == 2 and set(shard.ids) == set(pages)
    assert not (bundle / "fragment/orphelin_1234567.pf_fragment").exists()


def test_a_shard_index_survives_the_build_record():
    shard = ShardIndex(membership(["a/index.html"]), 1, {"a/index.html": "fr_0123abc"})
    assert ShardIndex.from_json(json.loads(json.dumps(shard.as_json()))) == shard


# --- sort orders: each page by its shard and its id -------------------------------


def test_sort_orders_name_each_page_by_shard_and_id_and_leave_out_the_unindexed():
    shards = [
        ShardIndex(
            "m0", 2, {"entreprises/b/index.html": "fr_b0", "evenements/x/index.html": "fr_x0"}
        ),
        ShardIndex("m1", 1, {"entreprises/a/index.html": "fr_a1"}),
    ]
    sorted_pages = {
        "nom": ["entreprises/a/index.html", "entreprises/b/index.html", "evenements/x/index.html"],
        "maj": [
            "entreprises/b/index.html",
            "entreprises/absente/index.html",
            "entreprises/a/index.html",
        ],
    }
    assert orders(shards, sorted_pages) == {
        "nom": ["1/fr_a1", "0/fr_b0", "0/fr_x0"],
        "maj": ["0/fr_b0", "1/fr_a1"],
    }
    assert orders([], sorted_pages) == {"nom": [], "maj": []}


# --- real builds of the sample content, in shards of 8 pages ----------------------


def test_a_rebuild_indexes_again_only_the_search_shard_of_the_changed_listing(workspace):
    content, theme, root = workspace
    shards = {"VITRINE_SEARCH_SHARD_PAGES": 8}
    site = build_themed(content, theme, root / "site", **shards)
    bundles = {p: p.stat().st_mtime_ns for p in site.glob("pagefind/*/pagefind-entry.json")}
    assert len(bundles) >= 4
    # A listing that no event names: only its own page changes.
    edit(
        content / "enterprises/coop-octet-libre.md",
        "mission: Fournir",
        "mission: Depuis 2015, fournir",
    )
    build_themed(content, theme, site, **shards)
    indexed_again = [p for p, stamp in bundles.items() if p.stat().st_mtime_ns != stamp]
    assert len(indexed_again) == 1
    assert_same_site(site, build_themed(content, theme, root / "clean", **shards))


@pytest.mark.parametrize("run", ["last", "this"])
def test_a_search_shard_with_lengthened_names_is_indexed_from_nothing(workspace, monkeypatch, run):
    """Pagefind lengthens a file name when two hashes collide: such a name may
    hold another content next time, and Pagefind would keep the old file."""
    content, theme, root = workspace
    shards = {"VITRINE_SEARCH_SHARD_PAGES": 8}
    site = build_themed(content, theme, root / "site", **shards)
    edit(
        content / "enterprises/coop-octet-libre.md",
        "mission: Fournir",
        "mission: Depuis 2015, fournir",
    )
    read, real = [], search_shards._bundle

    def lengthened(bundle):  # in the last run's metadata, or in this run's
        # Counted per folder: both languages' shards are indexed at once, and each
        # language has a bundle « 0 ».
        read.append(bundle)
        found = real(bundle)
        nth = read.count(bundle)
        return replace(found, lengthened=True) if nth == (1 if run == "last" else 2) else found

    monkeypatch.setattr(search_shards, "_bundle", lengthened)
    fresh = search_shards.shutil.rmtree
    removed = []
    monkeypatch.setattr(
        search_shards.shutil, "rmtree", lambda path, **kw: (removed.append(path), fresh(path, **kw))
    )
    build_themed(content, theme, site, **shards)
    assert read and any(Path(path).parent.name == "pagefind" for path in removed)
    assert_same_site(site, build_themed(content, theme, root / "clean", **shards))


def test_a_fresh_bundle_names_every_file_it_holds(workspace):
    """What pruning keeps is what Pagefind's metadata names: all of a fresh bundle."""
    content, theme, root = workspace
    site = build_themed(content, theme, root / "site", VITRINE_SEARCH_SHARD_PAGES=8)
    bundles = sorted(site.glob("pagefind/[0-9]*"))
    assert len(bundles) >= 4
    for bundle in bundles:
        read = _bundle(bundle)
        assert data_files(bundle) == read.files
        assert not read.lengthened
