"""``make devserver``: a preview that rebuilds on every save and refreshes the open browser.

It watches ``content/``, ``theme/``, ``plugins/`` and the settings file; a change
starts the same build as ``make html``. Each build runs in a fork of a process that
has already imported Pelican and Vitrine (``WarmBuilder``): importing them is about a
second of CPU, more than the rest of a one-listing rebuild at the campaign's size.
A change to Vitrine's code or to the settings starts that process afresh, so each
build runs the code as saved. An open page reloads itself as soon as the build has
rewritten its own file: the edited listing's pages are written first and reported
at once (build/progress.py), before the rest of the site and the search index,
which catch up a second or two later. A change to the theme, the code or the
settings reloads every open page when the build is done. When a build fails — an
invalid listing, a template error — its French messages are printed here and the
last good site stays served: the build checks every file before it writes anything.

Pages reload through a small script the server adds to each HTML page it serves,
``/__vitrine/recharger.js``, which asks the server (a request held open until
something changes) whether its page was rewritten since it was served. It is
loaded from the site itself: the pages' Content-Security-Policy allows it (an
inline script, as livereload tools inject, would be blocked). Nothing of this is written to ``output/``. Local use only: the
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
from urllib.parse import parse_qs, urlsplit

from vitrine.build import progress

PREFIX = "/__vitrine/"
POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.1  # editors often write a file in several quick steps
WAIT_SECONDS = 20  # how long a page's question is held open when nothing changes
# Imported once by the warm process; the rest is imported by the build as usual.
WARM_MODULES = ("pelican", "pelican.generators", "pelican.settings", "vitrine.plugin")
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")

RELOAD_JS = """\
// Vitrine's preview (make devserver): reload this page as soon as a build rewrites it.
(function () {
  var script = document.currentScript;
  var since = new URL(script.src).searchParams.get("depuis");
  function ask() {
    var question = "/__vitrine/etat?depuis=" + since +
      "&page=" + encodeURIComponent(window.location.pathname);
    fetch(question, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.recharger) { window.location.reload(); return; }
        since = state.version;
        window.setTimeout(ask, 50);
      })
      .catch(function () { window.setTimeout(ask, 1000); });  // the server restarts
  }
  ask();
})();
"""
SCRIPT_TAG = '<script src="' + PREFIX + 'recharger.js?depuis={}" defer></script>'


class State:
    """What the server tells open pages: which files each build rewrote, and when.

    ``version`` counts what builds reported (build/progress.py); a page served at
    version N reloads once its own file, or everything, changed after N.
    """

    def __init__(self) -> None:
        self.version = 0
        self.failed = False
        self.building = False
        self.written: dict[str, int] = {}  # file under the output → version it was written at
        self.everything = 0  # version of the last change every page must show
        self.changed = threading.Condition()

    def wrote(self, files, everything: bool = False) -> None:
        with self.changed:
            self.version += 1
            self.written.update(dict.fromkeys(files, self.version))
            if everything:
                self.everything = self.version
            self.changed.notify_all()

    def built(self, ok: bool) -> None:
        with self.changed:
            self.failed, self.building = not ok, False
            self.version += 1  # an answer for pages waiting on the build's end
            self.changed.notify_all()

    def outdated(self, file: str, since: int) -> bool:
        return self.everything > since or self.written.get(file, 0) > since

    def answer(self, file: str, since: int, wait: float = WAIT_SECONDS) -> bytes:
        """Whether the page that shows ``file``, served at ``since``, must reload; held
        until it must or until the next report (at most ``wait`` seconds)."""
        with self.changed:
            if wait and not self.outdated(file, since) and self.version == since:
                self.changed.wait(wait)
            state = {
                "version": self.version,
                "recharger": self.outdated(file, since),
                "echec": self.failed,
                "construction": self.building,
            }
        return json.dumps(state).encode()


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
    exit code to the pipe ``FD``. After a build, a line ``{"tenir": folder}`` gives it the
    build's cache folder, which it reads while the next save is awaited (store.hold).
    Builds print straight to this terminal. Where forking is unavailable, each build is
    a fresh ``python -m pelican``.
    """

    def __init__(self, arguments: list[str]):
        self.arguments = arguments
        self.process: subprocess.Popen | None = None
        self.replies = None

    def run(self, on_progress=None) -> int:
        """One build; ``on_progress(report)`` for each report it makes (build/progress.py)."""
        if not hasattr(os, "fork"):
            return subprocess.run([sys.executable, "-m", "pelican", *self.arguments]).returncode
        if self.process is None or self.process.poll() is not None:
            self._start()
        cache = ""
        try:
            self.process.stdin.write(json.dumps(self.arguments) + "\n")
            self.process.stdin.flush()
            reply = self.replies.readline()
            while reply.startswith("{"):  # a report, then the exit code
                report = json.loads(reply)
                cache = report.get("cache") or cache
                if on_progress is not None:
                    on_progress(report)
                reply = self.replies.readline()
            if cache and reply.strip() == "0":
                # Read while the next save is awaited: the next build finds it done.
                self.process.stdin.write(json.dumps({"tenir": cache}) + "\n")
                self.process.stdin.flush()
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
    _warm_up()
    with (
        os.fdopen(replies_fd, "w", encoding="utf-8") as replies,
        contextlib.suppress(KeyboardInterrupt),
    ):
        # Ctrl-C reaches the warm process too: it just ends.
        for line in sys.stdin:
            arguments = json.loads(line)
            if isinstance(arguments, dict):  # the cache folder a build just wrote
                _hold(Path(arguments["tenir"]))
                continue
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                os.environ[progress.VARIABLE] = str(replies_fd)  # the build's reports
                os._exit(_forked_build(arguments))
            _, status = os.waitpid(pid, 0)
            replies.write(f"{os.waitstatus_to_exitcode(status)}\n")
            replies.flush()
    return 0


def _hold(cache: Path) -> None:
    """Read the build's caches ahead of the next build (store.hold), records unpickled."""
    from vitrine import store
    from vitrine.content import record_cache

    with contextlib.suppress(Exception):  # the build reads them itself, as usual
        record_cache.hold(store.hold(cache))


def _warm_up() -> None:
    """Work every build would redo the same way, done once for all of them: the code's
    digest (a code change restarts this process), Babel's English locale data and the
    theme's catalogues (kept by their size and date: an edited one is read again)."""
    import datetime as dt

    from vitrine import formatting, translations
    from vitrine.content.record_cache import code_version

    code_version()
    when = dt.datetime(2026, 1, 1, 8, 30)
    formatting.date_in("en", when), formatting.money_in("en", 25000)
    catalogues = Path(__file__).resolve().parents[2] / "theme" / "translations"
    for catalogue in catalogues.glob("*.po"):
        translations.load_translations(catalogues, catalogue.stem)


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


def build(builder: WarmBuilder, state: State, everything: bool = False) -> bool:
    """One build, its output straight to this terminal; True when it succeeded.

    Open pages learn from ``state`` which files it rewrote: the edited listings'
    pages as soon as it reports them, the rest once the build is over (Pelican
    copies images and styles last); with ``everything`` (the theme, the code or
    the settings changed), every page reloads then.
    """
    started = time.monotonic()
    with state.changed:
        state.building = True
    written: list[str] = []

    def reported(report: dict) -> None:
        if report.get("etape") == "fin":
            written.extend(report.get("fichiers", []))
            return
        state.wrote(report.get("fichiers", []))
        shown = time.monotonic() - started
        print(
            f"Aperçu : fiche modifiée à jour en {shown:.1f} s; la suite du site suit…", flush=True
        )

    returncode = builder.run(reported)
    took = time.monotonic() - started
    if returncode == 0:
        state.wrote(written, everything=everything)
    state.built(returncode == 0)
    if returncode == 0:
        print(f"Aperçu : site reconstruit en {took:.2f} s.", flush=True)
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
    warm process (Vitrine's code, the settings); ``folders[0]`` is the content, whose
    changes reload only the pages a build rewrites."""
    before = snapshot(folders)
    content = folders[0].resolve()
    pause = POLL_SECONDS
    while not stop.wait(pause):
        looked = time.monotonic()
        now = snapshot(folders)
        # A look costs a few ms at the campaign's size; at the province's (12,000 files)
        # it would keep a core busy: waits are then a few times as long as a look.
        pause = max(POLL_SECONDS, 4 * (time.monotonic() - looked))
        if now == before:
            continue
        time.sleep(SETTLE_SECONDS)
        last, before = before, snapshot(folders)
        changed = sorted({path for path, _ in set(last.items()) ^ set(before.items())})
        if changed:
            print(f"Aperçu : modification de {changed[0]}, reconstruction…", flush=True)
        if any(Path(path).resolve().is_relative_to(place) for path in changed for place in code):
            builder.stop()
        everything = state.failed or not all(
            Path(path).resolve().is_relative_to(content) for path in changed
        )
        build(builder, state, everything)


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
            address = urlsplit(self.path)
            path = address.path
            if path == PREFIX + "recharger.js":
                return self._send(200, "text/javascript; charset=utf-8", RELOAD_JS.encode())
            if path == PREFIX + "etat":
                return self._answer(parse_qs(address.query))
            file = self._file(path)
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
                with state.changed:  # the version this page shows
                    tag = SCRIPT_TAG.format(state.version).encode()
                body = file.read_bytes().replace(b"</head>", tag + b"</head>", 1)
                return self._send(status, "text/html; charset=utf-8", body)
            return super().do_GET()

        def _file(self, path: str) -> Path:
            file = Path(self.translate_path(path))
            return file / "index.html" if file.is_dir() else file

        def _answer(self, query: dict) -> None:
            try:
                since = int(query["depuis"][0])
            except (KeyError, ValueError):  # no page is asking: the state at once
                since, wait = state.version, 0
            else:
                wait = WAIT_SECONDS
            file = self._file(query.get("page", ["/"])[0])
            try:
                shown = file.resolve().relative_to(output.resolve()).as_posix()
            except ValueError:
                shown = ""
            self._send(200, "application/json", state.answer(shown, since, wait))

        def _send(self, status: int, kind: str, body: bytes) -> None:
            with contextlib.suppress(ConnectionError):  # a page that left (or reloaded) first
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
    build(builder, state, everything=True)
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
