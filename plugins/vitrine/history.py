"""When each listing was added and last changed, from the repository's history.

Staff should not bump dates by hand: ``git log`` knows when a file first appeared
and when it last changed. A listing's ``date_ajout`` / ``date_mise_a_jour``
override history. Without usable history (no git, a shallow clone, a file not
yet committed) the front-matter dates are all there is, and the build says so.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileDates:
    added: dt.date
    updated: dt.date


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout


def repository_dates(folders: list[Path]) -> dict[Path, FileDates] | None:
    """First and last commit date of every file under ``folders``, or None.

    One ``git log`` for the whole tree: cheap even with thousands of listings.
    None means history is unavailable or truncated (shallow clone).
    """
    existing = [f.resolve() for f in folders if f.is_dir()]
    if not existing:
        return None
    top = _git(existing[0], "rev-parse", "--show-toplevel")
    shallow = _git(existing[0], "rev-parse", "--is-shallow-repository")
    if top is None or shallow is None:
        return None
    if shallow.strip() == "true":
        logger.warning(
            "vitrine: clone superficiel, historique incomplet : les dates d'ajout et de "
            "mise à jour viennent des fiches (date_ajout, date_mise_a_jour) seulement"
        )
        return None
    root = Path(top.strip())
    log = _git(
        root,
        "log",
        "--format=%x00%cs",
        "--name-only",
        "--no-renames",
        "--",
        *[str(f) for f in existing],
    )
    if log is None:
        return None
    dates: dict[Path, FileDates] = {}
    for entry in log.split("\x00")[1:]:  # newest commit first
        day_text, _, names = entry.partition("\n")
        day = dt.date.fromisoformat(day_text.strip())
        for name in names.split("\n"):
            if not name.strip():
                continue
            path = root / name.strip()
            known = dates.get(path)
            dates[path] = FileDates(added=day, updated=known.updated if known else day)
    return dates


def apply_dates(records: list, history: dict[Path, FileDates] | None) -> None:
    """Set ``added`` / ``updated`` on each record: front matter, else history."""
    for record in records:
        from_git = (history or {}).get(record.source.resolve())
        data = record.data
        record.added = data.date_ajout or (from_git.added if from_git else None)
        record.updated = data.date_mise_a_jour or (from_git.updated if from_git else None)
        if record.updated and record.added and record.updated < record.added:
            record.updated = record.added
