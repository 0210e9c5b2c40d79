"""The search index in shards: several Pagefind bundles, merged in the browser.

One Pagefind run over a province (11,800 pages) needs about 3 GiB and 15 s,
and Pagefind cannot update an index. So pages are dealt into shards by a stable
hash of their address; each shard is a bundle of its own (``pagefind/<n>/``),
indexed by its own run over the output folder, limited to its pages by a glob. A run needs a
fraction of the memory, and a rebuild re-indexes only the shards whose pages
were rewritten or removed. search.js merges the bundles (Pagefind's
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

import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

RANKS_FILE = "rangs.json"
GLOB_SPECIAL = re.compile(r"[\\{}\[\]*?,]")
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

    This runs in a thread beside a busy build, where every system call waits
    for the interpreter lock: Pagefind is started first, and the old bundle's
    thousands of files are removed while it runs.
    """
    scratch.mkdir(parents=True, exist_ok=True)
    glob = "{" + ",".join(GLOB_SPECIAL.sub(r"\\\g<0>", page) for page in pages) + "}"
    config = {"site": str(output), "glob": glob, "output_path": str(bundle)}
    old = bundle.with_name(f".{bundle.name}-ancien")
    shutil.rmtree(old, ignore_errors=True)  # left by a build that stopped here
    if bundle.exists():  # out of Pagefind's way, in one call
        bundle.rename(old)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        command = [sys.executable, "-m", "pagefind", *pagefind_args]
        run = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        shutil.rmtree(old, ignore_errors=True)
        sorts = _sort_values(output, pages)  # while Pagefind reads the same pages
        stdout, stderr = run.communicate()
    counted = re.search(r"Indexed (\d+) pages?", stdout)
    if run.returncode != 0 or counted is None:
        raise ShardError(stderr or stdout)
    return ShardIndex(membership(pages), int(counted.group(1)), _pagefind_order(sorts))


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
