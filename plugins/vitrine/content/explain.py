"""Pydantic's validation errors as French sentences a contributor can act on."""

from __future__ import annotations

import difflib
import functools
import types
import typing
from typing import Any

from pydantic import BaseModel

from .schema import MISSION_MAX

# Error kinds raised by schema.py with a French message of their own.
OWN_ERRORS = {
    "vocabulary", "email", "url", "phone", "postal_code", "neq", "date",
    "datetime", "price", "year", "contact", "logo", "future_date", "amount", "yes_no",
    "rbq", "unspsc", "rena", "neq_date",
}  # fmt: skip


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


@functools.cache  # asked about every key of every file: about 100 times a listing
def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
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
        parent = model_at(model, loc[:-1])
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
        sub = model_at(model, loc)
        keys = ", ".join(sub.model_fields) if sub else "…"
        return loc, (
            f"doit contenir des sous-champs, pas {_describe(value)} : écrivez-les en "
            f"retrait sous « {key}: » ({keys})"
        )
    if kind == "int_parsing_size":
        return loc, f"nombre beaucoup trop grand : {_describe(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return loc, f"doit être un nombre entier, pas {_describe(value)}"
    if kind == "greater_than":
        return loc, f"doit être plus grand que {error['ctx']['gt']}, pas {_describe(value)}"
    if kind == "bool_parsing":
        return loc, f"doit être True ou False, pas {_describe(value)}"
    if kind in ("date_type", "datetime_type", "decimal_type"):
        return loc, f"valeur invalide : {_describe(value)}"
    if kind == "literal_error":  # a closed list (VITRINE_DIGEST_TOOL): name its values
        expected = error["ctx"]["expected"].replace("'", "").replace(" or ", ", ")
        return loc, f"valeur invalide : {_describe(value)} : écrivez l'une de {expected}"
    if kind == "event_order":
        return (*loc, "fin"), error["msg"]
    if kind == "value_error":
        return loc, error["msg"].removeprefix("Value error, ")
    if kind in OWN_ERRORS:
        return loc, error["msg"]  # raised by schema.py: already French
    return loc, f"valeur invalide : {_describe(value)}"
