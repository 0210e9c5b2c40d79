"""Controlled vocabularies: site data that staff extend without touching code.

``content/vocabulaires.yml`` maps, for each list, a code (what a listing writes)
to the label the site shows. Its ``couvertures`` section says which values
cover which others (« toute l'Estrie » covers Sherbrooke): a listing that serves
the one serves the others, so a buyer who filters by Sherbrooke finds it.

A label is the French text (``code: Libellé``), or the French and English texts
(``code:`` then ``fr: Libellé`` and ``en: Label`` on their own lines): the English
site shows the English one, and the French one where there is none (the
translation test asks for every one).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..problems import BuildError
from .reader import ReadError, decode, parse_front_matter

REQUIRED_LISTS = (
    "territoires",
    "secteurs",
    "formes_juridiques",
    "certifications",
    "langues",
    "types_evenements",
    "publics",
)
COVERS = "couvertures"  # a section of the file, not a list of labels
# Contract-size ranges for the search facet: labels plus ``min``/``max`` amounts in dollars.
# A listing is in every range its ``capacite_contrat.montant_max`` reaches (max >= min).
SIZES = "tailles_contrat"
AMOUNT_KEYS = ("min", "max")
# The procurement facts a listing may declare (schema.py), in the order buyers check
# them: fixed by the model, so labelled here rather than in the staff's file.
FACTS = "faits"
FACT_LABELS = {
    "neq": {"fr": "NEQ", "en": "NEQ (Québec enterprise number)"},
    "rena": {"fr": "Non inscrite au RENA", "en": "Not listed at the RENA"},
    "revenu-quebec": {"fr": "Attestation de Revenu Québec", "en": "Revenu Québec certificate"},
    "assurance": {"fr": "Assurance responsabilité civile", "en": "Civil liability insurance"},
    "rbq": {"fr": "Licence RBQ", "en": "RBQ licence"},
}
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_LANGUAGE = "fr"
LABEL_LANGUAGES = ("fr", "en")  # what a label may be written in


class VocabularyError(BuildError):
    """A problem in the vocabulary file, at a line staff can go to."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Vocabularies:
    lists: dict[str, dict[str, str]]
    # covers[list][code]: every code that ``code`` covers, directly or not, in list order.
    covers: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # translated[language][list][code]: the labels written in another language than French.
    translated: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    language: str = SOURCE_LANGUAGE  # the language of ``lists``
    # sizes[code]: (min, max or None) in dollars, for each code of ``tailles_contrat``.
    sizes: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def in_language(self, language: str) -> Vocabularies:
        """The same lists with their ``language`` labels, French where one is missing."""
        if language == self.language:
            return self
        labels = self.translated.get(language, {})
        lists = {
            name: {code: labels.get(name, {}).get(code, label) for code, label in entries.items()}
            for name, entries in self.lists.items()
        }
        return Vocabularies(lists, self.covers, self.translated, language, self.sizes)

    def untranslated(self, language: str) -> list[tuple[str, str]]:
        """(list, code) of every value without a ``language`` label."""
        labels = self.translated.get(language, {})
        return [
            (name, code)
            for name, entries in self.lists.items()
            for code in entries
            if code not in labels.get(name, {})
        ]

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
        if match:
            return candidates[match[0]]
        # « traiteur » for « traiteur-alimentation »: one word of a single code.
        holding = [code for code in entries if value.lower() in code.split("-")]
        return holding[0] if len(holding) == 1 else None

    def served(self, name: str, codes: list[str]) -> list[str]:
        """The codes as written, then every code they cover, in list order, once each.

        What a listing really serves: « toute-l-estrie » also means each of its
        territories, so browse pages, search filters and counts find it there.
        """
        written = list(dict.fromkeys(codes))
        covers = self.covers.get(name)
        if not covers:
            return written
        covered = {c for code in written for c in covers.get(code, ())}.difference(written)
        return written + [code for code in self.lists[name] if code in covered]

    def sizes_reached(self, maximum: int | None) -> list[str]:
        """The contract-size ranges a listing whose largest contract is ``maximum`` reaches:
        each range whose minimum it is at least (none without a maximum)."""
        if maximum is None:
            return []
        return [code for code, (low, _) in self.sizes.items() if maximum >= low]

    def catch_alls(self, name: str) -> list[str]:
        """The codes of a list that cover others (« toute-l-estrie »), in list order."""
        return list(self.covers.get(name, {}))


def _fail(path: Path, lines: dict, loc: tuple, message: str) -> VocabularyError:
    """A VocabularyError at the line of ``loc``, or of its closest parent."""
    while loc and loc not in lines:
        loc = loc[:-1]
    return VocabularyError(path, lines.get(loc, 1), message)


def _unknown_code(vocabularies: Vocabularies, name: str, code: Any) -> str:
    guess = vocabularies.closest(name, code) if isinstance(code, str) else None
    hint = f"vouliez-vous dire « {guess} »?" if guess else "écrivez un code de cette liste"
    return f"« {code} » n'est pas un code de la liste « {name} » : {hint}"


def _direct_covers(
    path: Path, lines: dict, section: Any, vocabularies: Vocabularies
) -> dict[str, dict[str, list[str]]]:
    """The ``couvertures`` section as written, each name and code checked."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise _fail(
            path,
            lines,
            (COVERS,),
            f"{COVERS}: doit associer une liste (ex. « territoires: ») à ses couvertures",
        )
    direct: dict[str, dict[str, list[str]]] = {}
    for name, entries in section.items():
        if name not in vocabularies.lists:
            raise _fail(
                path,
                lines,
                (COVERS, name),
                f"{COVERS}: « {name} » n'est pas une liste du fichier : écrivez l'une de "
                + ", ".join(vocabularies.lists),
            )
        if not isinstance(entries, dict):
            raise _fail(
                path,
                lines,
                (COVERS, name),
                f"{COVERS}: {name}: écrivez « code: [codes qu'il couvre] », un par ligne",
            )
        direct[name] = {}
        for code, covered in entries.items():
            if code not in vocabularies.lists[name]:
                raise _fail(
                    path, lines, (COVERS, name, code), _unknown_code(vocabularies, name, code)
                )
            covered = [covered] if isinstance(covered, str) else covered
            if not isinstance(covered, list):
                raise _fail(
                    path,
                    lines,
                    (COVERS, name, code),
                    f"{COVERS}: {name}: {code}: écrivez la liste des codes couverts "
                    "entre crochets, ex. [sherbrooke, coaticook]",
                )
            for index, value in enumerate(covered):
                if value not in vocabularies.lists[name]:
                    raise _fail(
                        path,
                        lines,
                        (COVERS, name, code, index),
                        _unknown_code(vocabularies, name, value),
                    )
            direct[name][code] = covered
    return direct


def _closure(
    path: Path, lines: dict, name: str, direct: dict[str, list[str]], order: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """Every code each code covers, following covers of covers; a cycle is an error."""
    done: dict[str, set[str]] = {}

    def visit(code: str, trail: list[str]) -> set[str]:
        if code in trail:
            cycle = " couvre ".join([*trail[trail.index(code) :], code])
            raise _fail(
                path,
                lines,
                (COVERS, name, trail[-1]),
                f"{COVERS}: {name}: cycle ({cycle}) : une valeur ne peut pas se couvrir "
                "elle-même; retirez l'un de ces codes",
            )
        if code not in done:
            found: set[str] = set()
            for covered in direct.get(code, ()):
                found |= {covered, *visit(covered, [*trail, code])}
            done[code] = found
        return done[code]

    return {code: tuple(c for c in order if c in visit(code, [])) for code in direct}


def load_vocabularies(path: Path) -> Vocabularies:
    """Load and check the vocabulary file; raise VocabularyError naming the problem."""
    try:
        data, lines, _ = parse_front_matter(decode(path.read_bytes()), offset=0)
    except OSError as err:
        raise VocabularyError(path, 1, f"illisible : {err}") from None
    except ReadError as err:
        raise VocabularyError(path, err.line, err.message) from None
    if not isinstance(data, dict):
        raise VocabularyError(path, 1, "doit contenir des listes « nom: {code: libellé} »")
    missing = [name for name in REQUIRED_LISTS if name not in data]
    if missing:
        raise VocabularyError(path, 1, f"listes manquantes : {', '.join(missing)}")
    lists: dict[str, dict[str, str]] = {}
    translated: dict[str, dict[str, dict[str, str]]] = {}
    if FACTS in data:
        raise _fail(
            path,
            lines,
            (FACTS,),
            f"{FACTS}: cette liste est fixée par le modèle des fiches : retirez-la du fichier",
        )
    sizes: dict[str, tuple[int, int | None]] = {}
    for name, entries in data.items():
        if name == COVERS:
            continue
        if name == SIZES and isinstance(entries, dict):
            entries = _sizes(path, lines, entries, sizes)
        if not isinstance(entries, dict) or not entries:
            raise _fail(path, lines, (name,), f"{name}: doit associer des codes à des libellés")
        lists[name] = {}
        for code, label in entries.items():
            if not isinstance(code, str) or not CODE.match(code):
                raise _fail(
                    path,
                    lines,
                    (name, code),
                    f"{name}: {code}: un code s'écrit en minuscules sans accents "
                    "avec des traits d'union, suivi de son libellé",
                )
            labels = _labels(path, lines, name, code, label)
            lists[name][code] = labels[SOURCE_LANGUAGE]
            for language, text in labels.items():
                if language != SOURCE_LANGUAGE:
                    translated.setdefault(language, {}).setdefault(name, {})[code] = text
    lists.setdefault(SIZES, {})
    lists[FACTS] = {code: labels[SOURCE_LANGUAGE] for code, labels in FACT_LABELS.items()}
    for code, labels in FACT_LABELS.items():
        for language, text in labels.items():
            if language != SOURCE_LANGUAGE:
                translated.setdefault(language, {}).setdefault(FACTS, {})[code] = text
    vocabularies = Vocabularies(lists)
    direct = _direct_covers(path, lines, data.get(COVERS), vocabularies)
    covers = {
        name: _closure(path, lines, name, codes, lists[name]) for name, codes in direct.items()
    }
    return Vocabularies(lists, covers, translated, sizes=sizes)


def _sizes(
    path: Path, lines: dict, entries: dict, sizes: dict[str, tuple[int, int | None]]
) -> dict:
    """``tailles_contrat``: each range's amounts checked and kept in ``sizes``; its labels
    returned for the usual checks. Ranges are listed from the smallest up."""
    labels = {}
    previous: tuple[str, int] | None = None
    for code, entry in entries.items():
        if not isinstance(entry, dict) or "min" not in entry:
            raise _fail(
                path,
                lines,
                (SIZES, code),
                f"{SIZES}: {code}: écrivez sur les lignes suivantes « fr: Libellé », "
                "« en: English label », « min: 25000 » et, sauf pour la dernière tranche, "
                "« max: 121200 » (montants en dollars)",
            )
        amounts = {}
        for key in AMOUNT_KEYS:
            text = entry.get(key)
            if text is None:
                continue
            if not isinstance(text, str) or not re.fullmatch(r"\d{1,12}", text.replace(" ", "")):
                raise _fail(
                    path,
                    lines,
                    (SIZES, code, key),
                    f"{SIZES}: {code}: {key}: écrivez un montant en dollars, sans espace "
                    "ni « $ », ex. « 25000 »",
                )
            amounts[key] = int(text.replace(" ", ""))
        low, high = amounts["min"], amounts.get("max")
        if high is not None and high <= low:
            raise _fail(
                path,
                lines,
                (SIZES, code, "max"),
                f"{SIZES}: {code}: max ({high}) doit dépasser min ({low})",
            )
        if previous is not None and low <= previous[1]:
            raise _fail(
                path,
                lines,
                (SIZES, code, "min"),
                f"{SIZES}: {code}: min ({low}) doit dépasser celui de « {previous[0]} » "
                f"({previous[1]}) : rangez les tranches de la plus petite à la plus grande",
            )
        previous = (code, low)
        sizes[code] = (low, high)
        labels[code] = {k: v for k, v in entry.items() if k not in AMOUNT_KEYS}
    return labels


def _labels(path: Path, lines: dict, name: str, code: str, label: Any) -> dict[str, str]:
    """``Libellé``, or ``{fr: Libellé, en: Label}``: the labels by language, French first."""
    if isinstance(label, str) and label.strip():
        return {SOURCE_LANGUAGE: label}
    if not isinstance(label, dict):
        raise _fail(
            path,
            lines,
            (name, code),
            f"{name}: {code}: écrivez son libellé après « {code}: », ou sur les lignes "
            "suivantes « fr: Libellé » et « en: English label »",
        )
    for language, text in label.items():
        if language not in LABEL_LANGUAGES:
            raise _fail(
                path,
                lines,
                (name, code, language),
                f"{name}: {code}: « {language} » n'est pas une langue des libellés : "
                f"écrivez {' ou '.join(LABEL_LANGUAGES)}",
            )
        if not isinstance(text, str) or not text.strip():
            raise _fail(
                path,
                lines,
                (name, code, language),
                f"{name}: {code}: {language}: écrivez le libellé (du texte, sur la même ligne)",
            )
    if SOURCE_LANGUAGE not in label:
        raise _fail(
            path,
            lines,
            (name, code),
            f"{name}: {code}: le libellé français manque : ajoutez « fr: Libellé »",
        )
    return {SOURCE_LANGUAGE: label[SOURCE_LANGUAGE], **label}
