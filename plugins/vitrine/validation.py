"""Files → validated Directory, or every problem at once, in French.

One pass reads every enterprise and event file, validates each against the
schema, then checks what needs all files together (slugs unique, events naming
existing enterprises). Nothing is skipped: a file either becomes a record or
yields at least one Problem.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import multiprocessing
import os
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .markup import MarkupError, render_markdown
from .model import Directory, Enterprise, Event
from .problems import Problem
from .reader import ReadError, SourceFile, read_source
from .record_cache import RecordCache, digest
from .schema import MISSION_MAX, TIMEZONE, EnterpriseData, EventData
from .vocabulary import Vocabularies

# Error kinds raised by schema.py with a French message of their own.
OWN_ERRORS = {
    "vocabulary", "email", "url", "phone", "postal_code", "neq", "date",
    "datetime", "price", "year", "contact", "logo",
}  # fmt: skip


@dataclass(frozen=True)
class Layout:
    """Where content lives; paths as given (relative paths print shorter)."""

    enterprises: Path
    events: Path
    root: Path | None = None  # the content folder; default: the enterprises' parent

    @property
    def content(self) -> Path:
        return self.root if self.root is not None else self.enterprises.parent


def slugify(text: str) -> str:
    """Accent-free lowercase words joined by hyphens: « Coopérative » → cooperative."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def sort_key(text: str) -> str:
    """French alphabetical order: accents and case don't move a name."""
    return slugify(text).replace("-", " ")


# --- Turning pydantic's errors into French sentences -------------------------


def _unwrap(annotation: Any) -> Any:
    """The model class behind Optional[...], list[...] and Annotated[...], if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
    return model


def field_name(loc: tuple) -> str:
    """``('offre', 0, 'nom')`` → ``offre[1].nom``: positions count from 1."""
    name = ""
    for part in loc:
        name += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if name else part)
    return name


DESCRIBE_MAX = 60  # characters of a wrong value quoted back in a message


def _describe(value: Any) -> str:
    if value is None:
        return "vide"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un groupe de sous-champs"
    text = str(value)
    if len(text) > DESCRIBE_MAX:
        text = f"{text[:DESCRIBE_MAX]}… ({len(text)} caractères)"
    return f"« {text} »"


def explain(error: dict, model: type[BaseModel]) -> tuple[tuple, str]:
    """(location, French message) for one pydantic error."""
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    key = loc[-1] if loc else ""
    if kind == "missing":
        return loc, f"champ obligatoire manquant : ajoutez une ligne « {key}: … »"
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"vouliez-vous dire « {guess[0]} » ? " if guess else ""
        return loc, (f"champ inconnu « {key} » : {hint}champs possibles : {', '.join(allowed)}")
    if kind == "string_type":
        if value is None:
            return loc, "valeur vide : écrivez un texte après les deux-points, ou retirez la ligne"
        return loc, f"doit être un texte, pas {_describe(value)}"
    if kind == "string_too_short":
        return loc, "ne doit pas être vide"
    if kind == "string_too_long":
        return loc, (
            f"trop long ({len(value)} caractères, maximum {MISSION_MAX}) : "
            "résumez en une phrase et mettez le reste dans la description"
        )
    if kind == "list_type":
        return loc, (
            f"doit être une liste, pas {_describe(value)} : écrivez chaque élément sur sa "
            "ligne, précédé de « - », ou entre crochets : [a, b]"
        )
    if kind == "too_short":
        return loc, "la liste est vide : ajoutez au moins un élément"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        sub = _model_at(model, loc)
        keys = ", ".join(sub.model_fields) if sub else "…"
        return loc, (
            f"doit contenir des sous-champs, pas {_describe(value)} : écrivez-les en "
            f"retrait sous « {key}: » ({keys})"
        )
    if kind == "int_parsing_size":
        return loc, f"nombre beaucoup trop grand : {_describe(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return loc, f"doit être un nombre entier, pas {_describe(value)}"
    if kind in ("date_type", "datetime_type", "decimal_type"):
        return loc, f"valeur invalide : {_describe(value)}"
    if kind == "event_order":
        return (*loc, "fin"), error["msg"]
    if kind == "value_error":
        return loc, error["msg"].removeprefix("Value error, ")
    if kind in OWN_ERRORS:
        return loc, error["msg"]  # raised by schema.py: already French
    return loc, f"valeur invalide : {_describe(value)}"


# --- Reading files -----------------------------------------------------------


def _validate(
    source: SourceFile, model: type[BaseModel], context: dict
) -> tuple[BaseModel | None, list[Problem]]:
    try:
        return model.model_validate(source.data, context=context), []
    except ValidationError as err:
        problems = []
        for error in err.errors(include_url=False):
            loc, message = explain(error, model)
            line = 1 if error["type"] == "missing" and len(loc) == 1 else source.line_of(loc)
            problems.append(Problem(source.path, line, field_name(loc), message))
        return None, problems


def _slug_problem(path: Path) -> Problem | None:
    slug = slugify(path.stem)
    if slug == path.stem:
        return None
    return Problem(
        path,
        1,
        "",
        f"nom de fichier à changer : renommez-le « {slug or 'nom-de-l-entreprise'}.md » "
        "(minuscules, sans accents ni espaces, mots séparés par des traits d'union)",
    )


def read_record(
    path: Path, kind: str, context: dict, raw: bytes | None = None
) -> tuple[Any, list[Problem]]:
    """One file (or its bytes, already read) → (Enterprise | Event, []) or (None, problems)."""
    try:
        source = read_source(path, raw)
    except ReadError as err:
        return None, [Problem(path, err.line, "", err.message)]
    except OSError as err:
        return None, [Problem(path, 1, "", f"fichier illisible : {err.strerror}")]
    model = EnterpriseData if kind == "enterprise" else EventData
    data, problems = _validate(source, model, context)
    slug_problem = _slug_problem(path)
    if slug_problem:
        problems.insert(0, slug_problem)
    try:
        html = render_markdown(source.body)
    except MarkupError as err:
        problems.append(Problem(path, source.body_line + err.line - 1, "", err.message))
    if problems:
        return None, problems
    record_type = Enterprise if kind == "enterprise" else Event
    return record_type(slugify(path.stem), data, path, html), []


def listing_files(folder: Path) -> list[Path]:
    """Every Markdown file of a content folder; hidden files and README excluded."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.glob("*.md")
        if not p.name.startswith((".", "_")) and p.name.lower() != "readme.md"
    )


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


FILES_PER_WORKER = 500
_shared_context: dict = {}  # read by forked workers: inherited, never pickled


def _read_hashed(path: Path, kind: str, context: dict) -> tuple[Any, list[Problem], bytes | None]:
    """read_record, plus the sha256 of the very bytes it validated (the cache's key)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return (*read_record(path, kind, context), None)  # which reports why
    return (*read_record(path, kind, context, raw), digest(raw))


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
    # A worker collects its own garbage, whatever the parent's setting (generator.py).
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
    records: dict[str, list] = {"enterprise": [], "event": []}
    jobs: list[tuple[Path, str]] = []
    colliding: set[Path] = set()
    for kind, folder in (("enterprise", layout.enterprises), ("event", layout.events)):
        paths = listing_files(folder)
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
    directory = Directory(enterprises, events, vocabularies, build_time.astimezone(TIMEZONE))
    return directory, sorted(problems)
