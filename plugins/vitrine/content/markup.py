"""Contributors' Markdown to safe HTML, in bounded time.

Markdown lets raw HTML through, so its output is cleaned with nh3 (the Ammonia
allow-list sanitiser): no script, style, iframe, form, event handler or
``javascript:`` URL survives, and links get ``rel="nofollow ugc noopener"``.

Python-Markdown's inline parser is super-linear on some inputs (thousands of
``[`` or ``<`` in one paragraph take minutes; deeply nested lists overflow the
stack). A description is a few paragraphs for a buyer, so its size, nesting and
number of links per paragraph are capped before rendering, each with a message
that says what to change, and a timer stops whatever the caps missed.
"""

from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr", "abbr", "table", "thead", "tbody",
    "tr", "th", "td",
}  # fmt: skip
# ``lang`` anywhere: a paragraph in English says so (WCAG 3.1.2, language of parts).
ALLOWED_ATTRIBUTES = {"*": {"lang"}, "a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

MAX_CHARS = 20_000  # about 3,000 words: more than a buyer reads
MAX_INDENT = 32  # columns: eight levels of nested lists
MAX_QUOTE_DEPTH = 8
MAX_PARAGRAPH = 6_000  # characters between two blank lines
MAX_OPENERS = 50  # « [ » or « < » in one paragraph: links, tags
RENDER_SECONDS = 5.0

# attr_list: « {: lang="en" } » after a paragraph marks its language; nh3 drops any other attribute.
_markdown = markdown.Markdown(
    extensions=["sane_lists", "tables", "attr_list"], output_format="html"
)
_QUOTES = re.compile(r"[ \t]*((?:>[ \t]*)+)")


class MarkupError(Exception):
    """A description that can't be rendered; ``line`` counts from the body's first."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def check_description(text: str) -> None:
    """Refuse what would make rendering slow or recursive, with the line to fix."""
    if len(text) > MAX_CHARS:
        raise MarkupError(
            1,
            f"description trop longue ({len(text)} caractères, maximum {MAX_CHARS}) : "
            "gardez l'essentiel pour un acheteur et mettez le reste sur votre site web",
        )
    paragraph_start, size, openers = 1, 0, {"[": 0, "<": 0}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            paragraph_start, size, openers = number + 1, 0, {"[": 0, "<": 0}
            continue
        size += len(line) + 1
        if size > MAX_PARAGRAPH:
            raise MarkupError(
                paragraph_start,
                f"paragraphe trop long (plus de {MAX_PARAGRAPH} caractères) : séparez-le "
                "en plusieurs paragraphes par des lignes vides",
            )
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        quotes = _QUOTES.match(line)
        depth = quotes.group(1).count(">") if quotes else 0
        if indent > MAX_INDENT or depth > MAX_QUOTE_DEPTH:
            raise MarkupError(
                number,
                "imbrication trop profonde dans la description (listes ou citations « > ») : "
                "simplifiez la structure",
            )
        for char in openers:
            openers[char] += line.count(char)
            if openers[char] > MAX_OPENERS:
                raise MarkupError(
                    paragraph_start,
                    f"paragraphe trop chargé : plus de {MAX_OPENERS} « {char} » (liens ou "
                    "balises) dans un même paragraphe; séparez-le par des lignes vides "
                    "ou retirez des liens",
                )


class _TooSlowError(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the body after ``seconds`` (main thread only: that's where Pelican runs)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def stop(signum, frame):
        raise _TooSlowError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; headings start at h2 (the page owns h1).

    Raises MarkupError when the description is too big or too intricate.
    """
    check_description(text)
    try:
        with _time_limit(RENDER_SECONDS):
            html = _markdown.reset().convert(text)
    except (_TooSlowError, RecursionError):
        _markdown.reset()
        raise MarkupError(
            1,
            "description trop complexe à mettre en forme : simplifiez-la (moins de "
            "liens, de listes imbriquées et de caractères spéciaux)",
        ) from None
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    ).strip()
