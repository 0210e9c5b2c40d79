"""Shared fixtures: the real vocabularies, scratch content trees, real Pelican builds."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from vitrine.config import build_time  # noqa: E402
from vitrine.vocabulary import load_vocabularies  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
BUILD_DATE = "2026-11-27 12:00"


@pytest.fixture(scope="session")
def vocabularies():
    return load_vocabularies(ROOT / "content" / "vocabulaires.yml")


@pytest.fixture(scope="session")
def context(vocabularies):
    return {
        "vocabularies": vocabularies,
        "today": build_time({"VITRINE_BUILD_DATE": BUILD_DATE}).date(),
    }


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def make_content(root: Path, files: dict[str, str] | None = None) -> Path:
    """A content tree: the real vocabularies plus the given files (relative paths)."""
    content = root / "content"
    (content / "enterprises").mkdir(parents=True, exist_ok=True)
    (content / "events").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "vocabulaires.yml", content / "vocabulaires.yml")
    for name, text in (files or {}).items():
        write(content / name, text)
    return content


def pelican_settings(content: Path, output: Path, **extra) -> dict:
    from pelican.settings import read_settings

    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "SITEURL": "",
        "VITRINE_BUILD_DATE": BUILD_DATE,
        **extra,
    }
    return read_settings(str(ROOT / "pelicanconf.py"), override=overrides)


def build(content: Path, output: Path, **extra) -> Path:
    """Run a real Pelican build; raises what the build raises."""
    from pelican import Pelican

    Pelican(pelican_settings(content, output, **extra)).run()
    return output


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The shipped sample content, built once for the whole session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site") / "output")
