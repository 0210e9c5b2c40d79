"""Shared helpers for browser tests: a local server, Debian's Chromium, axe-core.

The fixtures ``browser`` (one Chromium per session) and ``site_url`` (the
sample site served once per session) live in conftest.py. A test that uses
``browser`` carries the ``browser`` marker (conftest.py refuses one that
doesn't), so ``pytest -m "not browser"`` starts no Chromium. In a test::

    from browser import axe_violations, open_page

    def test_something(browser, site_url):
        page = open_page(browser, site_url + "/recherche/")
        ...
        assert page.console_errors == []

Chromium is Debian's (never a downloaded build); servers bind 127.0.0.1 only.
axe-core comes from ``tests/node_modules`` (``npm ci --prefix tests``), pinned
in ``tests/package-lock.json``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextlib.contextmanager
def launch_chromium():
    """Headless Debian Chromium; skipped where it isn't installed, except in CI."""
    if not shutil.which(CHROMIUM):
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must never pass by skipping the browser
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, url: str, *, viewport: dict | None = None, javascript: bool = True):
    """A fresh page (own context, own storage) at ``url``, in Québec French.

    ``page.console_errors`` collects console errors, uncaught exceptions and
    failed requests as they happen, so a test can assert there were none;
    ``page.requested`` every address requested.
    """
    context = browser.new_context(
        viewport=viewport or DESKTOP,
        locale="fr-CA",
        java_script_enabled=javascript,
        accept_downloads=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda err: errors.append(f"exception: {err}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.on(
        "response", lambda r: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None
    )
    page.console_errors = errors
    page.requested = []  # every address the page asked for, in order
    page.on("request", lambda r: page.requested.append(r.url))
    page.goto(url)
    return page


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.x A/AA rules) on the page; the violations of those impacts."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing: run `npm ci --prefix tests` ({AXE} not found)")
    # Evaluated, not added as a <script>: every page's Content-Security-Policy
    # refuses inline scripts, and the test must not weaken the policy it checks.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshots_asked() -> bool:
    """Screenshots only when asked for: ``VITRINE_SCREENSHOTS=1`` (``pytest --screenshots`` sets it)."""
    return os.environ.get("VITRINE_SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str) -> Path | None:
    """When asked for, save a full-page screenshot under tests/artifacts/ (git-ignored)
    for a human to look at, and return its path; otherwise do nothing (None)."""
    if not screenshots_asked():
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- the search page (test_browser_search, test_browser_languages) ---


def wait_for_results(page, after: int = 0) -> None:
    """Wait until the page shows a search newer than the ``after``-th one."""
    page.wait_for_function(
        "n => Number(document.getElementById('recherche').dataset.shown || 0) > n", arg=after
    )


def result_titles(page) -> list[str]:
    """Every result's title, pressing « Afficher plus » until all are shown."""
    more = page.locator("[data-more]")
    while more.is_visible():
        before = page.locator(".search-hit").count()
        more.click()
        # A function, not an expression: the page's CSP forbids eval (no 'unsafe-eval').
        page.wait_for_function(
            "n => document.querySelectorAll('.search-hit').length > n", arg=before
        )
    # French pages set French typography (a no-break space before « : »): titles as written.
    return [t.replace("\u00a0", " ") for t in page.locator(".search-hit h3 a").all_inner_texts()]


def open_facet(page, group: str) -> None:
    """Open a facet group as a buyer would (on a phone, behind « Filtrer »); the first one
    opened brings every facet's data."""
    counted = int(page.get_attribute("#recherche", "data-counted") or 0)
    toggle = page.locator("[data-filter-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    facet = page.locator(f'.facet[data-group="{group}"]')
    if facet.get_attribute("open") is None:
        facet.locator("summary").click()
    if not counted:
        page.wait_for_function(
            "() => Number(document.getElementById('recherche').dataset.counted || 0) > 0"
        )


def facet_counts(page, group: str) -> dict[str, int]:
    open_facet(page, group)
    counts = {}
    for label in page.locator(f'.facet[data-group="{group}"] label').all():
        text = " ".join(label.text_content().split())
        value, count = re.fullmatch(r"(.+) \((\d+)\)", text).groups()
        counts[value] = int(count)
    return counts
