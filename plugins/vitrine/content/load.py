"""Files → validated Directory, or every problem at once, in French.

One pass reads every enterprise and event file (validate.py), on several cores
for a big directory and from the record cache for unchanged files, then checks
what needs all files together (slugs unique, events naming existing
enterprises). Nothing is skipped: a file either becomes a record or yields at
least one Problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import multiprocessing
import os
from pathlib import Path
from typing import Any

from ..problems import Problem
from ..settings import Layout
from .contracts import load_contracts
from .model import Directory, Enterprise, Event
from .naming import slugify, sort_key
from .reader import read_source
from .record_cache import RecordCache, sha256
from .schema import TIMEZONE
from .validate import read_record
from .vocabulary import Vocabularies


def listing_files(folder: Path) -> list[Path]:
    """Every Markdown file of a content folder; hidden files and README excluded."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*.md")
        if not p.name.startswith((".", "_")) and p.name.lower() != "readme.md"
    )


IMAGES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"}
# Editors' and systems' own files next to a listing: never meant as listings.
LEFTOVERS = ("~", ".swp", ".swx", ".tmp", ".bak", ".orig")
SYSTEM_FILES = {"thumbs.db", "desktop.ini"}


def misplaced_files(folder: Path) -> list[Problem]:
    """Files in a listing folder that the site would not read, each with what to do.

    The build reports them like any invalid listing, so a listing saved as
    « Ma Coop.txt » or in a sub-folder is never dropped silently.
    """
    if not folder.is_dir():
        return []
    read = set(listing_files(folder))
    shown = f"{folder.parent.name}/{folder.name}/"
    problems = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path in read or not path.is_file() or path.name.lower() == "readme.md":
            continue
        if any(part.startswith((".", "#")) for part in relative.parts):
            continue  # .gitkeep, editors' files: never listings
        if path.name.endswith(LEFTOVERS) or path.name.lower() in SYSTEM_FILES:
            continue
        name = f"{slugify(path.name.split('.')[0]) or 'nom-de-la-fiche'}.md"
        if path.suffix.lower() in IMAGES:
            message = (
                "une image n'a pas sa place ici : envoyez-la à l'équipe du réseau, "
                "qui l'ajoutera dans content/images/"
            )
        elif path.parent == folder and path.name.startswith("_"):
            message = (
                "fichier ignoré par le site, car son nom commence par « _ » : "
                f"renommez-le en « {name} »"
            )
        elif path.parent != folder:
            message = (
                f"fichier dans un sous-dossier, ignoré par le site : il ne lit que les "
                f"fichiers placés directement dans {shown}; déplacez-le en « {shown}{name} »"
            )
        else:
            message = (
                "fichier ignoré par le site, qui ne lit que les fichiers « .md » : "
                f"renommez-le en « {name} »"
            )
        problems.append(Problem(path, 1, "", message))
    return problems


def _colliding_files(paths: list[Path]) -> list[Problem]:
    """Files whose names make the same page address, valid or not.

    Checked on names before reading, so that « coopérative.md » typed with two
    Unicode spellings (two files on Linux) is reported as one address, not as two
    files each told to become « cooperative.md ».
    """
    seen: dict[str, Path] = {}
    problems = []
    # A file already named by its address owns it; the others are reported.
    for path in sorted(paths, key=lambda p: (slugify(p.stem) != p.stem, p.name)):
        slug = slugify(path.stem)
        if slug in seen:
            problems.append(
                Problem(
                    path,
                    1,
                    "",
                    f"même adresse de page (« {slug} ») que {seen[slug]} : "
                    "renommez l'un des deux fichiers",
                )
            )
        else:
            seen[slug] = path
    return problems


def _link_events(
    events: list[Event], enterprises: list[Enterprise], problems: list[Problem]
) -> list[Event]:
    by_slug = {e.slug: e for e in enterprises}
    linked = []
    for event in events:
        missing = [s for s in event.data.entreprises if s not in by_slug]
        for slug in missing:
            index = event.data.entreprises.index(slug)
            guess = difflib.get_close_matches(slug, list(by_slug), n=1, cutoff=0.6)
            hint = f"vouliez-vous dire « {guess[0]} » ? " if guess else ""
            line = _line_in(event.source, ("entreprises", index), ("entreprises",))
            problems.append(
                Problem(
                    event.source,
                    line,
                    f"entreprises[{index + 1}]",
                    f"aucune fiche « {slug} » dans content/enterprises/ : {hint}"
                    "écrivez le nom du fichier de la fiche, sans « .md »",
                )
            )
        if missing:
            continue
        event.enterprises = [by_slug[s] for s in event.data.entreprises]
        for enterprise in event.enterprises:
            enterprise.events.append(event)
        linked.append(event)
    return linked


def _line_in(path: Path, *locs: tuple) -> int:
    """Re-read a valid file's line map (rare: only for cross-file problems)."""
    source = read_source(path)
    return min(source.line_of(loc) for loc in locs)


FILES_PER_WORKER = 100  # from 200 files, both cores read: 1.8 → 1.0 s at 330 files
_shared_context: dict = {}  # read by forked workers: inherited, never pickled


def _read_hashed(path: Path, kind: str, context: dict) -> tuple[Any, list[Problem], bytes | None]:
    """read_record, plus the sha256 of the very bytes it validated (the cache's key)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return (*read_record(path, kind, context), None)  # which reports why
    return (*read_record(path, kind, context, raw), sha256(raw))


def _read_job(job: tuple[Path, str]) -> tuple[Any, list[Problem], bytes | None]:
    return _read_hashed(job[0], job[1], _shared_context)


def _read_all(jobs: list[tuple[Path, str]], context: dict, workers: int | None):
    """_read_hashed over every file, in order; on several cores for a big directory."""
    if workers is None:
        workers = min(os.cpu_count() or 1, len(jobs) // FILES_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_read_hashed(path, kind, context) for path, kind in jobs]
    _shared_context.clear()
    _shared_context.update(context)
    # A worker collects its own garbage, whatever the parent's setting (build/generator.py).
    with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
        return pool.map(_read_job, jobs, chunksize=max(1, len(jobs) // (workers * 8)))


def load_directory(
    layout: Layout,
    vocabularies: Vocabularies,
    build_time: dt.datetime,
    workers: int | None = None,
    cache_dir: Path | None = None,
) -> tuple[Directory, list[Problem]]:
    """Read and validate everything; return the directory and all problems, sorted.

    ``workers``: processes that read files (None: one per core for a big directory).
    ``cache_dir``: where valid records are kept between builds (see record_cache.py),
    so that only changed files are read again; None reads every file.
    """
    context = {
        "vocabularies": vocabularies,
        "today": build_time.date(),
        "content": layout.content,  # logos must be files under content/images/
    }
    problems: list[Problem] = []
    records: dict[str, list] = {"enterprise": [], "event": [], "buyer": []}
    jobs: list[tuple[Path, str]] = []
    colliding: set[Path] = set()
    folders = [("enterprise", layout.enterprises), ("event", layout.events)]
    if layout.buyers is not None:
        folders.append(("buyer", layout.buyers))
    for kind, folder in folders:
        paths = listing_files(folder)
        problems.extend(misplaced_files(folder))
        collisions = _colliding_files(paths)
        problems.extend(collisions)
        colliding |= {p.path for p in collisions}
        jobs += [(path, kind) for path in paths]
    cache = RecordCache(cache_dir, context)
    results = {job: (cache.get(*job), []) for job in jobs}
    misses = [job for job, (record, _) in results.items() if record is None]
    for job, (record, found, sha) in zip(misses, _read_all(misses, context, workers), strict=True):
        results[job] = (record, found)
        if record is not None:
            record.checksum = sha.hex() if sha else ""
            cache.put(*job, sha, record)  # before _link_events mutates it
    cache.save()
    for (path, kind), (record, found) in results.items():
        problems.extend(found)
        if record is not None and path not in colliding:
            records[kind].append(record)
    enterprises = records["enterprise"]
    events = _link_events(records["event"], enterprises, problems)
    enterprises.sort(key=lambda e: (sort_key(e.name), e.slug))
    events.sort(key=lambda e: (e.data.debut, e.slug))
    for enterprise in enterprises:
        enterprise.events.sort(key=lambda e: e.data.debut)
    buyers = sorted(records["buyer"], key=lambda b: (sort_key(b.name), b.slug))
    contracts, found = load_contracts(layout.contracts, cache_dir)
    problems.extend(found)
    directory = Directory(
        enterprises, events, vocabularies, build_time.astimezone(TIMEZONE), buyers, contracts
    )
    return directory, sorted(problems)
