"""JSON Schema of the front matter, generated from the content model.

schema.py stays the one source of truth: this module only translates it for
editors and other tools, and adds what the model keeps outside itself, the
vocabularies' codes (as ``enum`` wherever a field is marked ``x-vocabulaire``).
The schemas describe front matter as a YAML 1.2 editor reads it (``2019`` is a
number, ``2026-05-20`` a text); the validator stays the last word.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from .schema import EnterpriseData, EventData
from .vocabulary import Vocabularies

DIALECT = "https://json-schema.org/draft/2020-12/schema"
LOCAL_DATETIME = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


class Target(NamedTuple):
    """One content type's schema: its file, model, and what an editor shows."""

    file: str
    model: type[BaseModel]
    title: str
    description: str


# Keyed by the name given on the command line (python -m vitrine schema evenement).
SCHEMAS = {
    "entreprise": Target(
        "fiche-entreprise.schema.json",
        EnterpriseData,
        "Fiche d'entreprise",
        "En-tête d'une fiche content/enterprises/<nom-du-fichier>.md du répertoire.",
    ),
    "evenement": Target(
        "evenement.schema.json",
        EventData,
        "Événement",
        "En-tête d'un événement content/events/<nom-du-fichier>.md du répertoire.",
    ),
}


class _FrontMatterSchema(GenerateJsonSchema):
    """Types as contributors write them, not as Python holds them."""

    def datetime_schema(self, schema) -> dict[str, Any]:
        # The model reads « 2026-12-10 08:30 », Eastern time: not RFC 3339.
        return {"type": "string", "pattern": LOCAL_DATETIME}

    def date_schema(self, schema) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DAY}

    def decimal_schema(self, schema) -> dict[str, Any]:
        # « 25 », « 12,50 », « gratuit »: the model reads all of them.
        return {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}]}

    def field_title_should_be_set(self, schema) -> bool:
        # Titles made from key names (« Telephone ») add nothing to the French key.
        return False


def _with_vocabularies(node: Any, vocabularies: Vocabularies) -> None:
    """Add each vocabulary's codes (and labels, for editors' completion lists)."""
    if isinstance(node, list):
        for item in node:
            _with_vocabularies(item, vocabularies)
        return
    if not isinstance(node, dict):
        return
    name = node.get("x-vocabulaire")
    if name:
        codes = vocabularies[name]
        target = node["items"] if node.get("type") == "array" else node
        target["enum"] = list(codes)
        target["enumDescriptions"] = list(codes.values())
        node.setdefault(
            "description",
            f"Code(s) de la liste « {name} » de content/vocabulaires.yml",
        )
    for value in node.values():
        _with_vocabularies(value, vocabularies)


def json_schema(
    model: type[BaseModel], title: str, description: str, vocabularies: Vocabularies
) -> dict[str, Any]:
    """One model's schema, with French title and the vocabularies' codes."""
    schema = model.model_json_schema(schema_generator=_FrontMatterSchema, mode="validation")
    # Class docstrings are notes for developers, not help for contributors.
    schema.pop("description", None)
    schema.pop("title", None)
    for definition in schema.get("$defs", {}).values():
        definition.pop("description", None)
        definition.pop("title", None)
    _with_vocabularies(schema, vocabularies)
    return {"$schema": DIALECT, "title": title, "description": description, **schema}


def render(schema: dict[str, Any]) -> str:
    """Stable text: the committed files compare equal to a fresh generation."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def all_schemas(vocabularies: Vocabularies) -> dict[str, str]:
    """File name → schema text, for every content type."""
    return {
        target.file: render(
            json_schema(target.model, target.title, target.description, vocabularies)
        )
        for target in SCHEMAS.values()
    }


def stale_files(folder: Path, vocabularies: Vocabularies) -> list[Path]:
    """Schema files in ``folder`` that are missing or differ from the model."""
    return [
        folder / name
        for name, text in all_schemas(vocabularies).items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def write_all(folder: Path, vocabularies: Vocabularies) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas(vocabularies).items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
