"""French typography the Québec way (OQLF), applied once to every rendered French page.

Contributors and template authors type ordinary spaces; this pass fixes the text of
the finished HTML, so templates, listing fields and contributors' Markdown all come
out in one style:

- a non-breaking space (U+00A0) before « : » and inside « » ;
- no space before « ; », « ! » and « ? » (the OQLF allows none or a narrow
  non-breaking one: this site uses none everywhere, like the campaign's name).

Only text between tags is touched: never a tag or its attributes, never the inside of
``<code>``, ``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, ``<kbd>`` or
``<samp>``, never a web address or an e-mail address written in the text. The
English UI (``DEFAULT_LANG = "en"``) gets none of it (plugin.py).
"""

from __future__ import annotations

import re

from jinja2 import Template

NBSP = "\u00a0"

# Elements whose text is code or data, left exactly as written.
VERBATIM = frozenset({"code", "pre", "script", "style", "textarea", "kbd", "samp"})

# An element whose text is code, whole (``<pre><code>…</code></pre>`` ends at ``</pre>``).
_VERBATIM_BLOCK = re.compile(
    r"<(" + "|".join(sorted(VERBATIM)) + r")\b[^>]*>.*?</\1\s*>", re.S | re.I
)
# A run of text between two tags that holds something to fix. Attribute values never
# start right after a ``>`` (autoescaping writes ``&gt;``), so they are never matched.
# The run's first part stops at the first mark, so nothing is backtracked, and the
# pattern starts with a plain ``>`` that the regex engine finds fast (french_html puts
# one before the text, for a run at its very start): half the time of ``(^|>)``.
_RUN = re.compile(r">([^<>:;!?«»]*[:;!?«»][^<]*)")
# Web and e-mail addresses in running text: left as they are.
_ADDRESS = re.compile(
    r"((?:[a-zA-Z][a-zA-Z0-9+.-]*://|mailto:|www\.)[^\s<>\"«»]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)
_SPACE_ENTITY = re.compile(r"&(?:nbsp|#160|#x[aA]0|#8239|#x202[fF]);")
_SPACE = "[ \t\r\n\u00a0\u202f\u2009]"
_OPENING = re.compile(f"«{_SPACE}*")
_CLOSING = re.compile(f"{_SPACE}*»")
_BEFORE_COLON = re.compile(f"{_SPACE}+:")
# « Note: » → « Note : », but not « 8:30 », « ::» or « :) ».
_GLUED_COLON = re.compile(r"([^\W\d_]|[»).…\]]):(?=\s|$)")
_BEFORE_HIGH = re.compile(f"{_SPACE}+(?=[;!?])")


def french_text(text: str) -> str:
    """One run of text (entities allowed) set in French typography, addresses untouched."""
    if "@" not in text and "://" not in text and "www." not in text and "mailto:" not in text:
        return _prose(text)
    pieces = _ADDRESS.split(text)
    for i in range(0, len(pieces), 2):  # even pieces: prose; odd ones: addresses
        pieces[i] = _prose(pieces[i])
    return "".join(pieces)


def _prose(text: str) -> str:
    # Each rule only where its mark is (most text has few): a build fixes every page.
    if "&" in text:
        text = _SPACE_ENTITY.sub(_entity_space, text)
    if "«" in text:
        text = _OPENING.sub("«" + NBSP, text)
    if "»" in text:
        text = _CLOSING.sub(NBSP + "»", text)
    if ":" in text:
        text = _BEFORE_COLON.sub(NBSP + ":", text)
        text = _GLUED_COLON.sub("\\1" + NBSP + ":", text)
    if ";" in text or "!" in text or "?" in text:
        text = _BEFORE_HIGH.sub("", text)
    return text


def _entity_space(match: re.Match) -> str:
    return "\u202f" if match.group().lower() in ("&#8239;", "&#x202f;") else NBSP


def french_html(html: str) -> str:
    """A page (or part of one) with the text of every element set in French typography."""
    pieces, last = [], 0
    for block in _VERBATIM_BLOCK.finditer(html):
        pieces += [_runs(html[last : block.start()]), block.group()]
        last = block.end()
    pieces.append(_runs(html[last:]))
    return "".join(pieces)


def _runs(html: str) -> str:
    # The ">" put first stands for the start of the text, where a run may begin too.
    return _RUN.sub(_fix_run, ">" + html)[1:]


def _fix_run(run: re.Match) -> str:
    return ">" + french_text(run.group(1))


class FrenchTemplate(Template):
    """A Jinja template whose HTML output gets ``french_html`` (plugin.py installs it).

    Only whole pages go through ``render``; macros and included templates are part of
    the page that uses them, so each text is fixed once. E-mail templates are left as
    they are (``EXEMPT``): their layout is tested against mail clients on its own.
    """

    EXEMPT = ("digest_email.html",)

    def render(self, *args, **kwargs) -> str:
        output = super().render(*args, **kwargs)
        name = self.name or ""
        # The Vitrine generator renders each language's site in turn (its env global
        # ``language``): the English pages are left as they are.
        if self.environment.globals.get("language", "fr") != "fr":
            return output
        if name.endswith(".html") and name.rsplit("/", 1)[-1] not in self.EXEMPT:
            return french_html(output)
        return output
