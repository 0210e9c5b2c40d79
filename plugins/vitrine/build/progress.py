"""What a build has written so far, told to the preview server (``make devserver``).

The preview sets ``VITRINE_PROGRESS_FD`` to a pipe; the build writes one JSON
line there when the edited listings' own pages are written (long before the
rest of a rebuild and the search index), and one when it is done. Each page
open in the browser reloads as soon as its own file is rewritten. Without the
variable (``make html``, CI) nothing is reported.
"""

from __future__ import annotations

import json
import os

VARIABLE = "VITRINE_PROGRESS_FD"


def report(stage: str, paths) -> None:
    """``paths``: files written or removed, relative to the output folder."""
    fd = os.environ.get(VARIABLE)
    if not fd:
        return
    line = json.dumps({"etape": stage, "fichiers": sorted(paths)}) + "\n"
    try:
        os.write(int(fd), line.encode("utf-8"))
    except (OSError, ValueError):
        pass  # the server is gone or the variable is wrong: the build goes on
