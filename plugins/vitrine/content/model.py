"""Validated records: what every page, export, feed and digest is a view of."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .schema import TIMEZONE, AwardData, BuyerData, ContractData, EnterpriseData, EventData
from .vocabulary import FACT_LABELS, FACTS, SIZES, SOURCE_LANGUAGE, Vocabularies


@dataclass(frozen=True)
class Written:
    """A text as one language's page shows it, and the language it is written in."""

    text: str
    language: str


@dataclass(frozen=True)
class OfferText:
    name: Written
    description: Written


@dataclass(frozen=True)
class ListingText:
    """A listing's own words for one language's page: its text in that language where
    the listing gives one, else the French (which the page marks lang="fr")."""

    mission: Written
    offer: list[OfferText]
    description_html: Written


@dataclass(frozen=True)
class EventText:
    """An event's own words for one language's page (as ``ListingText``)."""

    title: Written
    description_html: Written


def _pick(french: str, translated: str | None, language: str) -> Written:
    """The text in ``language`` where there is one, else the French."""
    return Written(translated, language) if translated else Written(french, SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Fact:
    """One procurement fact a listing declares, and when it was last checked.

    ``value``: the NEQ or RBQ licence (text), the attestation's date, the insurance
    amount (dollars), or True for « not listed at the RENA ».
    """

    code: str  # a code of the built-in ``faits`` list (vocabulary.FACT_LABELS)
    value: str | int | bool | dt.date
    checked: dt.date | None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier, or that month's last day (31 March - 1 = 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def name_key(name: str) -> str:
    """A buyer's name as compared with SEAO's: no accents, case, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def buyer_matches(buyer: Buyer, name: str, neq: str | None) -> bool:
    """Whether SEAO's buyer (its name, its NEQ if any) is this signatory.

    By NEQ when both have one, else by name (``nom`` or one of ``noms_seao``).
    """
    if buyer.data.neq and neq:
        return buyer.data.neq == neq
    names = {name_key(n) for n in [buyer.data.nom, *buyer.data.noms_seao]}
    return name_key(name) in names


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
    # The territories written, then those they cover (vocabulaires.yml, couvertures):
    # where buyers find the listing. Set by Directory; pages show ``data.territoires``.
    served_territories: list[str] = field(default_factory=list)
    description_html_en: str = ""  # the ``en: description:`` the listing may give
    # Public contracts it won (SEAO, matched by NEQ), most recent first. Set by Directory.
    awards: list[Award] = field(default_factory=list)
    # Contract-size ranges its largest contract reaches (vocabulaires.yml). Set by Directory.
    contract_sizes: list[str] = field(default_factory=list)
    # Not updated for VITRINE_STALE_MONTHS at the build date. Set by Directory.mark_stale.
    to_check: bool = False

    @property
    def name(self) -> str:
        return self.data.nom

    def facts(self) -> list[Fact]:
        """The procurement facts it declares, in the fixed order of ``faits``."""
        d = self.data
        found = {
            "neq": d.neq and Fact("neq", d.neq, d.neq_verifie_le),
            "rena": d.rena and Fact("rena", True, d.rena.verifie_le),
            "revenu-quebec": d.revenu_quebec
            and Fact("revenu-quebec", d.revenu_quebec.attestation, d.revenu_quebec.verifie_le),
            "assurance": d.assurance
            and Fact("assurance", d.assurance.montant, d.assurance.verifie_le),
            "rbq": d.rbq and Fact("rbq", d.rbq.licence, d.rbq.verifie_le),
        }
        return [found[code] for code in FACT_LABELS if found[code]]

    def codes(self, vocabulary: str) -> list[str]:
        """Its codes of one vocabulary: where browse pages and search filters list it."""
        if vocabulary == "territoires":
            return self.served_territories
        if vocabulary == FACTS:
            return [fact.code for fact in self.facts()]
        if vocabulary == SIZES:
            return self.contract_sizes
        attribute = {"formes_juridiques": "forme_juridique"}.get(vocabulary, vocabulary)
        values = getattr(self.data, attribute)
        return [values] if isinstance(values, str) else list(values)

    def text(self, language: str) -> ListingText:
        """The mission, offer and description a page in ``language`` shows."""
        d, english = self.data, language == "en"
        en = d.en if english else None

        def pick(french: str, translated: str | None) -> Written:
            return _pick(french, translated, language)

        offer = [
            OfferText(
                pick(item.nom, item.en.nom if english and item.en else None),
                pick(item.description, item.en.description if english and item.en else None),
            )
            for item in d.offre
        ]
        return ListingText(
            mission=pick(d.mission, en.mission if en else None),
            offer=offer,
            description_html=pick(self.description_html, english and self.description_html_en),
        )


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
    description_html_en: str = ""  # the ``en: description:`` the event may give

    @property
    def name(self) -> str:
        return self.data.titre

    def text(self, language: str) -> EventText:
        """The title and description a page in ``language`` shows."""
        en = self.data.en if language == "en" else None
        return EventText(
            title=_pick(self.data.titre, en and en.titre, language),
            description_html=_pick(
                self.description_html, en and self.description_html_en, language
            ),
        )

    def is_upcoming(self, now: dt.datetime) -> bool:
        return self.data.fin >= now


@dataclass(eq=False)
class Buyer:
    """A signatory of the purchasing pledge (content/acheteurs/<code>.md)."""

    slug: str
    data: BuyerData
    source: Path
    description_html: str
    checksum: str = ""
    # Contracts it awarded to listed enterprises, most recent first. Set by Directory.
    awards: list[Award] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data.nom


@dataclass(eq=False)
class Contract:
    """One SEAO contracting process, as content/contrats/<ocid>.json keeps it."""

    data: ContractData
    source: Path
    checksum: str = ""
    buyer: Buyer | None = None  # the signatory that awarded it, if it is one


@dataclass(eq=False)
class Award:
    """One award of a contract, with the listed enterprises among its suppliers."""

    contract: Contract
    data: AwardData
    enterprises: list[Enterprise] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        """What the contract cost: the final amount when known, else the amount awarded."""
        if self.data.montant_final is not None:
            return self.data.montant_final
        return self.data.montant or Decimal(0)

    @property
    def date(self) -> dt.date:
        moment = self.data.date or self.contract.data.date
        return moment.astimezone(TIMEZONE).date()


@dataclass
class Directory:
    """Every valid enterprise and event, cross-linked, in display order."""

    enterprises: list[Enterprise]
    events: list[Event]
    vocabularies: Vocabularies
    build_time: dt.datetime
    buyers: list[Buyer] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._groups: dict[str, dict[str, list[Enterprise]]] = {}  # by_code's, once built
        for enterprise in self.enterprises:
            enterprise.served_territories = self.vocabularies.served(
                "territoires", enterprise.data.territoires
            )
            capacity = enterprise.data.capacite_contrat
            enterprise.contract_sizes = self.vocabularies.sizes_reached(
                capacity.montant_max if capacity else None
            )
        self._link_contracts()

    def mark_stale(self, months: int) -> None:
        """Flag each listing last updated more than ``months`` before the build date.

        « Last updated » is what its page shows (history.apply_dates: the listing's
        ``date_mise_a_jour``, else its last commit); a listing with neither is not flagged.
        """
        cutoff = self.stale_before(months)
        for enterprise in self.enterprises:
            enterprise.to_check = enterprise.updated is not None and enterprise.updated < cutoff

    def stale_before(self, months: int) -> dt.date:
        """The oldest « last updated » date that is still fresh."""
        return months_before(self.build_time.date(), months)

    def stale(self) -> list[Enterprise]:
        """The listings flagged by ``mark_stale``, oldest first."""
        flagged = [e for e in self.enterprises if e.to_check]
        return sorted(flagged, key=lambda e: (e.updated, e.slug))

    def _link_contracts(self) -> None:
        """Each award to a listed enterprise (by NEQ), on its page and its signatory's."""
        by_neq = {e.data.neq: e for e in self.enterprises if e.data.neq}
        self.awards: list[Award] = []
        for contract in self.contracts:
            seao = contract.data.acheteur
            contract.buyer = next(
                (b for b in self.buyers if buyer_matches(b, seao.nom, seao.neq)), None
            )
            for data in contract.data.attributions:
                neqs = dict.fromkeys(s.neq for s in data.fournisseurs if s.neq in by_neq)
                if neqs:
                    self.awards.append(Award(contract, data, [by_neq[n] for n in neqs]))
        self.awards.sort(key=lambda a: (a.date, a.contract.data.ocid, a.data.id), reverse=True)
        for award in self.awards:
            for enterprise in award.enterprises:
                enterprise.awards.append(award)
            if award.contract.buyer is not None:
                award.contract.buyer.awards.append(award)

    def signatory_awards(self) -> list[Award]:
        """Awards from a signatory to a listed enterprise: the campaign's results."""
        return [a for a in self.awards if a.contract.buyer is not None]

    def upcoming_events(self) -> list[Event]:
        return [e for e in self.events if e.is_upcoming(self.build_time)]

    def past_events(self) -> list[Event]:
        return [e for e in reversed(self.events) if not e.is_upcoming(self.build_time)]

    def territories_served(self) -> list[str]:
        """The territories some listing serves, catch-alls counted as what they cover.

        « Toute l'Estrie » is not a tenth territory: a listing that serves it counts
        for the nine, and the catch-all values themselves are left out.
        """
        catch_alls = set(self.vocabularies.catch_alls("territoires"))
        served = {code for e in self.enterprises for code in e.served_territories}
        return [c for c in self.vocabularies["territoires"] if c in served - catch_alls]

    def by_code(self, vocabulary: str) -> dict[str, list[Enterprise]]:
        """Enterprises grouped by each code of a vocabulary (empty groups kept).

        Territories group by what each listing serves, catch-alls included: a
        listing serving « toute-l-estrie » is under Sherbrooke too.
        """
        if vocabulary not in self._groups:  # each language's pages ask again
            groups: dict[str, list[Enterprise]] = {c: [] for c in self.vocabularies[vocabulary]}
            for enterprise in self.enterprises:
                for code in enterprise.codes(vocabulary):
                    groups[code].append(enterprise)
            self._groups[vocabulary] = groups
        return self._groups[vocabulary]

    def counts(self, vocabulary: str) -> dict[str, int]:
        """How many enterprises each code of a vocabulary groups (``by_code``)."""
        return {code: len(members) for code, members in self.by_code(vocabulary).items()}
