"""Dates and amounts as a Québec reader writes them, without depending on the OS locale.

French follows the Office québécois de la langue française by hand (« 1er », « 8 h 30 »:
CLDR's fr_CA writes « 08 h 30 »); other languages use Babel's CLDR data for Canada
(en_CA: "December 10, 2026, 8:30 a.m.", "$25,000"). ``filters(language)`` gives
the templates of one language's pages their filters, under the same names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_currency

NBSP = "\u00a0"  # keeps « 25 000 $ » on one line

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def date_fr(value: dt.date | dt.datetime) -> str:
    """« 10 décembre 2026 » or « 10 décembre 2026, 8 h 30 »."""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {time_fr(value)}"
    return text


def time_fr(value: dt.datetime) -> str:
    """« 8 h 30 », and « 13 h » on the hour (Office québécois de la langue française)."""
    return f"{value.hour} h {value.minute:02d}" if value.minute else f"{value.hour} h"


def count(number: int, one: str, many: str) -> str:
    """« 1 fiche », « 2 fiches »: French counts one and zero as singular."""
    return f"{number} {one if number <= 1 else many}"


def money_fr(amount: Decimal | int) -> str:
    """« 25 $ », « 25 000 $ », « 12,50 $ »: cents only when there are some."""
    amount = Decimal(amount)
    whole = amount == amount.to_integral_value()
    text = f"{amount:,.0f}" if whole else f"{amount:,.2f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}$"


def phone_uri(number: str) -> str:
    """« 819 555-0142 poste 12 » → « +18195550142;ext=12 »: the tel: link's number
    (RFC 3966), and the international form search engines read in JSON-LD."""
    digits, _, extension = number.partition(" poste ")
    uri = "+1" + "".join(c for c in digits if c.isdigit())
    return f"{uri};ext={extension}" if extension else uri


def place_fr(town: str, postal_code: str | None) -> str:
    """« Sherbrooke (Québec) J1H 5N4 », as Canada Post reads a Québec address."""
    return f"{town} (Québec) {postal_code}" if postal_code else town


def _locale(language: str) -> str:
    return f"{language}_CA"


def date_in(language: str, value: dt.date | dt.datetime) -> str:
    """ "December 10, 2026" or "December 10, 2026, 8:30 a.m." (French: ``date_fr``)."""
    if language == "fr":
        return date_fr(value)
    text = format_date(value, "long", locale=_locale(language))
    if isinstance(value, dt.datetime):
        text += f", {time_in(language, value)}"
    return text


def time_in(language: str, value: dt.datetime) -> str:
    """ "8:30 a.m." (French: ``time_fr``)."""
    if language == "fr":
        return time_fr(value)
    return format_time(value, "short", locale=_locale(language))


def money_in(language: str, amount: Decimal | int) -> str:
    """ "$25,000", "$12.50": cents only when there are some (French: ``money_fr``)."""
    if language == "fr":
        return money_fr(amount)
    amount = Decimal(amount)
    pattern = "¤#,##0" if amount == amount.to_integral_value() else "¤#,##0.00"
    return format_currency(
        amount, "CAD", format=pattern, locale=_locale(language), currency_digits=False
    )


def filters(language: str) -> dict[str, Callable]:
    """The formatting filters of one language's pages.

    The ``_fr`` names are the templates' (they predate the English site): on an
    English page they format in English. ``date``, ``time`` and ``money`` say so.
    """
    date = lambda value: date_in(language, value)  # noqa: E731
    time = lambda value: time_in(language, value)  # noqa: E731
    money = lambda amount: money_in(language, amount)  # noqa: E731
    return {
        "date_fr": date,
        "time_fr": time,
        "money_fr": money,
        "date": date,
        "time": time,
        "money": money,
        "phone_uri": phone_uri,
        "place_fr": place_fr,
    }


FILTERS = filters("fr")
