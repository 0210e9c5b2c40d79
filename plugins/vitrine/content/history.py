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
    revisions: int  # commits that touched the file: calendars' SEQUENCE


def _git(folder: Path, *args: str, text: bool = True) -> str | bytes | None:
    """Output of a git command, or None when git or the history can't answer.

    File names come back as they are (``core.quotePath=false``), in UTF-8: by
    default git quotes a non-ASCII name in octal escapes (« Coop\\303\\251... »),
    which names no file, so such a listing would get no dates.
    """
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=folder,
            capture_output=True,
            encoding="utf-8" if text else None,
            errors="surrogateescape" if text else None,
            check=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout


@dataclass(frozen=True)
class Commit:
    rev: str
    day: dt.date
    time: dt.datetime | None = None  # committer time, with its offset (Atom's `updated`)
    files: int = 1  # listings and events it added or changed: many means an import

    def is_import(self, threshold: int) -> bool:
        """A bulk import or mass edit: more files than staff's threshold, never news."""
        return self.files > threshold


def file_commits(folders: list[Path]) -> dict[Path, list[Commit]] | None:
    """Every commit that touched each file under ``folders``, newest first, or None.

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
        "--format=%x00%H %cI",
        "--name-only",
        "--no-renames",
        "--",
        *[str(f) for f in existing],
    )
    if log is None:
        return None
    commits: dict[Path, list[Commit]] = {}
    for entry in log.split("\x00")[1:]:  # newest commit first
        header, _, names = entry.partition("\n")
        rev, _, time_text = header.strip().partition(" ")
        time = dt.datetime.fromisoformat(time_text)
        touched = [name.strip() for name in names.split("\n") if name.strip()]
        commit = Commit(rev, time.date(), time, len(touched))
        for name in touched:
            commits.setdefault(root / name, []).append(commit)
    return commits


def repository_dates(commits: dict[Path, list[Commit]] | None) -> dict[Path, FileDates] | None:
    """First and last commit date of every file (from ``file_commits``), or None."""
    if commits is None:
        return None
    return {
        path: FileDates(added=c[-1].day, updated=c[0].day, revisions=len(c))
        for path, c in commits.items()
    }


def imports(
    commits: dict[Path, list[Commit]] | None, threshold: int, start: dt.date, end: dt.date
) -> list[Commit]:
    """Commits of the period that touched more than ``threshold`` files, oldest first.

    The digest leaves them out and the build names them, so that staff know why
    a bulk import or a mass edit is not announced as news.
    """
    found = {
        c.rev: c
        for history in (commits or {}).values()
        for c in history
        if c.is_import(threshold) and start <= c.day <= end
    }
    return sorted(found.values(), key=lambda c: (c.day, c.rev))


def content_at(path: Path, rev: str) -> bytes | None:
    """A file as it was in commit ``rev`` (None if it did not exist there).

    Lets the digest say what changed in a listing between two dates.
    """
    path = path.resolve()
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    relative = path.relative_to(Path(top.strip())).as_posix()
    return _git(path.parent, "show", f"{rev}:{relative}", text=False)


def apply_dates(records: list, history: dict[Path, FileDates] | None) -> None:
    """Set ``added`` / ``updated`` on each record: front matter, else history."""
    folders: dict[Path, Path] = {}  # resolved once per folder, not once per file
    for record in records:
        folder = record.source.parent
        if folder not in folders:
            folders[folder] = folder.resolve()
        from_git = (history or {}).get(folders[folder] / record.source.name)
        data = record.data
        record.revisions = from_git.revisions if from_git else 0
        written = getattr(data, "date_mise_a_jour", None)
        record.added = getattr(data, "date_ajout", None) or (from_git.added if from_git else None)
        record.updated = written or (from_git.updated if from_git else None)
        # History's date is raised to the addition; the listing's own date is what
        # it says, even when it is older than the commit that brought the file.
        if not written and record.updated and record.added and record.updated < record.added:
            record.updated = record.added
