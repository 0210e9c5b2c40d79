"""Names made from text: page addresses (slugs) and French alphabetical order."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """Accent-free lowercase words joined by hyphens: « Coopérative » → cooperative."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def sort_key(text: str) -> str:
    """French alphabetical order: accents and case don't move a name."""
    return slugify(text).replace("-", " ")
