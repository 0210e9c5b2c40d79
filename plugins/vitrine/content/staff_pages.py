"""The staff's own pages (content/pages/): the campaign, the guide, accessibility, privacy.

Pelican reads them (Markdown, with its metadata); Vitrine writes them in every
language of the site, like its other pages (outputs/pages.py), so each has its
twin, its language switch and its ``hreflang`` pairs.

A page's version in another language is a file of its own with ``Lang: en`` and
the same ``Slug:`` as the French page (Pelican's translations), kept in
content/pages/en/. A site language a page has no version in shows the text the
page has, marked with its language (theme/templates/page.html).
"""

from __future__ import annotations


def texts(pelican_pages, languages) -> dict[str, dict[str, dict[str, str]]]:
    """{slug: {language: {title, summary, body, language}}}, every slug in every language.

    ``pelican_pages`` are Pelican's pages in the main language, or in the one
    language they are written in (``page.translations`` holds the others).
    """
    pages = {}
    for page in sorted(pelican_pages, key=lambda p: p.slug):
        versions = {version.lang: version for version in page.translations}
        versions[page.lang] = page
        pages[page.slug] = {language: _text(versions.get(language, page)) for language in languages}
    return pages


def _text(page) -> dict[str, str]:
    # Plain strings: a page is written again only when one of them changed (build/incremental.py).
    return {
        "title": str(page.title),
        "summary": str(page.summary or ""),
        "body": str(page.content),
        "language": page.lang,
    }
