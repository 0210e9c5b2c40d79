"""The templates contributors copy (modeles/), and what a listing still holds of them.

A new listing starts as a copy of ``modeles/fiche-entreprise.md`` (or
``evenement.md``) saved as ``nouvelle-entreprise.md``. A copy that still holds the
template's sample values (« … Exemple », « Prénom Nom », ``info@exemple.ca``,
NEQ ``1234567890``, the sample text) or that default name is refused. The sample
values are read from the template itself, so the check follows the template when
staff edit it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from ..problems import Problem
from .explain import field_name, model_at
from .naming import slugify
from .reader import SourceFile, read_source

# Never inside content/, so never published.
TEMPLATES = Path(__file__).resolve().parents[3] / "modeles"
TEMPLATE = {"enterprise": "fiche-entreprise.md", "event": "evenement.md"}
NEW_FILE_NAME = {"enterprise": "nouvelle-entreprise.md", "event": "nouvel-evenement.md"}

# Template values a real listing may well share: a city, a postal code, a phone
# number; codes, dates and amounts are skipped by _may_be_real.
REAL_VALUES = {"ville", "code_postal", "telephone"}
_CODE = re.compile(r"[a-z0-9-]*[a-z][a-z0-9-]*")
# Numbers without letters (amounts, counts, dates) may be anyone's; an identifier
# (NEQ, licence number) has at least this many digits.
IDENTIFIER_DIGITS = 8
# « Service de traiteur »: a few plain words may be anyone's too.
FEW_WORDS = 3
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?([ T]\d{1,2}:\d{2})?")


def _may_be_real(text: str) -> bool:
    """Template values a real listing may share: codes, dates, amounts, a few words."""
    if _CODE.fullmatch(text) or _DATE.fullmatch(text.strip()):
        return True
    if len(text.split()) <= FEW_WORDS and not re.search(r"[\d@/]", text):
        return True
    if re.search(r"[^\W\d_]", text):
        return False
    return len(re.findall(r"\d", text)) < IDENTIFIER_DIGITS


# « Prénom Nom, directrice générale »: a placeholder name kept with another title.
PLACEHOLDER_WORDS = 3
# A paragraph of the template's text shorter than this may be anyone's words.
MIN_PARAGRAPH = 30
BODY = {
    "enterprise": "la présentation de votre entreprise",
    "event": "la description de l'événement",
}
QUOTED_MAX = 60


@cache
def template_text(kind: str = "enterprise") -> str:
    """The commented template a new listing starts from."""
    return (TEMPLATES / TEMPLATE[kind]).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """Compared as a reader sees it: case, spacing and line breaks don't count."""
    return " ".join(text.split()).casefold()


def _strings(value: Any, loc: tuple = ()):
    """(location, text) of every text value, depth first, in file order."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))
    elif isinstance(value, str):
        yield loc, value


def _domain(text: str) -> str | None:
    if "@" in text:
        return text.rsplit("@", 1)[1].casefold()
    if text.startswith(("http://", "https://")):
        return (urlsplit(text).hostname or "").removeprefix("www.") or None
    return None


@dataclass(frozen=True)
class Examples:
    """What a copy of one template must no longer hold."""

    values: dict[str, str]  # flattened value → as written in the template
    domains: frozenset[str]  # exemple.ca: any address or site there
    names: tuple[str, ...]  # « Prénom Nom »: a placeholder at the start of a value
    paragraphs: tuple[str, ...]  # the sample text, paragraph by paragraph


@cache
def examples(kind: str) -> Examples | None:
    if kind not in TEMPLATE:
        return None
    source = read_source(TEMPLATES / TEMPLATE[kind])
    values, domains, names = {}, set(), []
    for loc, text in _strings(source.data):
        key = next((part for part in reversed(loc) if isinstance(part, str)), "")
        if key in REAL_VALUES or _may_be_real(text):
            continue
        values[_flat(text)] = text
        domain = _domain(text)
        if domain:
            domains.add(domain)
        lead = text.split(",")[0]
        if "," in text and not re.search(r"\d", lead) and len(lead.split()) <= PLACEHOLDER_WORDS:
            names.append(_flat(lead))
    paragraphs = tuple(
        p for p in (" ".join(part.split()) for part in source.body.split("\n\n"))
        if len(p) >= MIN_PARAGRAPH
    )  # fmt: skip
    return Examples(values, frozenset(domains), tuple(names), paragraphs)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return f"« {text[:QUOTED_MAX]}… »" if len(text) > QUOTED_MAX else f"« {text} »"


def _what_to_write(model: type[BaseModel], loc: tuple) -> str:
    """« remplacez-la par … » from the field's description; optional fields may go."""
    keys = [part for part in loc if isinstance(part, str)]
    parent = model_at(model, tuple(keys[:-1])) if keys else None
    field = parent.model_fields.get(keys[-1]) if parent else None
    description = (field.description or "") if field else ""
    hint = "remplacez-la par la vôtre"
    if description and not description.startswith("ex."):
        description = description.replace(" (", ", ").replace(")", "")
        hint += f" ({description[0].lower()}{description[1:]})"
    if field is not None and not field.is_required() and not isinstance(loc[-1], int):
        hint += ", ou effacez la ligne"
    return hint


def leftover_problems(source: SourceFile, kind: str, model: type[BaseModel]) -> list[Problem]:
    """One problem per value or paragraph still copied from the template."""
    found = examples(kind)
    if found is None:
        return []
    problems = []
    for loc, text in _strings(source.data):
        flat = _flat(text)
        domain = _domain(text)
        if flat in found.values:
            what = f"valeur d'exemple du modèle laissée telle quelle ({_quoted(text)})"
        elif domain and any(domain == d or domain.endswith(f".{d}") for d in found.domains):
            what = f"adresse d'exemple du modèle laissée telle quelle ({domain})"
        elif name := next((n for n in found.names if re.match(rf"{re.escape(n)}\b", flat)), ""):
            what = f"valeur d'exemple du modèle laissée telle quelle ({_quoted(text[: len(name)])})"
        else:
            continue
        message = f"{what} : {_what_to_write(model, loc)}"
        problems.append(Problem(source.path, source.line_of(loc), field_name(loc), message))
    body = " ".join(source.body.split())
    lines = source.body.split("\n")
    for paragraph in found.paragraphs:
        if paragraph not in body:
            continue
        first_words = " ".join(paragraph.split()[:4])
        offset = next(
            (n for n, line in enumerate(lines) if first_words in " ".join(line.split())), 0
        )
        problems.append(
            Problem(
                source.path,
                source.body_line + offset,
                "",
                f"texte d'exemple du modèle laissé tel quel ({_quoted(paragraph)}) : "
                f"remplacez-le par {BODY[kind]}",
            )
        )
    return problems


def default_name_problem(source: SourceFile, kind: str) -> Problem | None:
    """The template's suggested file name, kept: say which name to use instead."""
    if source.path.name != NEW_FILE_NAME.get(kind):
        return None
    # Values still copied from the template make no name.
    sample = examples(kind).values
    data = {k: v for k, v in source.data.items() if not (isinstance(v, str) and _flat(v) in sample)}
    if kind == "enterprise":
        name = slugify(data["nom"]) if isinstance(data.get("nom"), str) else ""
        name = name or "nom-de-l-entreprise"
        why = "le nom de l'entreprise"
    else:
        title = slugify(data["titre"]) if isinstance(data.get("titre"), str) else ""
        start = data.get("debut")
        month = start[:7] if isinstance(start, str) and re.match(r"\d{4}-\d{2}", start) else ""
        words = "-".join(title.split("-")[:5]) or "titre-de-l-evenement"
        name = f"{month}-{words}" if month else words
        why = "l'année, le mois et quelques mots du titre"
    return Problem(
        source.path,
        1,
        "",
        f"nom de fichier du modèle à changer : renommez « {source.path.name} » en "
        f"« {name}.md » ({why}, en minuscules, sans accents, mots séparés par des "
        "traits d'union)",
    )
