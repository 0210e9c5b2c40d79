"""One listing or event file → a validated record, or every problem it has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..problems import Problem
from .explain import explain, field_name
from .markup import MarkupError, render_markdown
from .model import Buyer, Enterprise, Event
from .naming import slugify
from .reader import ReadError, SourceFile, read_source
from .repair import Repairs
from .schema import BuyerData, EnterpriseData, EventData
from .template import default_name_problem, leftover_problems

# What each kind of file becomes: (front matter model, record).
KINDS = {
    "enterprise": (EnterpriseData, Enterprise),
    "event": (EventData, Event),
    "buyer": (BuyerData, Buyer),
}


def _validate(
    source: SourceFile, model: type[BaseModel], context: dict
) -> tuple[BaseModel | None, list[Problem]]:
    """Validate the front matter, read past misspelled and mis-indented keys."""
    repairs = Repairs(source, model)
    problems = [
        Problem(source.path, source.line_of(r.written), field_name(r.written), r.message)
        for r in repairs.made
    ]
    try:
        data = model.model_validate(repairs.data, context=context)
    except ValidationError as err:
        for error in err.errors(include_url=False):
            loc, message = explain(error, model)
            loc = repairs.written(loc)
            line = 1 if error["type"] == "missing" and len(loc) == 1 else source.line_of(loc)
            problems.append(Problem(source.path, line, field_name(loc), message))
        return None, problems
    return (None if problems else data), problems


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
    """One file (or its bytes, already read) → (a record, []) or (None, problems)."""
    try:
        source = read_source(path, raw)
    except ReadError as err:
        return None, [Problem(path, err.line, "", err.message)]
    except OSError as err:
        return None, [Problem(path, 1, "", f"fichier illisible : {err.strerror}")]
    model, record_type = KINDS[kind]
    data, problems = _validate(source, model, context)
    problems += leftover_problems(source, kind, model)
    name_problem = default_name_problem(source, kind) or _slug_problem(path)
    if name_problem:
        problems.insert(0, name_problem)
    try:
        html = render_markdown(source.body)
    except MarkupError as err:
        problems.append(Problem(path, source.body_line + err.line - 1, "", err.message))
    english = getattr(data, "en", None)
    html_en = ""
    if english is not None and english.description:
        try:
            html_en = render_markdown(english.description)
        except MarkupError as err:
            line = source.line_of(("en", "description"))
            problems.append(Problem(path, line, "en.description", err.message))
    if problems:
        return None, problems
    if kind in ("enterprise", "event"):
        return record_type(slugify(path.stem), data, path, html, description_html_en=html_en), []
    return record_type(slugify(path.stem), data, path, html), []
