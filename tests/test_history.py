"""Dates from git (content/history.py): when each listing was added and last
changed, read from a real repository made in a temporary folder."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest
from helpers import BUILD_DATE, git, listing, make_content
from vitrine.content.history import (
    apply_dates,
    content_at,
    file_commits,
    repository_dates,
)
from vitrine.content.load import load_directory
from vitrine.settings import Layout
from vitrine.settings import read as read_vitrine_settings

OCTOBER, DECEMBER, JANUARY = "2026-10-05", "2026-12-10", "2027-01-15"


@pytest.fixture(autouse=True)
def no_user_git_config(monkeypatch):
    """history.py's own git commands see no user or system configuration either."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def commit(repo: Path, day: str, files: dict[str, str | None]) -> str:
    """Write (or, for None, delete) files under ``repo``, commit them on ``day``; the revision."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"changements du {day}", day=day)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """Three commits: two listings and an event in October; one listing changed and
    one added in December; the first changed again and the event renamed in January."""
    root = tmp_path / "depot"
    make_content(root)
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        OCTOBER,
        {
            "content/enterprises/alpha.md": listing("Alpha"),
            "content/enterprises/beta.md": listing("Beta"),
            "content/events/atelier.md": "---\ntitre: Atelier\n---\n",
            "README.md": "Hors du contenu.\n",
        },
    )
    commit(
        root,
        DECEMBER,
        {
            "content/enterprises/alpha.md": listing("Alpha", offer=("Service", "Traiteur")),
            "content/enterprises/gamma.md": listing("Gamma"),
            "README.md": "Toujours hors du contenu.\n",
        },
    )
    commit(
        root,
        JANUARY,
        {
            "content/enterprises/alpha.md": listing("Alpha", offer=("Traiteur",)),
            "content/events/atelier.md": None,
            "content/events/atelier-2027.md": "---\ntitre: Atelier\n---\n",
        },
    )
    return root


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def folders(repo: Path) -> list[Path]:
    return [repo / "content/enterprises", repo / "content/events"]


def test_each_file_has_its_commits_newest_first(repo):
    commits = file_commits(folders(repo))
    top = repo.resolve()
    alpha = commits[top / "content/enterprises/alpha.md"]
    assert [c.day for c in alpha] == [day(JANUARY), day(DECEMBER), day(OCTOBER)]
    assert alpha[0].rev == git(repo, "rev-parse", "HEAD").strip()
    assert [c.day for c in commits[top / "content/enterprises/gamma.md"]] == [day(DECEMBER)]
    assert top / "README.md" not in commits  # only the folders asked for
    assert all(path.is_absolute() for path in commits)


def test_first_and_last_commit_give_added_updated_and_revisions(repo):
    dates = repository_dates(file_commits(folders(repo)))
    top = repo.resolve()
    alpha = dates[top / "content/enterprises/alpha.md"]
    assert (alpha.added, alpha.updated, alpha.revisions) == (day(OCTOBER), day(JANUARY), 3)
    beta = dates[top / "content/enterprises/beta.md"]
    assert (beta.added, beta.updated, beta.revisions) == (day(OCTOBER), day(OCTOBER), 1)
    # A renamed file starts again: git is asked not to follow renames.
    renamed = dates[top / "content/events/atelier-2027.md"]
    assert (renamed.added, renamed.updated) == (day(JANUARY), day(JANUARY))


def test_a_file_as_it_was_in_an_earlier_commit(repo):
    alpha = repo / "content/enterprises/alpha.md"
    revisions = [c.rev for c in file_commits(folders(repo))[alpha.resolve()]]
    assert content_at(alpha, revisions[-1]) == listing("Alpha").encode("utf-8")
    assert (
        content_at(alpha, revisions[1]) == listing("Alpha", offer=("Service", "Traiteur")).encode()
    )
    gamma = repo / "content/enterprises/gamma.md"
    assert content_at(gamma, revisions[-1]) is None  # not there yet in October


def test_outside_a_repository_there_is_no_history(tmp_path):
    content = make_content(tmp_path)
    assert file_commits([content / "enterprises", content / "events"]) is None
    assert file_commits([tmp_path / "absent"]) is None
    assert repository_dates(None) is None
    assert content_at(content / "vocabulaires.yml", "HEAD") is None


def test_a_shallow_clone_has_no_history_and_the_build_says_so(repo, tmp_path, caplog):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.resolve().as_uri(), str(clone))
    with caplog.at_level(logging.WARNING, logger="vitrine.content.history"):
        assert file_commits(folders(clone)) is None
    assert "clone superficiel" in caplog.text


def test_a_listing_file_named_with_accents_gets_its_dates(tmp_path):
    """A file name is a listing's address only once slugified: « Coopérative.md » is valid."""
    git(tmp_path, "init", "-q", "-b", "main")
    make_content(tmp_path)
    commit(tmp_path, OCTOBER, {"content/enterprises/Coopérative Été.md": listing("Été")})
    dates = repository_dates(file_commits([tmp_path / "content/enterprises"]))
    path = tmp_path.resolve() / "content/enterprises/Coopérative Été.md"
    assert path in dates and dates[path].added == day(OCTOBER)


# --- on the listings: front matter first, then history ---------------------------


def load(content: Path, vocabularies):
    layout = Layout(content / "enterprises", content / "events")
    directory, problems = load_directory(
        layout, vocabularies, read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time()
    )
    assert problems == []
    return {e.slug: e for e in directory.enterprises}


def test_front_matter_dates_win_and_history_fills_the_rest(tmp_path, vocabularies):
    content = make_content(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    enterprises = "content/enterprises"
    commit(
        tmp_path,
        OCTOBER,
        {
            f"{enterprises}/historique.md": listing("Historique"),
            f"{enterprises}/ajout-declare.md": listing("Ajout déclaré", added="2020-02-02"),
            f"{enterprises}/tout-declare.md": listing(
                "Tout déclaré", added="2020-02-02", updated="2021-03-03"
            ),
            f"{enterprises}/plus-tard.md": listing("Plus tard", added="2027-06-01"),
        },
    )
    commit(
        tmp_path,
        DECEMBER,
        {f"{enterprises}/historique.md": listing("Historique", offer=("Autre",))},
    )
    (content / "enterprises/pas-encore.md").write_text(listing("Pas encore"), encoding="utf-8")
    records = load(content, vocabularies)
    history = repository_dates(file_commits([content / "enterprises", content / "events"]))
    apply_dates(list(records.values()), history)

    def dates(slug):
        r = records[slug]
        return r.added, r.updated, r.revisions

    assert dates("historique") == (day(OCTOBER), day(DECEMBER), 2)
    assert dates("ajout-declare") == (day("2020-02-02"), day(OCTOBER), 1)
    assert dates("tout-declare") == (day("2020-02-02"), day("2021-03-03"), 1)
    # Added (by hand) after its last change: never updated before it was added.
    assert dates("plus-tard") == (day("2027-06-01"), day("2027-06-01"), 1)
    assert dates("pas-encore") == (None, None, 0)  # not committed yet


def test_without_history_only_front_matter_dates_remain(tmp_path, vocabularies):
    content = make_content(
        tmp_path,
        {
            "enterprises/datee.md": listing("Datée", added="2026-01-05", updated="2026-02-01"),
            "enterprises/sans-date.md": listing("Sans date"),
        },
    )
    records = load(content, vocabularies)
    apply_dates(list(records.values()), None)
    assert (records["datee"].added, records["datee"].updated) == (
        day("2026-01-05"),
        day("2026-02-01"),
    )
    assert (records["sans-date"].added, records["sans-date"].updated) == (None, None)
    assert records["datee"].revisions == records["sans-date"].revisions == 0
