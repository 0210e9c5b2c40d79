"""UI translations: French is the source language; other languages are .po catalogues.

``theme/translations/<lang>.po`` is read directly (compiled in memory with Babel),
so a translator edits one text file and no compiled ``.mo`` is kept in git.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "fr"


def load_translations(folder: Path, language: str) -> gettext.NullTranslations:
    """The catalogue for ``language``; French (or a missing catalogue) means the source text."""
    catalogue = folder / f"{language}.po"
    if language == SOURCE_LANGUAGE or not catalogue.exists():
        return gettext.NullTranslations()
    with catalogue.open("rb") as po:
        messages = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
