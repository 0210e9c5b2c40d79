"""What Pagefind reads of a page: when it is unchanged, the search index needs no new run.

A rebuild rewrites a listing's page after any edit to its file, but most edits
(a phone number's format, the capacity, a procurement fact's date) change only
what the templates mark ``data-pagefind-ignore``: the page's search record is
the same, and running Pagefind again over the whole language (about 0.6 s of
CPU per language at 300 listings) would write the same bundle.

``search_record`` keeps, of a page, everything Pagefind could read, and more:
the ``<html>`` and ``<title>`` tags; inside ``data-pagefind-body``, every tag
with all its attributes and all text outside ignored elements; anywhere, every
element with a ``data-pagefind-*`` attribute, with its text (filters and
metadata may take their value from it). Two pages with the same record give
Pagefind the same input. When the page is not as well-formed as the templates
make it (an end tag with no start), there is no record: the page is indexed.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Attributes whose value may be the element's text.
VALUES = {"data-pagefind-filter", "data-pagefind-meta", "data-pagefind-sort"}
# Elements without an end tag.
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.kept: list[str] = []
        # Open elements: (tag, in the body, ignored, its text is kept).
        self.open: list[tuple[str, bool, bool, bool]] = []
        self.broken = False

    def _state(self) -> tuple[bool, bool, bool]:
        return self.open[-1][1:] if self.open else (False, False, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        in_body, ignored, keeps_text = self._state()
        names = {name for name, _ in attrs}
        searched = any(name.startswith("data-pagefind") for name in names)
        in_body = in_body or "data-pagefind-body" in names
        ignored = ignored or "data-pagefind-ignore" in names
        keeps_text = keeps_text or tag == "title" or bool(names & VALUES)
        if tag == "html" or searched or tag == "title" or (in_body and not ignored):
            self.kept.append(f"<{tag} {sorted(attrs)!r}>")
        if tag not in VOID:
            self.open.append((tag, in_body, ignored, keeps_text))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # As a browser does: close up to the matching element (a <p> closed by its parent).
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                in_body, ignored, keeps_text = self.open[depth][1:]
                if keeps_text or (in_body and not ignored):
                    self.kept.append(f"</{tag}>")
                del self.open[depth:]
                return
        self.broken = True

    def handle_data(self, data: str) -> None:
        in_body, ignored, keeps_text = self._state()
        if keeps_text or (in_body and not ignored):
            self.kept.append(data)


def search_record(html: str) -> str | None:
    """What of ``html`` Pagefind could index, as one text; None when unsure."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    if reader.broken or reader.open:
        return None
    return "\x00".join(reader.kept)
