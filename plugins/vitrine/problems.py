"""A problem found in a contributor's file, and how it is printed."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing to fix: where it is, which field, and what to write instead."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.path}:{self.line}:{field} {self.message}"

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path)}


class BuildError(SystemExit):
    """Stops the build with a French message and no traceback.

    Pelican logs any ``Exception`` from a plugin with its Python traceback; a
    ``SystemExit`` passes through, and its message is all a contributor reads.
    """

    def __init__(self, message: str):
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.code)


class ContentError(BuildError):
    """Raised by the build when any listing or event is invalid."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        files = len({p.path for p in problems})
        super().__init__(
            f"{count} problème{'s' if count > 1 else ''} dans "
            f"{files} fichier{'s' if files > 1 else ''} : corrigez-les puis relancez."
        )
