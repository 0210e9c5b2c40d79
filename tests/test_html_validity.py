"""Every web page of the sample site passes the Nu HTML Checker (the W3C's validator).

vnu.jar comes from the vnu-jar npm package (``npm ci --prefix tests``) and runs on
the machine's Java, once over all pages: starting Java per page would cost minutes.
The digest's e-mail HTML (``courriel.html``) is left out: it is written for e-mail
programs (Outlook's conditional comments, merge tags such as ``*|UNSUB|*``), not
for browsers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

VNU = Path(__file__).parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EMAIL = "courriel.html"


def web_pages(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if path.name != EMAIL)


@pytest.fixture(scope="session")
def nu_messages(sample_site) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail(f"the Nu HTML Checker needs Java and {VNU}: run `npm ci --prefix tests`")
    pages = [str(path) for path in web_pages(sample_site)]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(run.stderr or run.stdout)["messages"]


def test_the_checker_sees_every_kind_of_page(sample_site):
    names = {str(path.relative_to(sample_site)) for path in web_pages(sample_site)}
    assert {"index.html", "recherche/index.html", "infolettre/2026-11/index.html"} <= names
    assert any(name.startswith("entreprises/") for name in names)
    assert any(name.startswith("evenements/2026-") for name in names)
    assert len(names) > 50


def test_every_web_page_has_no_nu_html_checker_error(sample_site, nu_messages):
    errors = [
        f"{Path(unquote(m['url'].removeprefix('file:'))).relative_to(sample_site)}:"
        f"{m.get('lastLine', '?')}: {m['message']}"
        for m in nu_messages
    ]
    assert errors == []
