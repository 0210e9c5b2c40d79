"""The search index in shards: several Pagefind bundles, merged in the browser.

One Pagefind run over a province (11,800 pages) needs about 3 GiB and 15 s,
and Pagefind cannot update an index. So pages are dealt into shards by a stable
hash of their address; each shard is a bundle of its own (``pagefind/<n>/``),
indexed by its own run over the output folder, limited to its pages by a glob. A run needs a
fraction of the memory, and a rebuild re-indexes only the shards whose pages
were rewritten or removed, over their last bundle (see index_shard).
search.js merges the bundles (Pagefind's ``mergeIndex``), which sums facet counts and ranks by relevance across them
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
DATA_NAME = re.compile(r"[a-z-]+_[0-9a-f]{7,}")  # language, then the content's hash
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
    files the new index no longer names are then removed.

    A name is the first 7 hex digits of the content's hash, lengthened only when
    two files of one run share them; the same name may then hold another
    content in the next run, and Pagefind would keep the old file. So a bundle
    with a lengthened name, from either run, or from another Pagefind version, or
    that can't be read, is indexed again from nothing.
    """
    try:
        last = _bundle(bundle) if bundle.is_dir() else None
    except (OSError, ValueError) as err:
        logger.info("vitrine: lot %s indexé à nouveau : %r", bundle.name, err)
        last = None
    if last is None:
        shutil.rmtree(bundle, ignore_errors=True)
    records, sorts = _run_pagefind(output, pages, bundle, scratch, pagefind_args)
    if last is not None:
        try:
            now = _bundle(bundle)
            if now.version != last.version or now.lengthened or last.lengthened:
                raise ValueError("noms allongés ou autre version de Pagefind")
        except (OSError, ValueError) as err:
            logger.info("vitrine: lot %s indexé à nouveau : %r", bundle.name, err)
            shutil.rmtree(bundle)
            return index_shard(output, pages, bundle, scratch, pagefind_args)
        for name in data_files(bundle) - now.files:
            (bundle / name).unlink()
    return ShardIndex(membership(pages), records, _pagefind_order(sorts))


def _run_pagefind(
    output: Path, pages: list[str], bundle: Path, scratch: Path, pagefind_args: list[str]
) -> tuple[int, dict[str, list[str]]]:
    """One Pagefind run; the records it indexed, and the pages' sort values read meanwhile."""
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
    return int(counted.group(1)), sorts


@dataclass
class _Bundle:
    """What a bundle's metadata says: Pagefind's version and the files it names."""

    version: str
    files: set[str]
    lengthened: bool  # some data file's name is longer than 7 hex digits


def data_files(bundle: Path) -> set[str]:
    """The bundle's files that a run may leave unused: metadata, data and WebAssembly."""
    found = [*bundle.glob("pagefind.*.pf_meta"), *bundle.glob("*/*.pf_*")]
    found += bundle.glob("wasm.*.pagefind")
    return {path.relative_to(bundle).as_posix() for path in found}


def _bundle(bundle: Path) -> _Bundle:
    """Read pagefind-entry.json and each language's metadata file.

    The metadata (gzip, then Pagefind's signature, then CBOR) lists the pages'
    fragments, the word index chunks and the filter files, each by hash.
    """
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    files = {"wasm.unknown.pagefind"}
    hashes = []
    for language in entry["languages"].values():
        meta = f"pagefind.{language['hash']}.pf_meta"
        raw = gzip.decompress((bundle / meta).read_bytes())
        if not raw.startswith(PAGEFIND_SIGNATURE):
            raise ValueError(f"{meta} : signature inattendue")
        version, pages, chunks, filters, *_ = cbor2.loads(raw[len(PAGEFIND_SIGNATURE) :])
        if version != entry["version"]:
            raise ValueError(f"{meta} : version {version!r}")
        files.add(meta)
        if language.get("wasm"):
            files.add(f"wasm.{language['wasm']}.pagefind")
        for folder, names in (
            ("fragment", [page[0] for page in pages]),
            ("index", [chunk[2] for chunk in chunks]),
            ("filter", [facet[1] for facet in filters]),
        ):
            hashes += names
            files.update(f"{folder}/{name}.pf_{folder}" for name in names)
    if not all(isinstance(name, str) and DATA_NAME.fullmatch(name) for name in hashes):
        raise ValueError("noms de fichiers inattendus dans les métadonnées")
    return _Bundle(entry["version"], files, any(len(name.split("_")[-1]) > 7 for name in hashes))


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
