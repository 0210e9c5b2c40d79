"""The theme's scripts and styles are published minified (plugin.minify_theme), and still work.

The browser tests run the published scripts; here: they are smaller than their
sources, keep no comment, and Node still parses each script.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import ROOT

SOURCES = ROOT / "theme/static"


def published(sample_site):
    folder = sample_site / "theme"
    return [p for p in sorted(folder.rglob("*")) if p.suffix in (".js", ".css")]


def test_scripts_and_styles_are_published_without_comments(sample_site):
    files = published(sample_site)
    assert {p.name for p in files} >= {"search.js", "shortlist.js", "vitrine.css", "search.css"}
    for path in files:
        source = SOURCES / path.relative_to(sample_site / "theme")
        text = path.read_text(encoding="utf-8")
        assert len(text) < len(source.read_text(encoding="utf-8")), path.name
        assert "/*" not in text, path.name  # the sources' comments are gone
        if path.suffix == ".js":
            assert "\n  " not in text, path.name  # and their indentation


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_node_still_parses_each_published_script(sample_site):
    for path in published(sample_site):
        if path.suffix == ".js":
            checked = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
