"""The search index in shards: several Pagefind bundles, merged in the browser.

One Pagefind run over a province (11,800 pages) needs about 3 GiB and 15 s,
and Pagefind cannot update an index. So pages are dealt into shards by a stable
hash of their address; each shard is a bundle of its own (``pagefind/<n>/``),
indexed by its own run over the output folder, limited to its pages by a glob. A run needs a
fraction of the memory, and a rebuild re-indexes only the shards whose pages
were rewritten or removed, over their last bundle (see index_shard).
search.js merges the bundles (Pagefind's ``mergeIndex``), which sums facet counts and ranks by relevance across them
(each bundle scores with its own word statistics: close enough at this size).

Sorting is not Pagefind's: its sort orders would sit in every bundle's
metadata, which each search downloads first (about 40 % of it), and it sorts
within a bundle only. So the build writes, for each sort, the pages in their
order, each named by its shard and its Pagefind id (``tri-<key>.json``, see
orders); search.js fetches that file when a buyer asks for the sort, and orders
each shard's results by it (the shard of a result is known by searching each
shard apart: ids are only unique within a bundle).
"""

from __future__ import annotations

import functools
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

ORDER_FILE = "tri-{}.json"  # one per sort key, in the bundles' folder
GLOB_SPECIAL = re.compile(r"[\\{}\[\]*?,]")
# Pagefind 1.5.2 refuses a glob from about 170,000 characters (measured: where
# depends on its shape), or matches nothing with a longer one.
GLOB_MAX_CHARS = 150_000
DATA_NAME = re.compile(r"[a-z-]+_[0-9a-f]{7,}")  # language, then the content's hash
PAGEFIND_SIGNATURE = b"pagefind_dcd"  # opens every decompressed .pf_* file
# A fragment (gzip, signature, then JSON) opens with its page's address.
FRAGMENT_URL = re.compile(rb'pagefind_dcd\{"url":("(?:[^"\\]|\\.)*")')


class ShardError(RuntimeError):
    """A Pagefind run failed; its output says why."""


def shard_count(pages: list[str], pages_per_shard: int) -> int:
    """Shards of ``pages_per_shard`` pages, or more where long names would make a
    shard's glob too long for Pagefind (with a margin: shards are dealt by hash)."""
    by_pages = math.ceil(len(pages) / max(1, pages_per_shard))
    by_glob = math.ceil(len(_glob_text(pages)) * 1.25 / GLOB_MAX_CHARS)
    return max(1, by_pages, by_glob)


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
    ids: dict[str, str]  # page (path under the output) → its id in search results

    def as_json(self) -> dict:
        return {"pages": self.pages, "records": self.records, "ids": self.ids}

    @classmethod
    def from_json(cls, data: dict) -> ShardIndex:
        return cls(str(data["pages"]), int(data["records"]), dict(data["ids"]))


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
    records = _run_pagefind(output, pages, bundle, scratch, pagefind_args)
    try:
        now = _bundle(bundle)
        if last is not None and (now.version != last.version or now.lengthened or last.lengthened):
            raise ValueError("noms allongés ou autre version de Pagefind")
        ids = page_ids(bundle, now.pages)
    except (OSError, ValueError) as err:
        if last is None:
            raise ShardError(f"lot {bundle.name} illisible : {err!r}") from err
        logger.info("vitrine: lot %s indexé à nouveau : %r", bundle.name, err)
        shutil.rmtree(bundle)
        return index_shard(output, pages, bundle, scratch, pagefind_args)
    if last is not None:
        for name in data_files(bundle) - now.files:
            (bundle / name).unlink()
    return ShardIndex(membership(pages), records, ids)


def _run_pagefind(
    output: Path, pages: list[str], bundle: Path, scratch: Path, pagefind_args: list[str]
) -> int:
    """One Pagefind run; the number of records it indexed."""
    scratch.mkdir(parents=True, exist_ok=True)
    config = {"site": str(output), "glob": glob(pages), "output_path": str(bundle)}
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        (Path(folder) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        command = [*pagefind_command(), *pagefind_args]
        run = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    counted = re.search(r"Indexed (\d+) pages?", run.stdout)
    if "did not parse as a valid glob" in run.stderr + run.stdout:
        raise ShardError(TOO_MANY_PAGES.format(len(pages)))
    if run.returncode != 0 or counted is None:
        raise ShardError((run.stderr or run.stdout)[-2000:])  # not the whole glob
    return int(counted.group(1))


@functools.cache
def pagefind_command() -> list[str]:
    """Pagefind's binary, found as ``python -m pagefind`` finds it, run without the
    Python interpreter that command starts first (0.2 s of CPU each run)."""
    from pagefind.service import get_executable

    binary = get_executable()
    return [str(binary)] if binary else [sys.executable, "-m", "pagefind"]


TOO_MANY_PAGES = (
    "un lot de l'index de recherche nomme trop de pages ({}) pour Pagefind : "
    "baissez VITRINE_SEARCH_SHARD_PAGES (2000 par défaut)"
)


def glob(pages: list[str]) -> str:
    """One glob that matches exactly ``pages``: ``{entreprises/{a,b}/index.html,…}``.

    Pages are grouped by first folder and file name so each costs little more
    than its own folder's name; a shard of 2,000 listings takes about 85,000
    characters. Raises ShardError past what Pagefind takes.
    """
    text = _glob_text(pages)
    if len(text) > GLOB_MAX_CHARS:
        raise ShardError(TOO_MANY_PAGES.format(len(pages)))
    return text


def _glob_text(pages: list[str]) -> str:
    groups: dict[tuple[str, str], list[str]] = {}
    for page in pages:
        parts = [GLOB_SPECIAL.sub(r"\\\g<0>", part) for part in page.split("/")]
        if len(parts) < 3:
            groups.setdefault((page, ""), [])
        else:
            groups.setdefault((parts[0], parts[-1]), []).append("/".join(parts[1:-1]))
    alternatives = [
        f"{first}/{{{','.join(middles)}}}/{last}"
        if middles
        else GLOB_SPECIAL.sub(r"\\\g<0>", first)
        for (first, last), middles in groups.items()
    ]
    return "{" + ",".join(alternatives) + "}"


@dataclass
class _Bundle:
    """What a bundle's metadata says: Pagefind's version and the files it names."""

    version: str
    files: set[str]
    lengthened: bool  # some data file's name is longer than 7 hex digits
    pages: list[str]  # the pages' fragment names, which search results call their ids


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
    hashes, fragments = [], []
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
        page_names = [page[0] for page in pages]
        fragments += page_names
        for folder, names in (
            ("fragment", page_names),
            ("index", [chunk[2] for chunk in chunks]),
            ("filter", [facet[1] for facet in filters]),
        ):
            hashes += names
            files.update(f"{folder}/{name}.pf_{folder}" for name in names)
    if not all(isinstance(name, str) and DATA_NAME.fullmatch(name) for name in hashes):
        raise ValueError("noms de fichiers inattendus dans les métadonnées")
    lengthened = any(len(name.split("_")[-1]) > 7 for name in hashes)
    return _Bundle(entry["version"], files, lengthened, fragments)


def page_ids(bundle: Path, fragments: list[str]) -> dict[str, str]:
    """Each page's id in search results, by the page's path under the output.

    A result's id is the name of its fragment, which opens with the page's
    address (only that much is decompressed).
    """
    return {fragment_page(bundle, name): name for name in fragments}


def fragment_page(bundle: Path, name: str) -> str:
    """The page (path under the output) a fragment is the search record of."""
    data = (bundle / "fragment" / f"{name}.pf_fragment").read_bytes()
    head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 2048)
    found = FRAGMENT_URL.match(head)
    if found is None:
        raise ValueError(f"fragment {name} : adresse illisible")
    url = json.loads(found.group(1)).lstrip("/")
    return url + "index.html" if url.endswith("/") or not url else url


def records(bundle: Path) -> list[str]:
    """The fragment names (search records) a bundle's metadata lists."""
    return _bundle(bundle).pages


def orders(shards: list[ShardIndex], sorted_pages: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each sort key, its pages in order, each as « shard/id » (what search.js looks up).

    ``sorted_pages``: each key's pages (paths under the output) in display order.
    A page no shard indexed is left out; search.js puts results it can't place last.
    """
    where = {
        page: f"{number}/{page_id}"
        for number, shard in enumerate(shards)
        for page, page_id in shard.ids.items()
    }
    return {
        key: [where[page] for page in pages if page in where] for key, pages in sorted_pages.items()
    }
