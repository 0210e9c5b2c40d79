"""Pieces made of one listing, made once and reused: its card, its portfolio entry, its
open-data rows.

A card shows on the directory and on several browse pages, and every listing
has an entry on the portfolio, which a rebuild renders again whenever any
listing changes: 11,200 entries at province scale. A fragment depends only on
its listing, on the pages' base address and on their language, so it is kept under the listing's
fingerprint, in memory for the build and in the cache folder between builds.
They are made in the build's own process: only listing and event pages, which
use none, are rendered by forked workers (generator.generate_output).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import store

Key = tuple[str, ...]  # (kind or macro, listing slug, SITEURL[, the page's language])


class Fragments:
    def __init__(self, path: Path | None, site_key: str):
        self.path = path
        self.site_key = site_key
        self.kept: dict[Key, tuple[str, str]] = self._load()
        self.fresh: dict[Key, tuple[str, str]] = {}  # used this build: what is saved

    def _load(self) -> dict:
        kept = store.load(self.path, self.site_key)
        return kept if isinstance(kept, dict) else {}

    def get(self, key: Key, fingerprint: str, render: Callable[[], str]) -> str:
        """The fragment under ``key``, made again only if its listing changed."""
        entry = self.fresh.get(key) or self.kept.get(key)
        if entry is None or entry[0] != fingerprint:
            entry = (fingerprint, str(render()))
        self.fresh[key] = entry
        return entry[1]

    def save(self) -> None:
        store.save(self.path, self.site_key, self.fresh)  # else: rendered again next time
