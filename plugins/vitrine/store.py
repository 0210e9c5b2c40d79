"""One way to keep something between builds: a file in the cache folder, saved atomically.

Every cache of Vitrine (validated listings, the build record, rendered
fragments) is a ``key`` — what it depends on — and a value. A file whose key
differs, or that is missing, truncated or damaged, reads as nothing: the build
then does the work again, it never fails or trusts stale data because of a
cache. Saving writes a temporary file beside the target, then renames it, so a
build stopped half-way never leaves a half-written cache.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FORMAT = 1  # bump when what a cache file holds changes shape
# make devserver forks every build from one warm process, which reads the cache folder
# while it waits for the next save (``hold``): the forked build finds its caches read
# already. Only a forked process uses them: each has its own copy of what it changes.
HOLD_BYTES = 64 * 2**20  # bigger (a province): read by each build, as without a server
_held: dict[str, tuple[tuple[int, int, int], Any, Any]] = {}
_holder = 0
_MISSING = object()


def load(path: Path | None, key: Any) -> Any | None:
    """The value saved at ``path`` under ``key``; None when there is none to trust."""
    if path is None:
        return None
    value = _from_memory(path, key)
    if value is not _MISSING:
        return value
    try:
        with path.open("rb") as stream:
            # The key comes first: a stale file is recognised before its value is read.
            if pickle.load(stream) != (FORMAT, key):
                logger.info("Vitrine : cache périmé, ignoré : %s", path.name)
                return None
            return pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as err:  # truncated, corrupt, unreadable: start afresh
        logger.info("Vitrine : cache %s ignoré : %r", path, err)
        return None


def hold(folder: Path) -> dict[Path, Any]:
    """Read every cache file of ``folder`` now, for the builds forked from this process
    later (a file changed since is read again); returns what was read."""
    global _holder
    _held.clear()
    _holder = os.getpid()
    files = sorted(folder.glob("*.pickle")) if folder.is_dir() else []
    if sum(path.stat().st_size for path in files) > HOLD_BYTES:
        return {}
    for path in files:
        try:
            identity = _identity(path.stat())
            with path.open("rb") as stream:
                header = pickle.load(stream)
                _held[str(path.resolve())] = (identity, header, pickle.load(stream))
        except Exception:
            continue
    return {Path(name): value for name, (_, _, value) in _held.items()}


def forked() -> bool:
    """Whether this process was forked from one that holds a cache folder (``hold``)."""
    return bool(_held) and os.getpid() != _holder


def _from_memory(path: Path, key: Any) -> Any:
    if not forked():
        return _MISSING
    held = _held.get(str(path.resolve()))
    try:
        if held is None or held[0] != _identity(path.stat()) or held[1] != (FORMAT, key):
            return _MISSING
    except OSError:
        return _MISSING
    return held[2]


def _identity(stat: os.stat_result) -> tuple[int, int, int]:
    # A save replaces the file (a new inode): a rewrite is seen even within the same mtime.
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def save(path: Path | None, key: Any, value: Any) -> bool:
    """Write ``value`` under ``key`` atomically; False (and nothing left) when it can't."""
    if path is None:
        return False
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp", delete=False
        ) as stream:
            temporary = Path(stream.name)
            pickle.dump((FORMAT, key), stream, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        return True
    except Exception as err:  # the next build does the work again
        logger.warning("Vitrine : cache %s non enregistré : %r", path, err)
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        return False


def remove(path: Path | None) -> None:
    """Forget a cache (a build that must not be trusted by the next)."""
    if path is not None:
        path.unlink(missing_ok=True)
