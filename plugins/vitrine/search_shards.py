"""The search index in shards: several Pagefind bundles, merged in the browser.

One Pagefind run over a province (11,800 pages) needs about 3 GiB and 15 s,
and Pagefind cannot update an index. So pages are dealt into shards by a stable
hash of their address; each shard is a bundle of its own (``pagefind/<n>/``),
indexed by its own run over the output folder, limited to its pages by a glob. A run needs a
fraction of the memory, and a rebuild re-indexes only the shards whose pages
were rewritten or removed, over their last bundle (see index_shard). search.js merges the bundles (Pagefind's
``mergeIndex``), which sums facet counts and ranks by relevance across them
(each bundle scores with its own word statistics: close enough at this size).

Pagefind sorts within a bundle only: a sorted result's score is its position
in its own bundle's order. So the build also writes ``pagefind/rangs.json``:
for each sort key and shard, the global rank of each position. search.js asks
each shard for its results (a synthetic ``lot`` filter names the shard) and
merges them by those ranks. Pagefind orders sort values as strings, by code
point, when they are not all numbers, as ours (name keys, ISO dates) are not.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import cbor2

logger = logging.getLogger(__name__)

RANKS_FILE = "rangs.json"
GLOB_SPECIAL = re.compile(r"[\\{}\[\]*?,]")
PAGEFIND_SIGNATURE = b"pagefind_dcd"  # opens every decompressed .pf_* file
SORT_VALUE = re.compile(r'data-pagefind-sort="([\w-]+)"[^>]*>([^<]*)<')


class ShardError(RuntimeError):
    """A Pagefind run failed; its output says why."""


def shard_count(pages: int, pages_per_shard: int) -> int:
    return max(1, math.ceil(pages / max(1, pages_per_shard)))


def deal(paths: list[str], count: int) -> list[list[str]]:
    """Pages into ``count`` shards, by a hash of their address: a page stays in its shard."""
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in sorted(paths):
        shards[zlib.crc32(path.encode("utf-8")) % count].append(path)
    return shards


def membership(paths: list[str]) -> str:
    return hashlib.sha256("\n".join(paths).encode("utf-8")).hexdigest()


@dataclass
class ShardIndex:
    """What a shard's Pagefind run produced, kept for the builds that reuse it."""

    pages: str  # membership() of its pages
    records: int
    sorts: dict[str, list[str]]  # sort key → its values, in Pagefind's order

    def as_json(self) -> dict:
        return {"pages": self.pages, "records": self.records, "sorts": self.sorts}

    @classmethod
    def from_json(cls, data: dict) -> ShardIndex:
        return cls(str(data["pages"]), int(data["records"]), dict(data["sorts"]))


def index_shard(
    output: Path, pages: list[str], bundle: Path, scratch: Path, pagefind_args: list[str]
) -> ShardIndex:
    """Index ``pages`` (paths under ``output``) into the bundle folder ``bundle``.

    The list of pages goes to Pagefind as one glob in a configuration file: a
    command line would be too long at 2,000 pages. A page missing from the
    output is not indexed, which the build audit reports.

    The last build's bundle is indexed over, in place: Pagefind names its data
    files by their content and does not write (nor compress) a file that is
    already there, which halves a shard's time when one listing changed. The
    files the new index no longer names are then removed. A bundle that can't be
    read that way is indexed again from nothing.
    """
    over_last_build = bundle.is_dir()
    scratch.mkdir(parents=True, exist_ok=True)
    glob = "{" + ",".join(GLOB_SPECIAL.sub(r"\\\g<0>", page) for page in pages) + "}"
    config = {"site": str(output), "glob": glob, "output_path": str(bundle)}
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", *pagefind_args]
        run = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        sorts = _sort_values(output, pages)  # while Pagefind reads the same pages
        stdout, stderr = run.communicate()
    counted = re.search(r"Indexed (\d+) pages?", stdout)
    if run.returncode != 0 or counted is None:
        raise ShardError(stderr or stdout)
    try:
        if over_last_build:
            _remove_unreferenced(bundle)
    except Exception as err:  # not a bundle as Pagefind 1.5 writes them
        logger.info("vitrine: lot %s indexé à nouveau : %r", bundle.name, err)
        shutil.rmtree(bundle)
        return index_shard(output, pages, bundle, scratch, pagefind_args)
    return ShardIndex(membership(pages), int(counted.group(1)), _pagefind_order(sorts))


def _remove_unreferenced(bundle: Path) -> None:
    """Remove the data files of earlier runs that the bundle's metadata no longer names.

    pagefind-entry.json names each language's metadata file; that file (gzip,
    then Pagefind's signature, then CBOR) lists the pages' fragments, the word
    index chunks and the filter files, each by hash.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    named = set()
    for language in entry["languages"].values():
        meta = f"pagefind.{language['hash']}.pf_meta"
        raw = gzip.decompress((bundle / meta).read_bytes())
        if not raw.startswith(PAGEFIND_SIGNATURE):
            raise ValueError(f"{meta} : signature inattendue")
        _version, pages, chunks, filters, *_ = cbor2.loads(raw[len(PAGEFIND_SIGNATURE) :])
        named.add(meta)
        named.update(f"fragment/{page[0]}.pf_fragment" for page in pages)
        named.update(f"index/{chunk[2]}.pf_index" for chunk in chunks)
        named.update(f"filter/{facet[1]}.pf_filter" for facet in filters)
    data = [*bundle.glob("pagefind.*.pf_meta"), *bundle.glob("*/*.pf_*")]
    for path in data:
        if path.relative_to(bundle).as_posix() not in named:
            path.unlink()


def _sort_values(output: Path, pages: list[str]) -> dict[str, list[str]]:
    """Each sort key's values, as the pages declare them to Pagefind."""
    sorts: dict[str, list[str]] = {}
    for page in pages:
        try:
            text = (output / page).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        for key, value in SORT_VALUE.findall(text):
            if value.strip():  # Pagefind leaves a page with an empty value out of that sort
                sorts.setdefault(key, []).append(value.strip())
    return sorts


def _pagefind_order(sorts: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each key's values as Pagefind orders them: numerically if all are numbers."""
    ordered = {}
    for key, values in sorts.items():
        try:
            ordered[key] = sorted(values, key=float)
        except ValueError:
            ordered[key] = sorted(values)
    return ordered


def ranks(shards: list[ShardIndex]) -> dict[str, list[list[int]]]:
    """For each sort key and shard, the global rank of the value at each position.

    Equal values share a rank: which of two equal names comes first is free.
    """
    keys = sorted({key for shard in shards for key in shard.sorts})
    table = {}
    for key in keys:
        values = sorted({v for shard in shards for v in shard.sorts.get(key, [])})
        rank = {value: number for number, value in enumerate(values)}
        table[key] = [[rank[v] for v in shard.sorts.get(key, [])] for shard in shards]
    return table


def ranks_json(shards: list[ShardIndex]) -> str:
    return json.dumps(ranks(shards), separators=(",", ":"))
