"""Read one listing file: YAML front matter and a Markdown body, with line numbers.

Contributors' files are untrusted, so reading is bounded and never guesses:

* the front matter is parsed into strings, lists and maps only. PyYAML's YAML 1.1
  resolvers would turn ``NO`` into ``False`` and ``01000`` into ``512``; here every
  scalar stays the text the contributor wrote and the schema decides its type;
* aliases and anchors are refused (no "billion laughs"), and so are tags such as
  ``!!python/object`` (a value is text, never an object); nesting is capped, files
  past a size limit are refused before parsing;
* invisible characters that can hide or reorder text (control characters, bidi
  overrides) are refused, wherever they are and however they were typed;
* every value remembers the line it came from, so that an error can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 8
FENCE = "---"

# Plain scalars that YAML means as "nothing": an empty value stays empty.
_NULLS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple[str | int, ...]

# C0 controls except tab and newline, DEL, C1 controls; the Unicode line and
# paragraph separators (YAML counts them as line breaks, editors don't); the bidi
# embeddings, overrides and isolates that can make a name display backwards; and
# the two non-characters.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\ufffe\uffff]")
_BIDI_CHARS = re.compile(f"[{_BIDI}]")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ReadError(Exception):
    """A file that cannot be turned into front matter and a body."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class SourceFile:
    """A listing file split into its parts; values are plain Python data."""

    path: Path
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[Path_, int] = field(default_factory=dict)
    columns: dict[Path_, int] = field(default_factory=dict)  # of each key, from 0

    def line_of(self, loc: Path_) -> int:
        """Line of a value, or of its closest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


def normalise(text: str) -> str:
    """One spelling per text: NFC, so « é » typed two ways compares equal."""
    return unicodedata.normalize("NFC", text)


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 (a byte-order mark is accepted), LF line endings."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(
            1,
            f"fichier trop volumineux ({len(raw) // 1024} Ko) : une fiche doit faire "
            f"moins de {MAX_FILE_BYTES // 1024} Ko; raccourcissez la description",
        )
    if b"\x00" in raw:
        raise ReadError(
            raw[: raw.index(b"\x00")].count(b"\n") + 1,
            "fichier binaire (octet nul) : une fiche est un fichier texte en UTF-8",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ReadError(
            line,
            "le fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8 "
            "(dans votre éditeur : « Enregistrer sous » puis « UTF-8 »)",
        ) from None
    text = normalise(text.replace("\r\n", "\n").replace("\r", "\n"))
    found = _FORBIDDEN.search(text)
    if found:
        raise ReadError(text.count("\n", 0, found.start()) + 1, forbidden_message(found.group()))
    return text


def forbidden_message(char: str) -> str:
    """Why an invisible character is refused, and what to do about it."""
    code = f"U+{ord(char):04X}"
    if _BIDI_CHARS.match(char):
        return (
            f"caractère invisible de direction du texte ({code}) : il peut afficher le "
            "texte à l'envers; supprimez-le"
        )
    return (
        f"caractère de contrôle invisible ({code}) : supprimez-le (il vient souvent "
        "d'un copier-coller depuis un traitement de texte)"
    )


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise ReadError(
            1,
            "la fiche doit commencer par une ligne « --- », suivie des champs "
            "(nom: …, etc.) puis d'une autre ligne « --- »",
        )
    for number, line in enumerate(lines[1:], start=2):
        if line.rstrip() in (FENCE, "..."):
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]), number + 1
    raise ReadError(
        1,
        "l'en-tête ouvert par « --- » à la ligne 1 n'est jamais fermé : ajoutez une "
        "ligne « --- » après le dernier champ, avant la description",
    )


TAB_HINT = "une tabulation sert de retrait : remplacez les tabulations par des espaces"
# PyYAML's problems, in the words a contributor can act on.
_YAML_HINTS = (
    ("expected ',' or ']'", "crochet « [ » jamais fermé : terminez la liste par « ] »"),
    ("expected ',' or '}'", "accolade « { » jamais fermée : terminez-la par « } »"),
    ("quoted scalar", "guillemet jamais fermé : fermez le texte par le même guillemet"),
    ("mapping values are not allowed", "« : » inattendu : mettez la valeur entre guillemets"),
    ("expected <block end>", "retrait incohérent : alignez ce champ sur les autres"),
    ("could not find expected ':'", "chaque ligne doit avoir la forme « champ: valeur »"),
)


# « champ: » or « - champ: » at the start of a line; its indent may hold tabs.
_KEY_LINE = re.compile(r"([ \t]*)(- +)?([A-Za-z_][\w-]*):(?:[ \t]|$)")


def _spaces(number: int) -> str:
    return f"{number} espace{'s' if number > 1 else ''}"


def _indentation_hint(lines: list[str], index: int, offset: int) -> str | None:
    """Advice for a key line that aligns with no key above it: how many spaces, under what.

    The keys it could align with are the previous key line's and each shallower
    one above it; the nearest is what the contributor meant (the deeper on a tie;
    the previous line's after a tab).
    """
    found = _KEY_LINE.match(lines[index])
    if not found:
        return None
    indent, dash, key = found.groups()
    column = len(indent) + len(dash or "")
    # (column, key, file line, whether that key is a sibling or the block opener)
    levels: list[tuple[int, str, int, bool]] = []
    for number in range(index - 1, -1, -1):
        above = _KEY_LINE.match(lines[number])
        if not above or "\t" in above.group(1):
            continue
        where = len(above.group(1)) + len(above.group(2) or "")
        if not levels and not lines[number][above.end() :].split("#")[0].strip():
            # « adresse: » alone opens a block: two spaces more, as in the template.
            levels.append((where + 2, above.group(3), number + 1 + offset, False))
        if not levels or where < levels[-1][0]:
            levels.append((where, above.group(3), number + 1 + offset, True))
        if where == 0:
            break
    tab = "\t" in indent
    if not levels or (not tab and column in {level[0] for level in levels}):
        return None
    if tab:
        chosen = levels[0]
    else:
        chosen = min(levels, key=lambda level: (abs(level[0] - column), -level[0]))
    where, sibling, line, aligned = chosen
    if aligned:
        parents = [level for level in levels if level[0] < where and level[3]]
        under = f", sous « {parents[0][1]} »" if parents else ""
        align = f"pour aligner « {key} » sur « {sibling} » (ligne {line}){under}"
    else:
        align = f"pour placer « {key} » sous « {sibling} » (ligne {line})"
    if tab:
        return (
            f"une tabulation sert de retrait : remplacez-la par des espaces, "
            f"{_spaces(where)} en tout, {align}" if where else
            f"une tabulation sert de retrait : retirez-la, {align}"
        )  # fmt: skip
    if where == 0:
        return f"retrait en trop : « {key} » doit commencer la ligne, sans espace, {align}"
    return f"retrait incorrect : « {key} » a {_spaces(column)} devant; mettez-en {where} {align}"


def _yaml_error(err: yaml.YAMLError, source: str, offset: int) -> ReadError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = (mark.line + 1 + offset) if mark else offset + 1
    lines = [*source.split("\n"), ""]
    if mark:
        hint = _indentation_hint(lines, mark.line, offset)
        if hint:
            return ReadError(line, f"syntaxe YAML invalide : {hint}")
        if "\t" in lines[mark.line]:
            return ReadError(line, f"syntaxe YAML invalide : {TAB_HINT}")
    text = f"{getattr(err, 'context', '')} {getattr(err, 'problem', '') or err}"
    hint = next(
        (hint for needle, hint in _YAML_HINTS if needle in text),
        "vérifiez le retrait, les deux-points et les guillemets de cette ligne",
    )
    return ReadError(line, f"syntaxe YAML invalide : {hint}")


def parse_front_matter(text: str, offset: int) -> tuple[Any, dict[Path_, int], dict[Path_, int]]:
    """Parse YAML into str / list / dict, recording the line of every value.

    ``offset`` is the number of file lines before the YAML text, so that recorded
    lines are lines of the file. Keys' columns are recorded too, for advice
    about indentation.
    """
    lines: dict[Path_, int] = {}
    columns: dict[Path_, int] = {}
    try:
        events = iter(list(yaml.parse(text, Loader=_Loader)))
    except yaml.YAMLError as err:
        raise _yaml_error(err, text, offset) from None

    def line(event) -> int:
        return event.start_mark.line + 1 + offset

    def refuse_anchor(event) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ReadError(
                line(event),
                "les ancres et alias YAML (« & » et « * ») ne sont pas acceptés : "
                "écrivez la valeur en entier",
            )
        if getattr(event, "tag", None) is not None:
            raise ReadError(
                line(event),
                f"les étiquettes YAML (« {event.tag.replace('tag:yaml.org,2002:', '!!')} ») "
                "ne sont pas acceptées : retirez-la; "
                "pour garder un texte tel quel, mettez-le entre guillemets",
            )

    def scalar(event) -> str:
        # Quoted escapes ("\\u202e") make characters the raw-text check can't see.
        found = _FORBIDDEN.search(event.value)
        if found:
            raise ReadError(line(event), forbidden_message(found.group()))
        return normalise(event.value)

    def build(event, path: Path_, depth: int) -> Any:
        refuse_anchor(event)
        if depth > MAX_DEPTH:
            raise ReadError(line(event), "imbrication trop profonde : simplifiez la structure")
        lines.setdefault(path, line(event))
        if isinstance(event, yaml.ScalarEvent):
            if event.style in (None, "") and event.value in _NULLS:
                return None
            return scalar(event)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            for item in events:
                if isinstance(item, yaml.SequenceEndEvent):
                    return items
                items.append(build(item, (*path, len(items)), depth + 1))
        if isinstance(event, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_event in events:
                if isinstance(key_event, yaml.MappingEndEvent):
                    return mapping
                refuse_anchor(key_event)
                if not isinstance(key_event, yaml.ScalarEvent):
                    raise ReadError(line(key_event), "une clé doit être un simple mot")
                key = scalar(key_event)
                if key in mapping:
                    raise ReadError(
                        line(key_event),
                        f"le champ « {key} » apparaît deux fois : gardez-en un seul",
                    )
                lines[(*path, key)] = line(key_event)
                columns[(*path, key)] = key_event.start_mark.column
                mapping[key] = build(next(events), (*path, key), depth + 1)
        raise ReadError(line(event), "structure YAML inattendue")

    documents = []
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents.append(build(next(events), (), 0))
            next(events)  # DocumentEndEvent
    if len(documents) > 1:
        raise ReadError(offset + 1, "l'en-tête contient plusieurs documents YAML")
    return (documents[0] if documents else None), lines, columns


def read_source(path: Path, raw: bytes | None = None) -> SourceFile:
    """Read a listing file; raise ReadError with a line when it can't be read."""
    if raw is None:
        raw = path.read_bytes()
    text = decode(raw)
    front, body, body_line = split_front_matter(text)
    data, lines, columns = parse_front_matter(front, offset=1)
    if data is None:
        raise ReadError(1, "l'en-tête est vide : ajoutez les champs obligatoires (nom: …)")
    if not isinstance(data, dict):
        raise ReadError(2, "l'en-tête doit être une liste de champs « champ: valeur »")
    lines.setdefault((), 2)
    return SourceFile(path, data, body, body_line, lines, columns)
