"""Controlled vocabularies: site data that staff extend without touching code.

``content/vocabulaires.yml`` maps, for each list, a code (what a listing writes)
to the label the site shows.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import BuildError
from .reader import decode

REQUIRED_LISTS = (
    "territoires",
    "secteurs",
    "formes_juridiques",
    "certifications",
    "langues",
    "types_evenements",
    "publics",
)
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class VocabularyError(BuildError):
    pass


@dataclass(frozen=True)
class Vocabularies:
    lists: dict[str, dict[str, str]]

    def __getitem__(self, name: str) -> dict[str, str]:
        return self.lists[name]

    def label(self, name: str, code: str) -> str:
        return self.lists[name][code]

    def closest(self, name: str, value: str) -> str | None:
        """The code a contributor most likely meant, matching codes and labels."""
        entries = self.lists[name]
        candidates = {code: code for code in entries}
        candidates.update({label.lower(): code for code, label in entries.items()})
        match = difflib.get_close_matches(value.lower(), list(candidates), n=1, cutoff=0.6)
        return candidates[match[0]] if match else None


def load_vocabularies(path: Path) -> Vocabularies:
    """Load and check the vocabulary file; raise VocabularyError naming the problem."""
    try:
        data = yaml.load(decode(path.read_bytes()), Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as err:
        raise VocabularyError(f"{path}: illisible : {err}") from None
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: doit contenir des listes « nom: {{code: libellé}} »")
    missing = [name for name in REQUIRED_LISTS if name not in data]
    if missing:
        raise VocabularyError(f"{path}: listes manquantes : {', '.join(missing)}")
    lists: dict[str, dict[str, str]] = {}
    for name, entries in data.items():
        if not isinstance(entries, dict) or not entries:
            raise VocabularyError(f"{path}: {name}: doit associer des codes à des libellés")
        for code, label in entries.items():
            if not CODE.match(code) or not isinstance(label, str) or not label:
                raise VocabularyError(
                    f"{path}: {name}: {code}: un code s'écrit en minuscules sans accents "
                    "avec des traits d'union, suivi de son libellé"
                )
        lists[name] = dict(entries)
    return Vocabularies(lists)
