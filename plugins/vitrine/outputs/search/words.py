"""The directory's own words, per language: what « Vouliez-vous dire … ? » suggests.

When a search finds nothing, search.js downloads this list (``mots.json``, beside
the sort orders in each language's bundles folder) and offers the closest words
to the ones typed. Only then: a search that finds something never asks for it.

The words are those a buyer asks for and a card shows: enterprise names, their
mission, offer items (names and descriptions), the town, the sector, territory,
legal-form and certification labels; for upcoming events, the title, type,
audience and place. Long descriptions are left out: they would weigh most and
suggest words a buyer seldom means. Each word maps to the number of listings
and events that hold it (search.js prefers the commoner of two equally close
words), in the form they write it: names (of enterprises, towns, territories,
places) as written, other words in lower case unless capitalized where no
sentence starts (« traiteur » from « Traiteur pour événements »).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from ... import urls
from ...build.site import Report, Site

WORDS_FILE = "mots.json"  # in each language's bundles folder, beside tri-<key>.json
# Shorter words are not corrected (search.js: a typo in three letters is another word).
MIN_LETTERS = 4
LETTERS = re.compile(r"[^\W\d_]+")
# What ends a sentence (or opens a quotation): the next word's capital says nothing.
SENTENCE_END = ".!?:;«("


@functools.lru_cache(maxsize=20_000)  # a directory's few thousand words, met again and again
def fold(word: str) -> str:
    """Lower case, no accents: how search.js (and Pagefind) compare words."""
    text = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def _texts(site: Site, language: str) -> Iterator[tuple[Any, Callable[[], list]]]:
    """Each listing and upcoming event, with a function giving its searchable texts as
    ``language``'s pages show them; each text with whether it is a name (its
    capitals are meant)."""
    directory = site.directory
    labels = directory.vocabularies.in_language(language)

    def enterprise(e) -> list[tuple[str, bool]]:
        d, own = e.data, e.text(language)
        names = [d.nom, d.adresse.ville, *(labels.label("territoires", c) for c in d.territoires)]
        texts = [
            own.mission.text,
            *(part for item in own.offer for part in (item.name.text, item.description.text)),
            *(labels.label("secteurs", c) for c in d.secteurs),
            *(labels.label("certifications", c) for c in d.certifications),
            labels.label("formes_juridiques", d.forme_juridique),
        ]
        return [(n, True) for n in names] + [(t, False) for t in texts]

    def event(e) -> list[tuple[str, bool]]:
        d = e.data
        names = [d.lieu.nom, d.lieu.ville]
        texts = [
            d.titre,
            labels.label("types_evenements", d.type),
            labels.label("publics", d.public),
        ]
        return [(n, True) for n in names] + [(t, False) for t in texts]

    for record in directory.enterprises:
        yield record, functools.partial(enterprise, record)
    for record in directory.upcoming_events():
        yield record, functools.partial(event, record)


def _starts_sentence(text: str, start: int) -> bool:
    """Whether only spaces and punctuation, from a sentence's end or the text's start,
    come before ``start``."""
    before = start
    while before > 0 and not (text[before - 1].isalnum() or text[before - 1] == "_"):
        before -= 1
    return before == 0 or any(c in SENTENCE_END for c in text[before:start])


def listing_words(texts: list[tuple[str, bool]]) -> dict[str, dict[str, int]]:
    """One listing's words: each word folded → each form it is written in → how often."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text, is_name in texts:
        for match in LETTERS.finditer(text or ""):
            word = match.group()
            if len(word) < MIN_LETTERS:
                continue
            # A capital where a sentence starts says nothing of the word.
            starts = not is_name and _starts_sentence(text, match.start())
            forms[fold(word)][word.lower() if starts else word] += 1
    return forms


def listings_words(site: Site, language: str) -> list[str]:
    """Each listing's and upcoming event's words, as JSON (``listing_words``), made again
    only for the listings that changed (``Writer.kept``)."""
    return [
        site.writer.kept(
            f"mots-{language}",
            record,
            lambda texts=texts: json.dumps(listing_words(texts()), ensure_ascii=False),
        )
        for record, texts in _texts(site, language)
    ]


def vocabulary(site: Site, language: str, made: list[str] | None = None) -> dict[str, int]:
    """Each word (as written) → how many listings and upcoming events hold it."""
    holders: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in listings_words(site, language) if made is None else made:
        words = json.loads(text)
        holders.update(words.keys())
        for key, written in words.items():
            forms[key].update(written)
    words = {}
    for key, count in holders.items():
        written = forms[key]
        lower = [form for form in written if form == form.lower()]
        # Lower case where some text writes it so, else the commonest form (« Coaticook »);
        # ties alphabetically, for the same bytes.
        words[min(lower or written, key=lambda form: (-written[form], form))] = count
    return dict(sorted(words.items(), key=lambda item: (fold(item[0]), item[0])))


def write(site: Site) -> Report:
    files = []
    main = site.settings.language
    for language in site.settings.site_languages:
        folder = urls.Localized(language, main).search_bundles().rstrip("/")
        made = listings_words(site, language)

        def text(language=language, made=made) -> str:
            words = vocabulary(site, language, made)
            return json.dumps(words, ensure_ascii=False, separators=(",", ":"))

        # Most edits (a phone number, the capacity) change no listing's words: no new list.
        files.append(site.writer.write_file(f"{folder}/{WORDS_FILE}", text, inputs=made))
    return Report("recherche", tuple(files))
