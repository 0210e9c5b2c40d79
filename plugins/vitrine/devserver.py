"""``make devserver``: a preview that rebuilds on every save and refreshes the open browser.

It watches ``content/``, ``theme/``, ``plugins/`` and the settings file; a change
starts the same build as ``make html``. Each build runs in a fork of a process that
has already imported Pelican and Vitrine (``WarmBuilder``): importing them is about a
second of CPU, more than the rest of a one-listing rebuild at the campaign's size.
A change to Vitrine's code or to the settings starts that process afresh, so each
build runs the code as saved. When the build succeeds, every open page reloads itself. When it
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
import contextlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

PREFIX = "/__vitrine/"
POLL_SECONDS = 0.2
SETTLE_SECONDS = 0.3  # editors often write a file in several steps
# Imported once by the warm process; the rest is imported by the build as usual.
WARM_MODULES = ("pelican", "pelican.generators", "pelican.settings", "vitrine.plugin")
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
      .then(function () { window.setTimeout(check, 250); });
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


class WarmBuilder:
    """Runs ``pelican ARGS`` in a fork of a process that has imported Pelican and Vitrine.

    The warm process (``python -m vitrine.devserver --constructeur FD``) reads one
    build's arguments a line from its standard input, forks, and writes the build's
    exit code to the pipe ``FD``. Builds print straight to this terminal. Where
    forking is unavailable, each build is a fresh ``python -m pelican``.
    """

    def __init__(self, arguments: list[str]):
        self.arguments = arguments
        self.process: subprocess.Popen | None = None
        self.replies = None

    def run(self) -> int:
        if not hasattr(os, "fork"):
            return subprocess.run([sys.executable, "-m", "pelican", *self.arguments]).returncode
        if self.process is None or self.process.poll() is not None:
            self._start()
        try:
            self.process.stdin.write(json.dumps(self.arguments) + "\n")
            self.process.stdin.flush()
            reply = self.replies.readline()
        except OSError:
            reply = ""
        if not reply:  # the warm process died: a build of its own this time
            self.stop()
            return subprocess.run([sys.executable, "-m", "pelican", *self.arguments]).returncode
        return int(reply)

    def _start(self) -> None:
        read, write = os.pipe()
        command = [sys.executable, "-m", "vitrine.devserver", "--constructeur", str(write)]
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, text=True, pass_fds=(write,)
        )
        os.close(write)
        self.replies = os.fdopen(read, encoding="utf-8")

    def stop(self) -> None:
        """End the warm process (the next build starts another, with the code as saved)."""
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # it ends when its input does
            self.process.wait()
            self.replies.close()
        self.process = None


def serve_builds(replies_fd: int) -> int:
    """The warm process: import once, then one forked build per line of input."""
    import importlib

    for module in WARM_MODULES:
        importlib.import_module(module)
    with (
        os.fdopen(replies_fd, "w", encoding="utf-8") as replies,
        contextlib.suppress(KeyboardInterrupt),
    ):
        # Ctrl-C reaches the warm process too: it just ends.
        for line in sys.stdin:
            arguments = json.loads(line)
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                os._exit(_forked_build(arguments))
            _, status = os.waitpid(pid, 0)
            replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
            replies.flush()
    return 0


def _forked_build(arguments: list[str]) -> int:
    code = 1
    try:
        import pelican

        pelican.main(arguments)
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else int(done.code is not None)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return code


def build(builder: WarmBuilder) -> bool:
    """One build, its output straight to this terminal; True when it succeeded."""
    started = time.monotonic()
    returncode = builder.run()
    took = time.monotonic() - started
    if returncode == 0:
        print(f"Aperçu : site reconstruit en {took:.1f} s.", flush=True)
        return True
    print(
        "Aperçu : la construction a échoué (voir ci-dessus) : la dernière version valide "
        "du site reste affichée. Corrigez le fichier et enregistrez-le.",
        file=sys.stderr,
        flush=True,
    )
    return False


def watch(
    folders: list[Path], code: list[Path], builder: WarmBuilder, state: State, stop: threading.Event
) -> None:
    """Rebuild after each change; ``code``: files and folders whose change needs a fresh
    warm process (Vitrine's code, the settings)."""
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
        if any(Path(path).resolve().is_relative_to(place) for path, _ in changed for place in code):
            builder.stop()
        ok = build(builder)
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
    parser.add_argument("--constructeur", type=int, help=argparse.SUPPRESS)  # WarmBuilder
    args = parser.parse_args(argv)
    if args.constructeur is not None:
        return serve_builds(args.constructeur)
    content, output, settings = Path(args.content), Path(args.output), Path(args.settings)
    root = Path(__file__).resolve().parents[2]  # the repository: theme/ and plugins/
    arguments = [str(content), "-s", str(settings)]
    arguments += ["-o", str(output), "-e", 'SITEURL=""', "RELATIVE_URLS=false"]
    if args.cache:
        arguments += [f"CACHE_PATH={json.dumps(str(args.cache))}"]
    builder = WarmBuilder(arguments)
    state = State()
    print("Aperçu : première construction…", flush=True)
    state.failed = not build(builder)
    if state.failed and not (output / "index.html").is_file():
        print("Aperçu : aucun site à afficher : corrigez les erreurs ci-dessus.", file=sys.stderr)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler(output, state))
    stop = threading.Event()
    watched = [content, root / "theme", root / "plugins", settings]
    code = [(root / "plugins").resolve(), settings.resolve()]
    threading.Thread(target=watch, args=(watched, code, builder, state, stop), daemon=True).start()
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
        builder.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
