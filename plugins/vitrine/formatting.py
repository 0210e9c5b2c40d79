"""Dates and amounts as a Québec reader writes them, without depending on the OS locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


FILTERS = {"date_fr": date_fr, "time_fr": time_fr, "money_fr": money_fr}
