"""Dates as a Québec reader writes them, without depending on the OS locale."""

from __future__ import annotations

import datetime as dt

from .validation import sort_key

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def date_fr(value: dt.date | dt.datetime) -> str:
    """« 10 décembre 2026 » or « 10 décembre 2026, 8 h 30 »."""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {value.hour} h {value.minute:02d}"
    return text


FILTERS = {"date_fr": date_fr, "sort_key": sort_key}
