"""What a build has written so far, told to the preview server (``make devserver``).

The preview sets ``VITRINE_PROGRESS_FD`` to a pipe; the build writes one JSON
line there when the edited listings' own pages are written (long before the
rest of a rebuild and the search index), and one when it is done. Each page
open in the browser reloads as soon as its own file is rewritten. Without the
variable (``make html``, CI) nothing is reported.
"""

from __future__ import annotations

import contextlib
import json
import os

VARIABLE = "VITRINE_PROGRESS_FD"


def report(stage: str, paths, **more: str) -> None:
    """``paths``: files written or removed, relative to the output folder; ``more``:
    what else the server may use (the cache folder, which it reads ahead of the next build)."""
    fd = os.environ.get(VARIABLE)
    if not fd:
        return
    line = json.dumps({"etape": stage, "fichiers": sorted(paths), **more}) + "\n"
    # The server gone or the variable wrong: the build goes on.
    with contextlib.suppress(OSError, ValueError):
        os.write(int(fd), line.encode("utf-8"))
