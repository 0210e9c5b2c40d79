"""``make devserver``: a preview that rebuilds on every save and refreshes the open browser.

It watches ``content/``, ``theme/``, ``plugins/`` and the settings file; a change
starts the same build as ``make html`` (a fresh process, so changes to Vitrine's own
code count too). When the build succeeds, every open page reloads itself. When it
fails — an invalid listing, a template error — its French messages are printed here
and the last good site stays served: the build checks every file before it writes
anything.

Pages reload through a small script the server adds to each HTML page it serves,
``/__vitrine/recharger.js``, loaded from the site itself: the pages'
Content-Security-Policy allows it (an inline script, as livereload tools inject,
would be blocked). Nothing of this is written to ``output/``. Local use only: the
server listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

PREFIX = "/__vitrine/"
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.3  # editors often write a file in several steps
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")

RELOAD_JS = """\
// Vitrine's preview (make devserver): reload this page after each successful build.
(function () {
  var seen = null;
  function check() {
    fetch("/__vitrine/etat", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen === null) { seen = state.version; }
        else if (state.version !== seen) { window.location.reload(); }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(check, 700); });
  }
  check();
})();
"""
SCRIPT_TAG = f'<script src="{PREFIX}recharger.js" defer></script>'.encode()


class State:
    """What the server shows: the number of the last good build, and the last failure."""

    def __init__(self) -> None:
        self.version = 0
        self.failed = False
        self.lock = threading.Lock()

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "echec": self.failed}).encode()


def snapshot(folders: list[Path]) -> dict[str, float]:
    """Every watched file and its modification time."""
    files = {}
    for folder in folders:
        if folder.is_file():
            files[str(folder)] = folder.stat().st_mtime_ns
            continue
        for root, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in names:
                if name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                try:
                    files[path] = os.stat(path).st_mtime_ns
                except FileNotFoundError:
                    continue
    return files


def build(command: list[str]) -> bool:
    """One build, its output straight to this terminal; True when it succeeded."""
    started = time.monotonic()
    result = subprocess.run(command)
    took = time.monotonic() - started
    if result.returncode == 0:
        print(f"Aperçu : site reconstruit en {took:.1f} s.", flush=True)
        return True
    print(
        "Aperçu : la construction a échoué (voir ci-dessus) : la dernière version valide "
        "du site reste affichée. Corrigez le fichier et enregistrez-le.",
        file=sys.stderr,
        flush=True,
    )
    return False


def watch(folders: list[Path], command: list[str], state: State, stop: threading.Event) -> None:
    before = snapshot(folders)
    while not stop.wait(POLL_SECONDS):
        now = snapshot(folders)
        if now == before:
            continue
        time.sleep(SETTLE_SECONDS)
        before = snapshot(folders)
        changed = sorted(set(now.items()) ^ set(before.items()))
        if changed:
            print(f"Aperçu : modification de {changed[0][0]}, reconstruction…", flush=True)
        ok = build(command)
        with state.lock:
            state.failed = not ok
            if ok:
                state.version += 1


def handler(output: Path, state: State):
    class Preview(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(output), **kwargs)

        def log_message(self, format, *args):  # quiet: the builds' messages matter here
            pass

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == PREFIX + "recharger.js":
                return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
            if path == PREFIX + "etat":
                return self._send(200, "application/json", state.as_json())
            file = Path(self.translate_path(path))
            if file.is_dir():
                file = file / "index.html"
                if not path.endswith("/"):
                    return super().do_GET()  # the redirect to the address with a slash
            status = 200
            if not file.is_file():  # each site's own 404 page: en/404.html under /en/
                local = output / path.strip("/").split("/")[0] / "404.html"
                inside = local.resolve().parent.parent == output.resolve()
                file, status = (local if inside and local.is_file() else output / "404.html"), 404
            if file.suffix == ".html" and file.is_file():
                body = file.read_bytes().replace(b"</head>", SCRIPT_TAG + b"</head>", 1)
                return self._send(status, "text/html; charset=utf-8", body)
            return super().do_GET()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Preview


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vitrine.devserver", description=__doc__)
    parser.add_argument("--content", default="content", help="dossier du contenu")
    parser.add_argument("--output", default="output", help="dossier du site construit")
    parser.add_argument("--settings", default="pelicanconf.py", help="réglages du site")
    parser.add_argument("--cache", help="dossier du cache (par défaut : celui des réglages)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 : un port libre)")
    args = parser.parse_args(argv)
    content, output, settings = Path(args.content), Path(args.output), Path(args.settings)
    root = Path(__file__).resolve().parents[2]  # the repository: theme/ and plugins/
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings)]
    command += ["-o", str(output), "-e", 'SITEURL=""', "RELATIVE_URLS=false"]
    if args.cache:
        command += [f"CACHE_PATH={json.dumps(str(args.cache))}"]
    state = State()
    print("Aperçu : première construction…", flush=True)
    state.failed = not build(command)
    if state.failed and not (output / "index.html").is_file():
        print("Aperçu : aucun site à afficher : corrigez les erreurs ci-dessus.", file=sys.stderr)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler(output, state))
    stop = threading.Event()
    watched = [content, root / "theme", root / "plugins", settings]
    threading.Thread(target=watch, args=(watched, command, state, stop), daemon=True).start()
    print(
        f"Aperçu : http://127.0.0.1:{server.server_address[1]}/ "
        "(reconstruit à chaque enregistrement ; Ctrl-C pour arrêter)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
