"""The site's HTML pages: home, one page per enterprise and event, browse pages."""

from __future__ import annotations

from . import urls

# Browse pages: (vocabulary, the enterprise field that holds its codes).
BROWSE = (
    ("secteurs", "secteurs"),
    ("territoires", "territoires"),
    ("formes_juridiques", "forme_juridique"),
)


def paginate(site, make_url, template: str, entries: list, **context) -> None:
    """Write ``entries`` over as many pages as needed, ``VITRINE_PAGE_SIZE`` each."""
    size = site.vitrine_settings["VITRINE_PAGE_SIZE"]
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "count": len(chunks),
            "total": len(entries),
            "previous": make_url(number - 1) if number > 1 else None,
            "next": make_url(number + 1) if number < len(chunks) else None,
        }
        site.write_page(make_url(number), template, entries=chunk, pagination=pagination, **context)


def write(site) -> None:
    directory = site.directory
    site.write_page(urls.home(), "home")
    for enterprise in directory.enterprises:
        site.write_page(urls.enterprise(enterprise.slug), "enterprise", enterprise=enterprise)
    for event in directory.events:
        site.write_page(urls.event(event.slug), "event", event=event)
    site.write_page(urls.events(), "events")
    paginate(site, urls.directory, "directory", directory.enterprises)
    for vocabulary, attribute in BROWSE:
        groups = directory.by_code(attribute, vocabulary)
        site.write_page(
            urls.browse_index(vocabulary), "browse_index", vocabulary=vocabulary, groups=groups
        )
        for code, members in groups.items():
            paginate(
                site,
                lambda n, v=vocabulary, c=code: urls.browse(v, c, n),
                "browse",
                members,
                vocabulary=vocabulary,
                code=code,
            )
