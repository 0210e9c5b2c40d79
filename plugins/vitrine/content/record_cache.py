"""Validated listings kept between builds, so a rebuild re-reads only what changed.

Reading, validating and rendering every listing is a third of a province-scale
build; a one-line fix should not pay it for 11,199 unchanged files. A valid
file's record is stored (pickled) under the sha256 of its bytes: bytes, never
mtimes, which git checkouts reset. A record with a logo also keeps the image's
size and mtime: validation looked at that file too.

Whatever else validation depends on (the validation context: vocabularies, the
build's date, the content folder; Vitrine's code and the libraries that parse,
validate and render) makes the global key: another key discards every entry.

Records are stored as ``read_record`` returns them, before cross-linking and
history dates, and unpickled afresh each build. Invalid files are never stored,
so their problems are always reported. The cache only ever saves work: a
missing, stale or damaged file is ignored (logged at INFO), never an error.
The cache folder must be trusted like the code: unpickling runs code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .. import store
from .model import Buyer, Enterprise, Event
from .template import TEMPLATES

logger = logging.getLogger(__name__)

CACHE_FILE = "fiches.pickle"
FORMAT = 2  # bump when the file's layout changes
PACKAGE = Path(__file__).resolve().parents[1]  # vitrine/, sub-packages included
LIBRARIES = ("pydantic", "pydantic-core", "markdown", "nh3", "pyyaml")
# A logo modified this close to the build's start may have changed after it was
# validated with the same mtime (coarse file clocks): such a record isn't stored.
RACY_NS = 2_000_000_000

Key = tuple[str, str]  # (kind, path as given)
Stamp = tuple[str, int, int] | None  # the logo's (path, size, mtime_ns)
Entry = tuple[bytes, Stamp, bytes]  # (sha256 of the file, logo stamp, pickled record)


def sha256(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


@functools.cache
def code_version() -> str:
    """Vitrine's source and the versions of what reads, validates and renders."""
    sha = hashlib.sha256(sys.version.encode())
    # Every module, sub-folders included: an edit anywhere may change a record.
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        sha.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    # The templates' sample values are refused in listings (template.py).
    for path in sorted(TEMPLATES.glob("*.md")):
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in LIBRARIES:
        try:
            sha.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            sha.update(f"{name}=absent\0".encode())
    return sha.hexdigest()


def cache_key(context: dict) -> str:
    """Everything outside a file that its validation depends on.

    The whole validation context counts, so a value added to it later counts too
    (a value without a stable repr only makes every build a miss).
    """
    parts = {k: v.resolve() if isinstance(v, Path) else v for k, v in context.items()}
    return hashlib.sha256(f"{code_version()}\n{sorted(parts.items())!r}".encode()).hexdigest()


# Records unpickled ahead by make devserver's warm process, by their pickle (``hold``).
_revived: dict[bytes, Any] = {}


def hold(held: dict[Path, Any]) -> None:
    """Unpickle the records of a held cache folder (store.hold) ahead of a forked build."""
    _revived.clear()
    for path, entries in held.items():
        if path.name == CACHE_FILE and isinstance(entries, dict):
            for entry in entries.values():
                with contextlib.suppress(Exception):
                    _revived[entry[2]] = pickle.loads(entry[2])


class RecordCache:
    """The records of last build's valid files; a no-op without a folder."""

    def __init__(self, folder: Path | None, context: dict):
        self.file = folder / CACHE_FILE if folder is not None else None
        self.key = (FORMAT, cache_key(context)) if folder is not None else ""
        self.content = Path(context["content"])
        self.started_ns = time.time_ns()
        self.old: dict[Key, Entry] = self._load()
        self.new: dict[Key, Entry] = {}  # what is saved: this build's files only
        self.changed = not self.old
        self.hits = self.misses = 0

    def _load(self) -> dict[Key, Entry]:
        entries = store.load(self.file, self.key)
        return entries if isinstance(entries, dict) else {}

    def get(self, path: Path, kind: str) -> Any:
        """Last build's record of this file, if its bytes and logo are unchanged."""
        key = (kind, str(path))
        entry = self.old.get(key)
        record = None
        if entry is not None:
            try:
                record = self._revive(path, *entry)
            except Exception as err:  # an unreadable file or entry: read it anew
                logger.info("Vitrine : cache ignoré pour %s : %r", path, err)
        if record is None:
            self.misses += 1
            return None
        self.hits += 1
        self.new[key] = entry
        return record

    def _revive(self, path: Path, sha: bytes, stamp: Stamp, blob: bytes) -> Any:
        if sha256(path.read_bytes()) != sha:
            return None
        if stamp is not None and self._stamp(stamp[0]) != stamp:
            return None
        record = _revived.pop(blob, None) if store.forked() else None
        if record is None:
            record = pickle.loads(blob)
        if not isinstance(record, Enterprise | Event | Buyer) or record.source != path:
            raise TypeError(f"entrée inattendue : {type(record).__name__}")
        record.checksum = sha.hex()
        return record

    def _stamp(self, logo: str) -> Stamp:
        try:
            stat = os.stat(self.content / logo)
        except OSError:
            return None
        return (logo, stat.st_size, stat.st_mtime_ns)

    def put(self, path: Path, kind: str, sha: bytes | None, record: Any) -> None:
        """Store a valid file's record, as read (before cross-linking)."""
        logo = getattr(record.data, "logo", None)
        stamp = self._stamp(logo) if logo else None
        if sha is None or (logo and (stamp is None or stamp[2] > self.started_ns - RACY_NS)):
            return  # a fresh logo can change again within its mtime's tick: check it next time
        try:
            blob = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as err:
            logger.info("Vitrine : fiche %s non mise en cache : %r", path, err)
            return
        self.new[(kind, str(path))] = (sha, stamp, blob)
        self.changed = True

    def save(self) -> None:
        """Write this build's entries atomically; gone and invalid files drop out."""
        if self.file is None:
            return
        logger.info("Vitrine : %d fiches reprises du cache, %d relues", self.hits, self.misses)
        if self.changed or self.new.keys() != self.old.keys():
            store.save(self.file, self.key, self.new)
