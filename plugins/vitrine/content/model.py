"""Validated records: what every page, export, feed and digest is a view of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .schema import EnterpriseData, EventData
from .vocabulary import Vocabularies


@dataclass(eq=False)
class Enterprise:
    slug: str
    data: EnterpriseData
    source: Path
    description_html: str
    added: dt.date | None = None
    updated: dt.date | None = None
    revisions: int = 0  # commits that touched the file (0: no history)
    events: list[Event] = field(default_factory=list)
    checksum: str = ""  # sha256 of the file as validated: what incremental builds compare

    @property
    def name(self) -> str:
        return self.data.nom


@dataclass(eq=False)
class Event:
    slug: str
    data: EventData
    source: Path
    description_html: str
    added: dt.date | None = None
    updated: dt.date | None = None
    revisions: int = 0  # commits that touched the file (0: no history)
    enterprises: list[Enterprise] = field(default_factory=list)
    checksum: str = ""  # sha256 of the file as validated: what incremental builds compare

    @property
    def name(self) -> str:
        return self.data.titre

    def is_upcoming(self, now: dt.datetime) -> bool:
        return self.data.fin >= now


@dataclass
class Directory:
    """Every valid enterprise and event, cross-linked, in display order."""

    enterprises: list[Enterprise]
    events: list[Event]
    vocabularies: Vocabularies
    build_time: dt.datetime

    def upcoming_events(self) -> list[Event]:
        return [e for e in self.events if e.is_upcoming(self.build_time)]

    def past_events(self) -> list[Event]:
        return [e for e in reversed(self.events) if not e.is_upcoming(self.build_time)]

    def by_code(self, attribute: str, vocabulary: str) -> dict[str, list[Enterprise]]:
        """Enterprises grouped by each code of a vocabulary (empty groups kept)."""
        groups: dict[str, list[Enterprise]] = {code: [] for code in self.vocabularies[vocabulary]}
        for enterprise in self.enterprises:
            values = getattr(enterprise.data, attribute)
            for code in [values] if isinstance(values, str) else values:
                groups[code].append(enterprise)
        return groups
