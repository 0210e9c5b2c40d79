"""`make devserver`: a save rebuilds the site and the open page shows it; a bad save changes nothing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import open_page
from helpers import BUILD_DATE, ROOT, assert_same_site, build

LISTING = "enterprises/coop-octet-libre.md"
NAME = "Coopérative de travail Octet libre"
PAGE = "/entreprises/coop-octet-libre/"
TIMEOUT = 120  # seconds for one build on a busy machine


class DevServer:
    """`python -m vitrine.devserver` (what `make devserver` runs) over a copy of content/."""

    def __init__(self, tmp: Path):
        self.content = tmp / "content"
        shutil.copytree(ROOT / "content", self.content)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "VITRINE_BUILD_DATE": BUILD_DATE}
        command = [sys.executable, "-m", "vitrine.devserver", "--port", "0"]
        self.output = tmp / "output"
        command += ["--content", str(self.content), "--output", str(self.output)]
        command += ["--cache", str(tmp / "cache")]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for(r"Aperçu : (http://127\.0\.0\.1:\d+)/").group(1)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, start: int = 0) -> re.Match:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            for line in self.lines[start:]:
                if match := re.search(pattern, line):
                    return match
            assert self.process.poll() is None, "".join(self.lines)
            time.sleep(0.2)
        raise AssertionError(f"no « {pattern} » in:\n" + "".join(self.lines))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")

    def state(self) -> dict:
        return json.loads(self.get("/__vitrine/etat")[1])

    def edit(self, old: str, new: str) -> int:
        """Change the listing; returns where the server's output stood before the save."""
        path = self.content / LISTING
        mark = len(self.lines)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        return mark

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def devserver(tmp_path_factory):
    server = DevServer(tmp_path_factory.mktemp("devserver"))
    yield server
    server.stop()


@pytest.mark.browser
def test_a_save_rebuilds_and_the_open_page_reloads_itself(devserver, browser):
    status, html = devserver.get(PAGE)
    assert status == 200 and f"<h1>{NAME}</h1>" in html
    assert re.search(r'<script src="/__vitrine/recharger\.js\?depuis=\d+" defer></script>', html)
    page = open_page(browser, devserver.url + PAGE)
    assert page.locator("h1").inner_text() == NAME
    version = devserver.state()["version"]
    mark = devserver.edit(f"nom: {NAME}", "nom: Octet libre, nouveau nom")
    # The edited listing's pages are written, and said to be, before the rest of the site.
    devserver.wait_for(r"fiche modifiée à jour", mark)
    devserver.wait_for(r"site reconstruit", mark)
    state = devserver.state()
    assert state["version"] > version and not state["echec"] and not state["construction"]
    assert "<h1>Octet libre, nouveau nom</h1>" in devserver.get(PAGE)[1]
    # The open page reloaded itself, without anyone pressing F5.
    # (Polled from here: wait_for_function evaluates a string, which the page's CSP forbids.)
    deadline = time.monotonic() + 30
    while page.locator("h1").inner_text() != "Octet libre, nouveau nom":
        assert time.monotonic() < deadline, "the open page did not reload"
        time.sleep(0.3)
    assert page.console_errors == []  # the reload script passes the page's CSP
    page.context.close()


def test_only_the_pages_a_build_rewrote_reload(devserver):
    """A page asks whether its own file changed since it was served; others stay put."""
    since = devserver.state()["version"]
    mark = devserver.edit("capacite: ", "capacite: Capacité revue. ")
    devserver.wait_for(r"site reconstruit", mark)

    def reload(page: str) -> bool:
        answer = devserver.get(f"/__vitrine/etat?depuis={since}&page={page}")[1]
        return json.loads(answer)["recharger"]

    assert reload(PAGE) and reload("/en" + PAGE)  # the listing, in both languages
    assert not reload("/accessibilite/")  # a staff page the edit does not touch


def test_after_several_saves_the_site_is_a_clean_builds(devserver, tmp_path):
    """From the second build on, the warm process hands each build the caches it read
    ahead (store.hold): what they hold must never make the site differ from a clean one."""
    for number in range(2):  # each build after a held read: changes seen, records reused
        mark = devserver.edit("capacite: ", f"capacite: Revue {number}. ")
        devserver.wait_for(r"site reconstruit", mark)
    clean = build(devserver.content, tmp_path / "clean", SITEURL="", RELATIVE_URLS=False)
    assert_same_site(devserver.output, clean)


def test_a_page_question_is_held_until_its_file_changes():
    from vitrine.devserver import State

    state = State()
    started = time.monotonic()
    assert json.loads(state.answer("index.html", 0, wait=0.3))["recharger"] is False
    assert time.monotonic() - started >= 0.3  # nothing changed: held, then « no »
    threading.Timer(0.1, state.wrote, [["entreprises/a/index.html"]]).start()
    started = time.monotonic()
    answer = json.loads(state.answer("entreprises/a/index.html", 0, wait=10))
    assert answer == {"version": 1, "recharger": True, "echec": False, "construction": False}
    assert time.monotonic() - started < 5  # answered when the build reported the file
    state.wrote(["feuille.css"], everything=True)  # the theme changed: every page reloads
    assert json.loads(state.answer("index.html", 1, wait=0))["recharger"] is True


def test_an_invalid_save_prints_french_errors_and_keeps_the_last_good_site(devserver):
    before = devserver.get(PAGE)[1]
    version = devserver.state()["version"]
    mark = devserver.edit("forme_juridique: ", "forme_juridique: cooperative-imaginaire\n#")
    devserver.wait_for(r"la construction a échoué", mark)
    errors = "".join(devserver.lines[mark:])
    assert "coop-octet-libre.md:" in errors and "forme_juridique" in errors
    state = devserver.state()
    assert state["version"] > version and state["echec"] and not state["construction"]
    served = re.compile(r"recharger\.js\?depuis=\d+")  # the version each page was served at
    assert served.sub("", devserver.get(PAGE)[1]) == served.sub("", before)


def test_a_missing_address_gets_the_404_page(devserver):
    status, html = devserver.get("/nulle-part/")
    assert status == 404 and "Page introuvable" in html
    status, html = devserver.get("/en/nowhere/")
    assert status == 404 and "Page not found" in html


def test_builds_run_in_a_warm_process_started_afresh_after_a_code_change(monkeypatch, capfd):
    from vitrine.devserver import WarmBuilder

    monkeypatch.setenv("PYTHONPATH", str(ROOT / "plugins"))
    builder = WarmBuilder(["--version"])  # a build's arguments, as `pelican` takes them
    try:
        assert builder.run() == 0
        warm = builder.process.pid
        assert builder.run() == 0 and builder.process.pid == warm  # the same warm process
        builder.arguments = ["--pas-une-option"]
        assert builder.run() == 2  # a failed build's exit code comes back
        builder.stop()  # what the watcher does when plugins/ or the settings change
        builder.arguments = ["--version"]
        assert builder.run() == 0 and builder.process.pid != warm
    finally:
        builder.stop()
    assert builder.process is None
    assert "--pas-une-option" in capfd.readouterr().err  # builds print to the terminal
