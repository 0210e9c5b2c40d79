"""One issue of the digest (infolettre): what staff write in ``content/digests/``.

A digest file is tiny — a title, a period, an optional preheader, then a few lines
of introduction in Markdown — and is checked as strictly as a listing: unknown
keys refused, every problem printed as ``path:line: field: message`` in French.
``make digest PERIOD=2026-12`` writes such a file for a month (publish.new_issue).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ...content.explain import explain, field_name
from ...content.load import listing_files
from ...content.markup import render_markdown
from ...content.reader import ReadError, read_source
from ...content.schema import Day, Text
from ...problems import Problem

PREHEADER_MAX = 150
CODE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
MONTH_HINT = "écrivez un mois sous la forme AAAA-MM, par exemple « 2026-12 »"
# Error kinds raised below with a French message of their own.
OWN_ERRORS = {"month", "period", "date"}


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("period", message)


def parse_month(value: Any) -> Any:
    """« 2026-12 » → the first day of that month."""
    if not isinstance(value, str):
        return value
    if not is_month(value):
        raise PydanticCustomError("month", f"période invalide : {MONTH_HINT}")
    year, month = MONTH.match(value).groups()
    return dt.date(int(year), int(month), 1)


def is_month(text: str) -> bool:
    match = MONTH.match(text)
    return bool(match) and 1 <= int(match.group(2)) <= 12


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


Month = Annotated[dt.date, BeforeValidator(parse_month)]


class DigestData(BaseModel):
    """Front matter of ``content/digests/<code>.md``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    titre: Text = Field(description="Titre de l'infolettre (objet du courriel)")
    periode: Month | None = Field(None, description="Un mois : AAAA-MM")
    du: Day | None = Field(None, description="Premier jour de la période : AAAA-MM-JJ")
    au: Day | None = Field(None, description="Dernier jour de la période : AAAA-MM-JJ")
    preheader: Annotated[Text, StringConstraints(max_length=PREHEADER_MAX)] | None = Field(
        None, description="Texte d'aperçu affiché après l'objet dans la boîte de réception"
    )

    @model_validator(mode="after")
    def _one_period(self) -> DigestData:
        if self.periode and (self.du or self.au):
            raise _fail("écrivez soit « periode: AAAA-MM », soit « du » et « au », pas les deux")
        if not self.periode and not (self.du or self.au):
            raise _fail(
                "période manquante : ajoutez « periode: 2026-12 » (un mois) ou les deux "
                "lignes « du: 2026-12-01 » et « au: 2026-12-31 »"
            )
        if not self.periode and not (self.du and self.au):
            missing = "au" if self.du else "du"
            raise _fail(f"« du » et « au » vont ensemble : ajoutez « {missing}: AAAA-MM-JJ »")
        if self.du and self.au and self.au < self.du:
            raise _fail(
                f"la période finit ({self.au}) avant de commencer ({self.du}) : vérifiez « au »"
            )
        return self


@dataclass(frozen=True)
class Digest:
    """An issue, ready to fill: its code (the URL part), title, period and introduction."""

    code: str
    title: str
    start: dt.date
    end: dt.date
    preheader: str | None
    intro_markdown: str
    intro_html: str
    source: Path | None = None


def _problems(path: Path, source, err: ValidationError) -> list[Problem]:
    problems = []
    for error in err.errors(include_url=False):
        kind, loc = error["type"], tuple(error["loc"])
        if kind == "period":
            loc = ("au",) if "vérifiez « au »" in error["msg"] else ("periode",)
            message = error["msg"]
        elif kind in OWN_ERRORS:
            message = error["msg"]
        elif kind == "string_too_long":
            message = f"trop long (maximum {PREHEADER_MAX} caractères) : raccourcissez"
        else:
            loc, message = explain(error, DigestData)
        missing = kind == "missing" or (kind == "period" and "manquante" in message)
        line = 1 if missing else source.line_of(loc)
        problems.append(Problem(path, line, field_name(loc), message))
    return problems


def read_digest(path: Path) -> tuple[Digest | None, list[Problem]]:
    """One digest file → (Digest, []) or (None, every problem)."""
    problems = []
    if not CODE.match(path.stem):
        problems.append(
            Problem(
                path,
                1,
                "",
                "nom de fichier à changer : nommez-le d'après la période, par exemple "
                "« 2026-12.md » (minuscules, chiffres et traits d'union)",
            )
        )
    try:
        source = read_source(path)
    except ReadError as err:
        return None, [*problems, Problem(path, err.line, "", err.message)]
    except OSError as err:
        return None, [*problems, Problem(path, 1, "", f"fichier illisible : {err.strerror}")]
    try:
        data = DigestData.model_validate(source.data)
    except ValidationError as err:
        return None, [*problems, *_problems(path, source, err)]
    if problems:
        return None, problems
    start = data.periode or data.du
    end = month_end(data.periode) if data.periode else data.au
    intro = source.body.strip()
    digest = Digest(
        path.stem, data.titre, start, end, data.preheader, intro, render_markdown(intro), path
    )
    return digest, []


def load_digests(folder: Path) -> tuple[list[Digest], list[Problem]]:
    """Every digest file of ``folder``, or every problem, sorted."""
    digests, problems = [], []
    for path in listing_files(folder):
        digest, found = read_digest(path)
        problems.extend(found)
        if digest:
            digests.append(digest)
    return digests, sorted(problems)
