"""What goes in an issue of the digest: who joined, who changed (and how), what's coming.

Rules, for a period from ``start`` to ``end`` (both days included):

* **new**: a listing whose ``date_ajout``, else its first commit, falls in the
  period;
* **updated**: a listing added before the period whose ``date_mise_a_jour``
  falls in it — or, when the listing has none, any later commit in the period,
  so an old issue rebuilt next year still lists what changed that month;
* **imports**: a commit that adds or changes more files than
  ``VITRINE_DIGEST_IMPORT_THRESHOLD`` is a bulk import or a mass edit, not news:
  it makes no listing new or updated (the build names it instead). A listing
  that arrived in one is treated as if it had always been there;
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

from ...content.history import Commit, content_at, imports
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
    imports: list[Commit] = field(default_factory=list)  # left out, named in the build

    @property
    def empty(self) -> bool:
        return not (self.new or self.updated or self.events)


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _added(enterprise: Enterprise, commits: list[Commit], threshold: int) -> dt.date | None:
    """When the listing arrived, as news: its ``date_ajout``, else its first commit.

    None when it came in an import (or history can't tell): never announced as new.
    """
    if enterprise.data.date_ajout is not None:
        return enterprise.data.date_ajout
    if not commits:
        return enterprise.added  # no history: what the listing says, if anything
    first = commits[-1]
    return None if first.is_import(threshold) else first.day


def _updated_in(enterprise: Enterprise, commits: list[Commit], start, end, threshold) -> bool:
    if enterprise.data.date_mise_a_jour is not None:
        return _in(enterprise.data.date_mise_a_jour, start, end)  # staff's date wins
    if not commits:
        return _in(enterprise.updated, start, end)
    return any(  # the last commit created the file; imports are not news
        _in(c.day, start, end) for c in commits[:-1] if not c.is_import(threshold)
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TIMEZONE)


def select(
    directory: Directory,
    digest: Digest,
    commits: dict[Path, list[Commit]] | None,
    event_days: int = 60,
    import_threshold: int = 10,
) -> DigestContent:
    """The listings and events of one issue, in directory order."""
    start, end = digest.start, digest.end
    new, updated = [], []
    for enterprise in directory.enterprises:
        history = (commits or {}).get(enterprise.source.resolve(), [])
        added = _added(enterprise, history, import_threshold)
        arrived = added or (enterprise.added if history else None)  # imported: since then
        if _in(added, start, end):
            new.append(enterprise)
        elif (
            arrived
            and (arrived < start or added is None)
            and _updated_in(enterprise, history, start, end, import_threshold)
        ):
            before = _version(enterprise, history, lambda day: day < start)
            if before is None and added is None and history:  # imported in the period
                before = _version(enterprise, history[-1:], lambda day: True)
            after = _version(enterprise, history, lambda day: day <= end)
            changes = describe_changes(before, after, directory.vocabularies)
            updated.append(Update(enterprise, changes))
    first, last = _midnight(start), _midnight(end + dt.timedelta(days=event_days + 1))
    events = [e for e in directory.events if e.data.fin >= first and e.data.debut < last]
    bulk = imports(commits, import_threshold, start, end)
    return DigestContent(new, updated, events, bulk)


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


NBSP = "\u00a0"  # before « : » (OQLF)


def summary(content: DigestContent, gettext, ngettext) -> str:
    """The issue's opening sentence, true to what it holds, for each count in French.

    Staff write the greeting; this says what follows, and says plainly when an
    issue has nothing new rather than promising sections that are not there.
    """
    _ = gettext
    counts = {
        "new": len(content.new),
        "updated": len(content.updated),
        "events": len(content.events),
    }
    if not any(counts.values()):
        return _(
            "Rien de nouveau pendant cette période : aucune entreprise ne s'est jointe au "
            "répertoire, aucune fiche n'a changé et aucun événement n'est annoncé."
        ).replace(" :", NBSP + ":")
    parts = []
    if counts["new"]:
        parts.append(
            ngettext("une nouvelle entreprise", "%(num)d nouvelles entreprises", counts["new"])
            % {"num": counts["new"]}
        )
    if counts["updated"]:
        parts.append(
            ngettext("une fiche mise à jour", "%(num)d fiches mises à jour", counts["updated"])
            % {"num": counts["updated"]}
        )
    if counts["events"]:
        parts.append(
            ngettext("un événement à venir", "%(num)d événements à venir", counts["events"])
            % {"num": counts["events"]}
        )
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + _(" et ") + parts[-1]
    sentence = _("Dans ce numéro : %(list)s.") % {"list": listed}
    missing = frozenset(key for key, number in counts.items() if not number)
    absent = {
        frozenset(): "",
        frozenset({"new"}): _("Aucune nouvelle entreprise pendant cette période."),
        frozenset({"updated"}): _("Aucune fiche mise à jour pendant cette période."),
        frozenset({"events"}): _("Aucun événement annoncé pour les prochaines semaines."),
        frozenset({"new", "updated"}): _(
            "Aucune nouvelle entreprise ni fiche mise à jour pendant cette période."
        ),
        frozenset({"new", "events"}): _(
            "Aucune nouvelle entreprise pendant cette période, et aucun événement annoncé."
        ),
        frozenset({"updated", "events"}): _(
            "Aucune fiche mise à jour pendant cette période, et aucun événement annoncé."
        ),
    }[missing]
    return " ".join(filter(None, (sentence, absent))).replace(" :", NBSP + ":")
