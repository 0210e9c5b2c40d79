"""Read past a misspelled or mis-indented key, so that one round fixes everything.

``secteur: [traiteur]`` is both a misspelled key and a wrong value: the contributor
is told about the key, and its value is checked as if it were under ``secteurs``
(« traiteur » is not a code), without a third problem for a missing ``secteurs``.
A key written at the start of the line under a block (``ville:`` under
``adresse:``, ``description:`` under an offer) is likewise read where it was
meant, with advice about indentation rather than « unknown field ».

Problems are still reported where the key is written: ``Repair.written`` maps a
location in the repaired data back to the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..formatting import count
from .explain import model_at
from .reader import SourceFile

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Repair:
    """A key read at ``meant`` although the file has it at ``written``."""

    written: Loc
    meant: Loc
    message: str


class Repairs:
    """The repaired front matter, and the way back to the file."""

    def __init__(self, source: SourceFile, model: type[BaseModel]):
        self.source = source
        self.made: list[Repair] = []
        self.data = self._mapping(source.data, model, ())

    def written(self, loc: Loc) -> Loc:
        """Where a location of the repaired data is in the file."""
        for repair in sorted(self.made, key=lambda r: -len(r.meant)):
            if tuple(loc[: len(repair.meant)]) == repair.meant:
                return (*repair.written, *loc[len(repair.meant) :])
        return tuple(loc)

    def _mapping(self, mapping: dict, model: type[BaseModel], meant: Loc) -> dict:
        fields = model.model_fields
        out: dict[str, Any] = {}
        block = None  # the last key here whose value holds sub-fields
        for key, value in mapping.items():
            if key in fields:
                out[key] = value
                block = key if model_at(model, (key,)) else None
                continue
            if block and self._move(out, block, key, value, model, meant):
                continue
            free = [f for f in fields if f not in mapping and f not in out]
            guess = difflib.get_close_matches(key, free, n=1, cutoff=0.6)
            if guess:
                out[guess[0]] = value
                message = (
                    f"champ inconnu « {key} » : vouliez-vous dire « {guess[0]} » ? "
                    f"(sa valeur est vérifiée comme celle de « {guess[0]} »)"
                )
                self.made.append(Repair((*self.written(meant), key), (*meant, guess[0]), message))
                block = guess[0] if model_at(model, (guess[0],)) else None
                continue
            out[key] = value  # unknown: validation reports it
        for key, value in out.items():
            sub = model_at(model, (key,))
            if sub is None:
                continue
            if isinstance(value, dict):
                out[key] = self._mapping(value, sub, (*meant, key))
            elif isinstance(value, list):
                out[key] = [
                    self._mapping(item, sub, (*meant, key, index))
                    if isinstance(item, dict)
                    else item
                    for index, item in enumerate(value)
                ]
        return out

    def _move(
        self, out: dict, block: str, key: str, value: Any, model: type[BaseModel], meant: Loc
    ) -> bool:
        """Read ``key`` inside ``block`` when it belongs there and isn't there yet."""
        sub = model_at(model, (block,))
        target = out[block]
        if sub is None or key not in sub.model_fields:
            return False
        if target is None:
            inner: Loc = (*meant, block)
            out[block] = {key: value}
        elif isinstance(target, dict) and key not in target:
            inner = (*meant, block)
            out[block] = {**target, key: value}
        elif (
            isinstance(target, list)
            and target
            and isinstance(target[-1], dict)
            and key not in target[-1]
        ):
            inner = (*meant, block, len(target) - 1)
            out[block] = [*target[:-1], {**target[-1], key: value}]
        else:
            return False
        written = (*self.written(meant), key)
        message = self._indentation(written, inner, (*meant, block))
        self.made.append(Repair(written, (*inner, key), message))
        return True

    def _indentation(self, written: Loc, inner: Loc, block: Loc) -> str:
        """« ajoutez 4 espaces », aligned on the block's first sub-field when it has one."""
        source = self.source
        block_loc = self.written(block)
        siblings = [
            loc
            for loc in source.columns
            if len(loc) == len(inner) + 1 and loc[:-1] == self.written(inner) and loc != written
        ]
        sibling = min(siblings, key=source.line_of) if siblings else None
        expected = source.columns[sibling] if sibling else source.columns.get(block_loc, 0) + 2
        actual = source.columns.get(written, 0)
        total = f" ({expected} en tout)" if actual else ""
        align = (
            f", pour l'aligner sur « {sibling[-1]} » (ligne {source.line_of(sibling)})"
            if sibling
            else ""
        )
        return (
            f"retrait manquant : « {written[-1]} » appartient à « {block_loc[-1]} » "
            f"(ligne {source.line_of(block_loc)}) : ajoutez "
            f"{count(expected - actual, 'espace', 'espaces')} au début de la ligne"
            f"{total}{align}"
        )
