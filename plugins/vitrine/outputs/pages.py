"""The site's HTML pages: home, one page per enterprise and event, browse pages, portfolio.

``plan`` lists every page before anything is written, so the sitemap is made
from the very same list as the pages themselves.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls as _urls
from ..build.site import Page, Report, Site
from . import contracts
from .search import index as search

# Browse pages, by vocabulary (Enterprise.codes says which codes a listing has).
BROWSE = (
    "secteurs",
    "territoires",
    "formes_juridiques",
    # Without JavaScript, the one way to find an « entreprise d'insertion ».
    "certifications",
    # The search facets « Taille de contrat » and « Faits déclarés », without JavaScript.
    "tailles_contrat",
    "faits",
)


# The pages the search index reads (search/index.py).
INDEXED = ("enterprise", "event")


def paginate(site: Site, make_url, template: str, entries: list, **context) -> Iterator[Page]:
    """``entries`` over as many pages as needed, ``VITRINE_PAGE_SIZE`` each."""
    size = site.settings.page_size
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "count": len(chunks),
            "total": len(entries),
            "previous": make_url(number - 1) if number > 1 else None,
            "next": make_url(number + 1) if number < len(chunks) else None,
        }
        yield Page(
            make_url(number), template, {"entries": chunk, "pagination": pagination, **context}
        )


def portfolio_groups(directory) -> list[tuple[str, list, list]]:
    """(sector, enterprises whose first sector it is, others also in it), non-empty only.

    Each enterprise is printed once, under its main sector; other sectors point to it.
    """
    groups = []
    for code, members in directory.by_code("secteurs").items():
        main = [e for e in members if e.data.secteurs[0] == code]
        also = [e for e in members if e.data.secteurs[0] != code]
        if members:
            groups.append((code, main, also))
    return groups


def plan(site: Site, language: str | None = None) -> Iterator[Page]:
    """Every HTML page of one language's site (the main one by default), in writing order.

    Each language has the same pages, at its own addresses (urls.Localized).
    """
    language = language or site.settings.language
    localized = _urls.Localized(language, site.settings.language)
    for page in _plan(site, language, localized):
        page.language = language
        yield page


def _plan(site: Site, language: str, urls: _urls.Localized) -> Iterator[Page]:
    directory = site.directory
    open_data = {"json": urls.directory_json(), "csv": urls.directory_csv()}
    shared = {"open_data": open_data, "portfolio_url": urls.portfolio()}
    # The campaign's text is content, edited by staff like any page (content/pages/).
    campaign = site.staff_pages.get(_urls.CAMPAIGN, {}).get(language)
    coming = directory.upcoming_events()
    # The home page's figures, not the directory: an edit no card or count shows leaves it.
    figures = {
        "enterprises": len(directory.enterprises),
        "territories_served": len(directory.territories_served()),
        **{key: directory.counts(key) for key in ("secteurs", "territoires", "certifications")},
    }
    home = {**shared, "campaign": campaign, "figures": figures, "upcoming": coming[:3]}
    yield Page(urls.home(), "home", home)
    for enterprise in directory.enterprises:
        yield Page(
            urls.enterprise(enterprise.slug),
            "enterprise",
            {"enterprise": enterprise},
        )
    for event in directory.events:
        upcoming = event.is_upcoming(directory.build_time)
        yield Page(urls.event(event.slug), "event", {"event": event, "upcoming": upcoming})
    yield Page(urls.events(), "events", {"upcoming": coming, "past": directory.past_events()})
    yield from contracts.pages(site, urls)
    yield Page(urls.search(), "search", {"shards": search.shards(site, language)})
    yield Page(urls.shortlist(), "shortlist")
    yield Page(urls.portfolio(), "portfolio", {"groups": portfolio_groups(directory)})
    yield from paginate(site, urls.directory, "directory", directory.enterprises, **shared)
    for vocabulary in BROWSE:
        # Its counts only, not the listings: editing a listing leaves it as it is.
        counts = directory.counts(vocabulary)
        yield Page(
            urls.browse_index(vocabulary),
            "browse_index",
            {"vocabulary": vocabulary, "counts": counts},
        )
        for code, members in directory.by_code(vocabulary).items():
            yield from paginate(
                site,
                lambda n, v=vocabulary, c=code: urls.browse(v, c, n),
                "browse",
                members,
                vocabulary=vocabulary,
                code=code,
            )
    for slug, texts in site.staff_pages.items():
        yield Page(urls.page(slug), "page", {"text": texts[language]})
    # Hosts serve the main language's at the root for any missing address (GitHub Pages).
    yield Page(urls.not_found(), "404")


def write(site: Site, pages: list[Page], workers: int | None = None) -> Report:
    """Write planned pages (split over the machine's cores when there are enough)."""
    return Report("pages", tuple(site.writer.write_pages(pages, workers)))
