"""What goes in an issue of the digest: who joined, who changed (and how), what's coming.

Rules, for a period from ``start`` to ``end`` (both days included):

* **new**: a listing whose ``added`` date (``date_ajout``, else its first commit)
  falls in the period;
* **updated**: a listing added before the period whose ``updated`` date
  (``date_mise_a_jour``, else its last commit) falls in it — or, when the listing
  has no ``date_mise_a_jour``, any later commit in the period, so an old issue
  rebuilt next year still lists what changed that month;
* **events**: every event not over before the period starts and starting before
  ``event_days`` (60 by default) after the period ends: a digest sent at the end
  of a month announces the next two months.

What changed in an updated listing is read from git: the file as it was before the
period against the file at its end. Without history it is just « fiche mise à jour ».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...content.history import Commit, content_at
from ...content.model import Directory, Enterprise, Event
from ...content.reader import ReadError, read_source
from ...content.schema import TIMEZONE
from ...content.vocabulary import Vocabularies
from .issues import Digest

# Front-matter lists whose new codes are worth telling buyers, with their vocabulary.
NEW_CODES = (
    ("secteurs", "secteurs"),
    ("territoires", "territoires"),
    ("certifications", "certifications"),
    ("langues", "langues"),
)
# Fields whose change is told without detail.
CHANGED_FIELDS = ("mission", "capacite", "impacts")


@dataclass(frozen=True)
class Change:
    """One thing that changed: ``kind`` names it, ``items`` are the new values (labels)."""

    kind: str
    items: tuple[str, ...] = ()


@dataclass
class Update:
    enterprise: Enterprise
    changes: list[Change] = field(default_factory=list)


@dataclass
class DigestContent:
    new: list[Enterprise]
    updated: list[Update]
    events: list[Event]

    @property
    def empty(self) -> bool:
        return not (self.new or self.updated or self.events)


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _updated_in(enterprise: Enterprise, commits: list[Commit], start, end) -> bool:
    if _in(enterprise.updated, start, end):
        return True
    if enterprise.data.date_mise_a_jour is not None:
        return False  # staff's date overrides history
    return any(_in(c.day, start, end) for c in commits[:-1])  # the last one created it


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TIMEZONE)


def select(
    directory: Directory,
    digest: Digest,
    commits: dict[Path, list[Commit]] | None,
    event_days: int = 60,
) -> DigestContent:
    """The listings and events of one issue, in directory order."""
    start, end = digest.start, digest.end
    new, updated = [], []
    for enterprise in directory.enterprises:
        history = (commits or {}).get(enterprise.source.resolve(), [])
        if _in(enterprise.added, start, end):
            new.append(enterprise)
        elif (
            enterprise.added
            and enterprise.added < start
            and _updated_in(enterprise, history, start, end)
        ):
            before = _version(enterprise, history, lambda day: day < start)
            after = _version(enterprise, history, lambda day: day <= end)
            changes = describe_changes(before, after, directory.vocabularies)
            updated.append(Update(enterprise, changes))
    first, last = _midnight(start), _midnight(end + dt.timedelta(days=event_days + 1))
    events = [e for e in directory.events if e.data.fin >= first and e.data.debut < last]
    return DigestContent(new, updated, events)


def _version(enterprise: Enterprise, commits: list[Commit], keep) -> dict | None:
    """Front matter and body of the newest commit whose day passes ``keep``."""
    commit = next((c for c in commits if keep(c.day)), None)
    if commit is None:
        return None
    raw = content_at(enterprise.source, commit.rev)
    if raw is None:
        return None
    try:
        source = read_source(enterprise.source, raw)
    except ReadError:
        return None
    return {**source.data, "__body__": source.body.strip()}


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value or [] if isinstance(v, str)]


def _offer_names(data: dict) -> list[str]:
    offer = data.get("offre")
    items = offer if isinstance(offer, list) else []
    return [
        i["nom"].strip() for i in items if isinstance(i, dict) and isinstance(i.get("nom"), str)
    ]


def describe_changes(
    before: dict | None, after: dict | None, vocabularies: Vocabularies
) -> list[Change]:
    """What a buyer would want to know changed; empty when it can't be known."""
    if before is None or after is None:
        return []
    changes = []
    if before.get("nom") != after.get("nom") and isinstance(before.get("nom"), str):
        changes.append(Change("nom", (before["nom"].strip(),)))
    known = set(_offer_names(before))
    added = tuple(name for name in _offer_names(after) if name not in known)
    if added:
        changes.append(Change("offre", added))
    for key, vocabulary in NEW_CODES:
        old = set(_codes(before.get(key)))
        labels = vocabularies[vocabulary]
        fresh = tuple(labels.get(c, c) for c in _codes(after.get(key)) if c not in old)
        if fresh:
            changes.append(Change(key, fresh))
    changes += [Change(key) for key in CHANGED_FIELDS if before.get(key) != after.get(key)]
    if any(before.get(key) != after.get(key) for key in ("contact", "adresse")):
        changes.append(Change("contact"))
    if before.get("__body__") != after.get("__body__"):
        changes.append(Change("description"))
    return changes
