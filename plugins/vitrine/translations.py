"""UI translations: French is the source language; other languages are .po catalogues.

``theme/translations/<lang>.po`` is read directly (compiled in memory with Babel),
so a translator edits one text file and no compiled ``.mo`` is kept in git.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from markupsafe import Markup

SOURCE_LANGUAGE = "fr"


def load_translations(folder: Path, language: str) -> gettext.NullTranslations:
    """The catalogue for ``language``; French (or a missing catalogue) means the source text."""
    catalogue = folder / f"{language}.po"
    if language == SOURCE_LANGUAGE or not catalogue.exists():
        return gettext.NullTranslations()
    # A build switches language several times; parsing the .po is 20 ms each time.
    stat = catalogue.stat()
    return _compiled(catalogue.resolve(), language, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _compiled(catalogue: Path, language: str, mtime_ns: int, size: int) -> gettext.GNUTranslations:
    with catalogue.open("rb") as po:
        messages = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def install_translations(env: jinja2.Environment, translations: gettext.NullTranslations) -> None:
    """Give ``env``'s templates these translations (Jinja's i18n, "newstyle"), and a faster ``_``.

    Jinja's own ``_`` makes three context calls per string; a page has about 70 strings,
    so that was about a tenth of rendering it. This one gives the same text.
    """
    env.install_gettext_translations(translations, newstyle=True)

    @jinja2.pass_eval_context
    def _(eval_ctx, string: str, **variables) -> str:
        text = translations.gettext(string)
        if eval_ctx.autoescape:
            text = Markup(text)
        # Newstyle gettext always formats ("%%" → "%"): without "%" that changes nothing.
        return text % variables if variables or "%" in text else text

    env.globals["_"] = _
