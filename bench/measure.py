"""Measurements: a process's time and peak memory, a folder's size, a first search.

Each build runs as a child process and is reaped with ``os.wait4``, whose
resource usage is that child's (with its own waited-for children): the peak RSS
of one build, not of the benchmark. A first search is measured for real: the
built site is served on 127.0.0.1 and Debian's Chromium runs Pagefind's own
JavaScript, and every byte it receives is counted, as served (uncompressed) and
as a host that gzip-compresses text responses would send it.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What each file Pagefind fetches is, by its extension.
KINDS = {
    ".js": "js",
    ".json": "entry",  # pagefind-entry.json; tri-<key>.json only for sorted searches
    ".pagefind": "wasm",
    ".pf_meta": "meta",
    ".pf_index": "index",
    ".pf_filter": "filters",
    ".pf_fragment": "fragments",
}


@dataclass
class Run:
    seconds: float
    cpu_seconds: float  # user + system: what contention on a shared machine doesn't inflate
    peak_rss_kib: int
    returncode: int
    log: Path

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def run(command: list[str], log: Path, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run a command to completion; wall time and peak RSS of it and its children."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss, process.returncode, log)


@dataclass
class Size:
    bytes: int
    files: int


def folder_size(folder: Path, exclude: Path | None = None) -> Size:
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not (exclude and path.is_relative_to(exclude)):
            total += path.stat().st_size
            files += 1
    return Size(total, files)


# --- First search -------------------------------------------------------------

ASSET = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*\shref)=["']([^"'?#]+\.(?:js|css))""")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        return None


GZIP_MAGIC = b"\x1f\x8b"


def transfer_size(body: bytes) -> int:
    """Bytes on the wire from a host that gzip-compresses text (level 6, nginx's and
    Apache's usual level): files already gzip-compressed — Pagefind's .pf_* files and its
    WebAssembly — go as they are, and so does anything gzip would not make smaller."""
    if body.startswith(GZIP_MAGIC):
        return len(body)
    return min(len(body), len(gzip.compress(body, compresslevel=6, mtime=0)))


def search_page(site: Path) -> dict[str, int]:
    """The site's search page and the scripts and styles it loads, with their sizes.

    The search page is the top-level page one of whose local scripts uses
    Pagefind (its own script or Pagefind's UI); empty when there is none.
    """
    for page in [site / "index.html", *sorted(site.glob("*/index.html"))]:
        if not page.is_file():
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        local = [site / ref.lstrip("/") for ref in ASSET.findall(text) if "://" not in ref]
        files = [path for path in local if path.is_file()]
        scripts = [path for path in files if path.suffix == ".js"]
        if any(
            "pagefind" in path.read_text(encoding="utf-8", errors="replace") for path in scripts
        ):
            found = [page, *files]
            return {str(path.relative_to(site)): path.stat().st_size for path in found}
    return {}


def page_weight(site: Path, page: str) -> int:
    """Bytes of one page with the local styles and scripts it links, search bundle excluded."""
    html = site / page
    if not html.is_file():
        return 0
    text = html.read_text(encoding="utf-8", errors="replace")
    assets = {
        site / ref.lstrip("/")
        for ref in ASSET.findall(text)
        if "://" not in ref and not ref.lstrip("/").startswith("pagefind/")
    }
    return html.stat().st_size + sum(a.stat().st_size for a in assets if a.is_file())


def browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


def first_search(site: Path, query: str) -> dict:
    """Bytes Chromium downloads to show the first results of a search on the site's search page.

    Opens the search page with the query in its address, as the header's search
    form does, and waits until the page shows its results. Counts every
    response: the page with its scripts and styles (``ui``), and under
    ``pagefind/`` the engine, the WebAssembly, the entry, metadata and index
    files of every shard and the fragments of the results shown (facet data
    comes when a buyer opens a facet, so it is not part of a first search).

    The ``*_gzip`` figures are the same bytes as a host that gzip-compresses text
    responses would transfer them (``transfer_size``): what a buyer downloads
    from a usual web host. The uncompressed figures are the upper bound.
    """
    from playwright.sync_api import sync_playwright

    pages = list(search_page(site))
    if not pages:
        raise RuntimeError("pas de page de recherche dans le site")
    address = Path(pages[0]).parent.as_posix().strip(".")
    handler = functools.partial(_Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received: dict[str, int] = {}
    transferred: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            responses = []
            page.on("response", lambda response: responses.append(response))
            base = f"http://127.0.0.1:{server.server_address[1]}"
            page.goto(f"{base}/{address}/?q={quote(query)}".replace("//?", "/?"))
            page.wait_for_selector("[data-shown]", state="attached", timeout=120_000)
            results = int(page.get_attribute("[data-shown]", "data-results") or 0)
            for response in responses:
                path = urlsplit(response.url.removeprefix(base)).path
                if response.ok:
                    body = response.body()
                    received[path] = len(body)
                    transferred[path] = transfer_size(body)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    engine = [path for path in received if "/pagefind/" in path]
    ui = [path for path in received if path not in engine]
    kinds: dict[str, int] = {}
    kinds_gzip: dict[str, int] = {}
    for path in engine:
        kind = KINDS.get(Path(path).suffix, "other")
        kinds[kind] = kinds.get(kind, 0) + received[path]
        kinds_gzip[kind] = kinds_gzip.get(kind, 0) + transferred[path]
    return {
        "query": query,
        "results": results,
        "engine_bytes": sum(received[path] for path in engine),
        "ui_bytes": sum(received[path] for path in ui),
        "by_kind": kinds,
        "ui": {path.lstrip("/"): received[path] for path in ui},
        "requests": len(received),
        # As sent by a host that gzip-compresses text responses (transfer_size).
        "engine_bytes_gzip": sum(transferred[path] for path in engine),
        "ui_bytes_gzip": sum(transferred[path] for path in ui),
        "by_kind_gzip": kinds_gzip,
        "ui_gzip": {path.lstrip("/"): transferred[path] for path in ui},
    }


# --- Preview ------------------------------------------------------------------

PREVIEW_ADDRESS = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def _wait_until_idle(port: str) -> None:
    """Until the preview server says no build is running, then a little more."""
    import urllib.request

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__vitrine/etat") as answer:
            if not json.loads(answer.read()).get("construction"):
                break
        time.sleep(0.1)
    time.sleep(1)


def preview_latency(command, cwd, env, log: Path, page: str, edit, repeat: int, seconds: list):
    """Time from saving a file to Chromium showing the change, under the preview server.

    Starts ``command`` (``python -m vitrine.devserver … --port 0``), waits for its
    first build, opens ``page`` in Chromium, then ``repeat`` times: calls ``edit(n)``
    (which saves a listing and returns the text its page must now show) and polls
    the page's text every 20 ms until it shows it. The page reloads itself, as a
    contributor's would (the server's recharger.js). Appends each time to ``seconds``.
    """
    from playwright.sync_api import Error, sync_playwright

    server, port = _start_preview(command, cwd, env, log)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            tab = browser.new_page()
            tab.goto(f"http://127.0.0.1:{port}{page}")
            for attempt in range(repeat):
                _wait_until_idle(port)  # the last save's build has ended (search index included)
                marker = edit(attempt)
                saved = time.perf_counter()
                while True:
                    try:
                        text = tab.evaluate("() => document.body ? document.body.innerText : ''")
                    except Error:  # reloading
                        text = ""
                    if marker in text.replace("\u00a0", " ").replace("\u202f", " "):
                        break
                    if time.perf_counter() - saved > 120:
                        raise RuntimeError(f"l'aperçu ne montre pas la modification (voir {log})")
                    time.sleep(0.02)
                seconds.append(time.perf_counter() - saved)
            browser.close()
    finally:
        _stop(server)


def preview_rebuilds(command, cwd, env, log: Path, edit, repeat: int, rebuilt: re.Pattern) -> list:
    """The preview server's own timing of ``repeat`` rebuilds, one saved file each, with
    no browser open: seconds from the change seen to the whole site rebuilt (``rebuilt``
    matches the server's line and captures them)."""
    server, port = _start_preview(command, cwd, env, log)
    try:
        for attempt in range(repeat):
            _wait_until_idle(port)
            done = len(rebuilt.findall(log.read_text(encoding="utf-8")))
            edit(attempt)
            deadline = time.monotonic() + 120
            while len(rebuilt.findall(log.read_text(encoding="utf-8"))) == done:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"l'aperçu ne reconstruit pas le site (voir {log})")
                time.sleep(0.05)
    finally:
        _stop(server)
    return [float(found) for found in rebuilt.findall(log.read_text(encoding="utf-8"))][1:]


def _start_preview(command, cwd, env, log: Path) -> tuple[subprocess.Popen, str]:
    """The preview server, started, and its port once it serves the first build."""
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    port = None
    deadline = time.monotonic() + 600
    while port is None:
        if server.poll() is not None or time.monotonic() > deadline:
            _stop(server)
            raise RuntimeError(f"l'aperçu ne démarre pas (voir {log})")
        found = PREVIEW_ADDRESS.search(log.read_text(encoding="utf-8", errors="replace"))
        port = found and found.group(1)
        time.sleep(0.1)
    return server, port


def _stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
