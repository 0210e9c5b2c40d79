"""What Pagefind reads of a page (outputs/search/record.py): equal records, same index."""

from __future__ import annotations

from vitrine.outputs.search.record import search_record

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><title>Coop</title><meta name="description" content="{description}"></head>
<body><nav>Menu {menu}</nav>
<article data-pagefind-body>
  <div data-pagefind-ignore hidden><span data-pagefind-filter="secteur">{sector}</span>
  <span data-pagefind-meta="telephone">{phone}</span></div>
  <h1 id="{anchor}">Coop du Lac</h1>
  <p>{offer}<br>
  <section data-pagefind-ignore><h2>Prêt à contracter</h2><p>{capacity}</p>
  <img src="{logo}" alt=""></section>
</article>
<footer>{footer}</footer>
</body></html>"""

VALUES = {
    "description": "Une coop", "menu": "Accueil", "sector": "Traiteur", "phone": "819 555-0101",
    "anchor": "coop", "offer": "Buffets froids", "capacity": "300 repas", "logo": "a.png",
    "footer": "2026",
}  # fmt: skip


def record(**changed) -> str | None:
    return search_record(PAGE.format(**{**VALUES, **changed}))


def test_changes_outside_what_pagefind_reads_keep_the_record():
    assert record() is not None
    for field, value in {
        "capacity": "400 repas",  # in an ignored section
        "logo": "b.png",  # an image in an ignored section
        "menu": "Home",  # outside the body
        "footer": "2027",
        "description": "Autre",  # a <meta> that is not Pagefind's
    }.items():
        assert record(**{field: value}) == record(), field


def test_changes_pagefind_reads_change_the_record():
    for field, value in {
        "offer": "Buffets chauds",  # searched text
        "sector": "Imprimerie",  # a filter's value, from its text in an ignored element
        "phone": "819 555-0102",  # metadata shown in results
        "anchor": "lac",  # a heading's id: a result's anchor
    }.items():
        assert record(**{field: value}) != record(), field
    assert search_record(PAGE.format(**VALUES).replace('lang="fr"', 'lang="en"')) != record()


def test_a_page_it_cannot_follow_has_no_record():
    assert search_record(PAGE.format(**VALUES).replace("</article>", "</article></div>")) is None
    assert search_record("<html><body data-pagefind-body><p>Ouvert") is None
