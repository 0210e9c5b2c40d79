"""Shared fixtures: the real vocabularies, real Pelican builds, Chromium.

Plain helpers (paths, content trees, builds, ``soup``, ``git``) are in helpers.py,
browser helpers in browser.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import (
    BUILD_DATE,
    DIGEST_SETTINGS,
    LISTING_SITE_SETTINGS,
    LISTINGS,
    ROOT,
    build,
    digest_tree,
    make_content,
)
from vitrine.content.vocabulary import load_vocabularies
from vitrine.settings import read as read_vitrine_settings


@pytest.fixture(scope="session")
def vocabularies():
    return load_vocabularies(ROOT / "content" / "vocabulaires.yml")


@pytest.fixture(scope="session")
def context(vocabularies):
    return {
        "vocabularies": vocabularies,
        "today": read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time().date(),
    }


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The shipped sample content, built once for the whole session."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site") / "output")


@pytest.fixture(scope="session")
def listing_site(tmp_path_factory) -> Path:
    """A tiny site: one listing with every field, one with hostile text, two events."""
    root = tmp_path_factory.mktemp("listings")
    content = make_content(root, LISTINGS)
    (content / "images").mkdir()
    (content / "images/elan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return build(content, root / "output", **LISTING_SITE_SETTINGS)


@pytest.fixture(scope="session")
def digest_site(tmp_path_factory) -> Path:
    """The digest's period (helpers.DIGEST_TREE) built once: digest, feed and e-mail tests."""
    root = tmp_path_factory.mktemp("digest")
    return build(digest_tree(root), root / "output", **DIGEST_SETTINGS)


@pytest.fixture
def workspace(tmp_path):
    """Copies of the sample content and the theme to change and rebuild:
    ``(content, theme, tmp_path)``."""
    content = tmp_path / "content"
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    return content, theme, tmp_path


# --- Browser tests (helpers in tests/browser.py) -----------------------------


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        help="browser tests save screenshots in tests/artifacts/ (as VITRINE_SCREENSHOTS=1 does)",
    )


def pytest_configure(config):
    if config.getoption("--screenshots"):
        os.environ["VITRINE_SCREENSHOTS"] = "1"  # read by browser.screenshot


def pytest_collection_modifyitems(config, items):
    """A test that uses the ``browser`` fixture must carry the ``browser`` marker,
    so that ``pytest -m "not browser"`` never starts Chromium."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use the browser fixture without @pytest.mark.browser:\n  "
            + "\n  ".join(unmarked)
        )


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium, one for the whole test session.

    Playwright's sync API allows one instance per thread at a time: tests get
    Chromium from this fixture only, never from a Playwright of their own.
    """
    from browser import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture(autouse=True)
def _close_pages(request):
    """Close the pages a browser test opened and left open: the next test starts from
    none. Pages of a module-scoped fixture, opened before the test, stay open."""
    chromium = request.node.funcargs.get("browser")  # only if the test set it up
    before = set(chromium.contexts) if chromium else set()
    yield
    for context in chromium.contexts if chromium else ():
        if context not in before:
            context.close()


@pytest.fixture(scope="session")
def site_url(sample_site):
    """The sample site served on 127.0.0.1 for the whole session."""
    from browser import serve

    with serve(sample_site) as url:
        yield url
