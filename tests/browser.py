"""Shared helpers for browser tests: a local server, Debian's Chromium, axe-core.

The fixtures ``browser`` (one Chromium per session) and ``site_url`` (the
sample site served once per session) live in conftest.py. In a test::

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
    # Evaluated through the browser's debugging protocol: a <script> tag added to the
    # page would be inline code, which the pages' Content-Security-Policy blocks.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
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


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ (git-ignored) for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
