"""Site search: the Pagefind index, the search page and the « Ma sélection » page.

Runs last, after every page is written, and indexes the enterprise and event
pages as written: what a buyer finds is exactly what the pages say, with the
facets, sort keys and result metadata their templates declare
(theme/templates/_pagefind.html). Only those pages are fed to Pagefind, so
browse and list pages never compete with the listings in the results.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import PagefindIndex

from . import urls

logger = logging.getLogger(__name__)

BUNDLE_FOLDER = "pagefind"


def write(site) -> int:
    """Write the search and shortlist pages, then index every listing and event.

    Returns the number of indexed records (also kept as ``site.search_records``)
    so the build audit can compare it with the number of listings.
    """
    site.write_page(urls.search(), "search")
    site.write_page(urls.shortlist(), "shortlist")
    output = Path(site.output_path)
    pages = [urls.enterprise(e.slug) for e in site.directory.enterprises]
    pages += [urls.event(ev.slug) for ev in site.directory.events]
    # Pagefind's API is async. Its own thread and event loop, so the build also
    # works when called from code that already runs a loop (Playwright, Jupyter).
    with ThreadPoolExecutor(max_workers=1) as worker:
        records = worker.submit(asyncio.run, _index(output, pages)).result()
    site.search_records = records
    logger.info(
        "vitrine: index de recherche : %d fiches (%d entreprises, %d événements)",
        records,
        len(site.directory.enterprises),
        len(site.directory.events),
    )
    return records


async def _index(output: Path, pages: list[str]) -> int:
    """Feed each written page to Pagefind under its site-relative URL."""
    records = 0
    # Leaving the context writes the bundle (and only if nothing failed).
    async with PagefindIndex({"output_path": str(output / BUNDLE_FOLDER)}) as index:
        for url in pages:
            html = (output / urls.save_as(url)).read_text(encoding="utf-8")
            await index.add_html_file(content=html, url=f"/{url}")
            records += 1
    return records
