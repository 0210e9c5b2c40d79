"""Site search: the Pagefind index, the search page and the « Ma sélection » page.

Runs last, after every page is written, and indexes the enterprise and event
pages as written: what a buyer finds is exactly what the pages say, with the
facets, sort keys and result metadata their templates declare
(theme/templates/_pagefind.html). Only those pages are fed to Pagefind, so
browse and list pages never compete with the listings in the results.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

from . import urls
from .problems import BuildError

logger = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"
# Only listing and event pages: browse and list pages never compete with them.
PAGES = f"{{{urls.save_as(urls.enterprise('*'))},{urls.save_as(urls.event('*'))}}}"
# Left out of the index although inside data-pagefind-body: the « Ma sélection »
# button (a macro shared with the cards) repeats the name after « Ma sélection ».
# The templates mark their own boilerplate data-pagefind-ignore.
EXCLUDED = ".shortlist-toggle"


class SearchIndexError(BuildError):
    """Pagefind failed: the site would have no search, so the build stops."""


def write(site) -> int:
    """Write the search and shortlist pages, then index every listing and event.

    Returns the number of indexed records (also kept as ``site.search_records``)
    so the build audit can compare it with the number of listings.
    """
    site.write_page(urls.search(), "search")
    site.write_page(urls.shortlist(), "shortlist")
    records = index(Path(site.output_path))
    site.search_records = records
    logger.info(
        "vitrine: index de recherche : %d fiches (%d entreprises, %d événements)",
        records,
        len(site.directory.enterprises),
        len(site.directory.events),
    )
    return records


def index(output: Path) -> int:
    """Run the Pagefind indexer over the written pages; return how many it indexed.

    The command-line indexer reads the files itself, on every core: at province
    scale it is some forty times faster than feeding pages one by one through
    Pagefind's Python API.
    """
    shutil.rmtree(output / BUNDLE_FOLDER, ignore_errors=True)
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(output), "--glob", PAGES, "--output-subdir", BUNDLE_FOLDER,
        "--exclude-selectors", EXCLUDED,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    counted = re.search(r"Indexed (\d+) pages?", result.stdout)
    if result.returncode != 0 or counted is None:
        raise SearchIndexError(
            f"l'index de recherche n'a pas pu être construit : {result.stderr or result.stdout}"
        )
    return int(counted.group(1))
