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


def load(path: Path | None, key: Any) -> Any | None:
    """The value saved at ``path`` under ``key``; None when there is none to trust."""
    if path is None:
        return None
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
