"""Which listings and events a pull request changes, from git.

A contributor's check should speak of their own file, not of problems that were
already on the main branch. Changes are what ``BASE...HEAD`` adds, copies,
modifies or renames, plus what is not committed yet. Some changes can break
files they don't touch, so they widen the check to everything: a vocabulary
change (a code removed) and a deleted or renamed listing (an event still names it).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import Layout


class ChangesError(Exception):
    """Git could not say what changed; the message says what to do."""


@dataclass
class ChangeSet:
    """Resolved paths of the changed listing and event files."""

    files: set[Path] = field(default_factory=set)
    everything: bool = False
    reason: str = ""
    # Changed files in a listing folder that the site will never read.
    ignored: set[Path] = field(default_factory=set)


def _git(cwd: Path, *args: str) -> str:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as err:
        raise ChangesError(f"git est introuvable ou ne répond pas : {err}") from None
    if result.returncode != 0:
        raise ChangesError(result.stderr.strip() or f"git {' '.join(args)} a échoué")
    return result.stdout


def repository_root(folder: Path) -> Path | None:
    """Top folder of the git repository holding ``folder``, if any."""
    try:
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()
    except ChangesError:
        return None


def _name_status(output: str) -> list[tuple[str, str]]:
    """``git diff --name-status -z`` output → [(status letter, path)]."""
    parts = output.split("\0")
    return [(parts[i][:1], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]


def changed_paths(root: Path, base: str) -> list[tuple[str, Path]]:
    """(status, resolved path) of every file changed since ``base``, committed or not."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except ChangesError:
        remote, _, branch = base.partition("/")
        hint = f" : récupérez-la avec « git fetch {remote} {branch} »" if branch else ""
        raise ChangesError(f"la référence git « {base} » est introuvable{hint}") from None
    diff = ("diff", "--name-status", "--no-renames", "-z")
    entries = _name_status(_git(root, *diff, f"{base}...HEAD"))
    entries += _name_status(_git(root, *diff, "HEAD"))
    untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z")
    entries += [("A", name) for name in untracked.split("\0") if name]
    return [(status, (root / name).resolve()) for status, name in entries]


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(folder)


def changed_content(layout: Layout, vocabularies: Path, base: str) -> ChangeSet:
    """What to check for the changes since ``base`` (a branch, tag or commit)."""
    folders = (layout.enterprises.resolve(), layout.events.resolve())
    root = repository_root(folders[0] if folders[0].is_dir() else Path.cwd())
    if root is None:
        raise ChangesError(
            "le dossier du contenu n'est pas dans un dépôt git : "
            "vérifiez sans --changed-since pour tout valider"
        )
    changes = ChangeSet()
    for status, path in changed_paths(root, base):
        if path == vocabularies.resolve():
            changes.everything = True
            changes.reason = "les vocabulaires ont changé"
            continue
        folder = next((f for f in folders if _inside(path, f)), None)
        if folder is None:
            continue
        if status == "D":
            if not changes.everything:
                changes.reason = "une fiche ou un événement a été supprimé ou renommé"
            changes.everything = True
        elif path.parent != folder or path.suffix != ".md":
            if not path.name.startswith("."):  # .gitkeep and the like
                changes.ignored.add(path)
        else:
            changes.files.add(path)
    return changes
