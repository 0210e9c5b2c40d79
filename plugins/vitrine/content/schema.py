"""The content model: what a listing and an event may hold, and nothing else.

The one source of truth for front matter: the validator, the pages and the JSON
Schema all come from these classes. Keys are the French words contributors write.
Every scalar arrives as the text the contributor typed (see reader.py); the types
below decide what it means, and every refusal says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

TIMEZONE = ZoneInfo("America/Toronto")
MISSION_MAX = 250
MAX_PRICE = Decimal(100_000)  # dollars: above that it is a typo (and 1e999999 is not a price)
# Logo formats, by extension, and how their files begin. No SVG: it can hold scripts.
LOGO_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF", b"WEBP"),  # bytes 0-3 and 8-11
}
LOGO_FOLDER = "images"
_LOGO_PATH = re.compile(r"images(?:/[A-Za-z0-9_][A-Za-z0-9._-]*)+")


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _one_or_many(value: Any) -> Any:
    """``secteurs: informatique`` means a list of one: don't punish it."""
    return [value] if isinstance(value, str) else value


def _vocabulary(name: str):
    def check(value: str, info: ValidationInfo) -> str:
        vocabularies = (info.context or {}).get("vocabularies")
        if vocabularies is None or value in vocabularies[name]:
            return value
        guess = vocabularies.closest(name, value)
        hint = f"vouliez-vous dire « {guess} » ? " if guess else ""
        raise _fail(
            "vocabulary",
            f"« {value} » n'est pas une valeur connue; {hint}"
            f"valeurs possibles (content/vocabulaires.yml, liste {name}) : "
            + ", ".join(vocabularies[name]),
        )

    return AfterValidator(check)


# Local part: no spaces, quotes, brackets or separators; domain: labels of letters,
# digits and hyphens. Nothing that could add recipients or headers to a mailto: link.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=^`{|}~-]+@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[A-Za-z]{2,}")


def _check_email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise _fail("email", "courriel invalide : écrivez-le sous la forme « nom@exemple.ca »")
    return value


def _check_url(value: str) -> str:
    """Only http(s) addresses with a host: no ``javascript:``, ``data:`` or spaces."""
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced « [ » in the host
        parts = urlsplit("")
    if (
        parts.scheme not in ("http", "https")
        or "." not in (parts.hostname or "")
        or re.search(r"[\s\\<>\"]", value)
    ):
        looks_like_host = re.fullmatch(r"[\w.-]+\.[A-Za-z]{2,}(?:/\S*)?", value)
        suggestion = f"https://{value}" if looks_like_host else "https://exemple.ca"
        raise _fail(
            "url",
            f"adresse web invalide : écrivez l'adresse complète, par exemple « {suggestion} »",
        )
    return value


_EXTENSION = re.compile(r"\s*(?:poste|p\.|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)


def _check_phone(value: str) -> str:
    extension = _EXTENSION.search(value)
    number = value[: extension.start()] if extension else value
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or re.search(r"[^\d\s().+\-]", number):
        raise _fail(
            "phone",
            "numéro de téléphone invalide : écrivez 10 chiffres, par exemple "
            "« 819 555-0142 » (ajoutez « poste 12 » pour un poste)",
        )
    pretty = f"{digits[:3]} {digits[3:6]}-{digits[6:]}"
    return f"{pretty} poste {extension.group(1)}" if extension else pretty


def _check_postal_code(value: str) -> str:
    match = re.fullmatch(r"([ABCEGHJ-NPRSTVXY]\d[A-Z])\s*(\d[A-Z]\d)", value.strip().upper())
    if not match:
        raise _fail(
            "postal_code",
            "code postal invalide : écrivez-le sous la forme « J1H 5N4 »",
        )
    return f"{match.group(1)} {match.group(2)}"


def _check_neq(value: str) -> str:
    digits = re.sub(r"\s", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        raise _fail(
            "neq",
            "NEQ invalide : le numéro d'entreprise du Québec compte 10 chiffres, "
            'écrivez-le entre guillemets, par exemple « neq: "1171234567" »',
        )
    return digits


def _parse_date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise _fail(
            "date",
            "date invalide : écrivez-la sous la forme AAAA-MM-JJ, par exemple « 2026-11-03 »",
        ) from None


def _check_checked_on(value: dt.date, info: ValidationInfo) -> dt.date:
    """A date something was checked or obtained: today at the latest."""
    today = (info.context or {}).get("today") or dt.date.today()
    if value > today:
        raise _fail(
            "future_date",
            f"date dans le futur ({value.isoformat()}) : écrivez la date où le fait a été "
            f"vérifié ou obtenu, au plus tard aujourd'hui ({today.isoformat()})",
        )
    return value


def _parse_amount(value: Any) -> Any:
    """« 100000 », « 100 000 », « 100 000 $ »: whole dollars."""
    if isinstance(value, str):
        text = re.sub(r"[\s\u00a0\u202f]", "", value).removesuffix("$")
        if not re.fullmatch(r"\d{1,12}", text) or int(text) == 0:
            raise _fail(
                "amount",
                "montant invalide : écrivez un montant en dollars, sans cents, "
                "par exemple « 100000 » ou « 100 000 $ »",
            )
        return int(text)
    return value


YES = {"oui", "yes", "true", "vrai"}
NO = {"non", "no", "false", "faux"}


def _parse_yes_no(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in YES | NO:
            return text in YES
        raise _fail("yes_no", "écrivez « oui » ou « non »")
    return value


def _check_rbq(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if len(digits) != 10 or re.search(r"[^\d\s-]", value):
        raise _fail(
            "rbq",
            "numéro de licence RBQ invalide : il compte 10 chiffres, écrivez-le entre "
            'guillemets sous la forme « licence: "5678-1234-01" »',
        )
    return f"{digits[:4]}-{digits[4:8]}-{digits[8:]}"


def _check_unspsc(value: str) -> str:
    if not re.fullmatch(r"\d{8}", value):
        raise _fail(
            "unspsc",
            "code UNSPSC invalide : écrivez les 8 chiffres du code, entre guillemets, "
            'par exemple « unspsc: ["90101600"] » (codes sur SEAO)',
        )
    return value


def _parse_local_datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=TIMEZONE)
        except ValueError:
            continue
    raise _fail(
        "datetime",
        "date et heure invalides : écrivez-les sous la forme AAAA-MM-JJ HH:MM, "
        "par exemple « 2026-12-10 08:30 » (heure de l'Est)",
    )


def _parse_price(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower().replace("$", "").replace(",", ".").strip()
        if text == "gratuit":
            return Decimal(0)
        try:
            price = Decimal(text)
        except InvalidOperation:
            price = Decimal(-1)
        if not price.is_finite() or not 0 <= price <= MAX_PRICE:
            raise _fail(
                "price",
                "prix invalide : écrivez un montant en dollars (« 25 ») ou « 0 » si gratuit",
            )
        # « 1e2 » means 100: store it so, never in scientific notation.
        return price.quantize(Decimal(1) if price == price.to_integral_value() else Decimal("0.01"))
    return value


def _check_year(value: int, info: ValidationInfo) -> int:
    today = (info.context or {}).get("today") or dt.date.today()
    if not 1800 <= value <= today.year:
        raise _fail(
            "year", f"année invalide : écrivez l'année de fondation, entre 1800 et {today.year}"
        )
    return value


def _check_logo(value: str, info: ValidationInfo) -> str:
    """A picture file of the repository, under content/images/: never a path out of it."""
    example = "« logo: images/mon-logo.png »"
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]+:|//", value):
        raise _fail(
            "logo",
            "le logo doit être un fichier du dépôt, pas une adresse web : déposez l'image "
            f"dans content/images/ et écrivez {example}",
        )
    suffix = value[value.rfind(".") :].lower() if "." in value.rsplit("/", 1)[-1] else ""
    if not _LOGO_PATH.fullmatch(value):  # every part starts with a letter: no « .. »
        raise _fail(
            "logo",
            "chemin de logo refusé : écrivez le chemin de l'image à partir du dossier content/, "
            f"par exemple {example} (sans « / » au début, sans « .. », sans espaces ni accents)",
        )
    if suffix not in LOGO_SIGNATURES:
        raise _fail(
            "logo",
            f"format d'image refusé (« {suffix or 'aucune extension'} ») : le logo doit être "
            "une image PNG, JPG ou WebP (.png, .jpg, .jpeg ou .webp)",
        )
    content = (info.context or {}).get("content")
    if content is not None:
        _check_logo_file(Path(content), value, suffix)
    return value


def _check_logo_file(content: Path, value: str, suffix: str) -> None:
    folder = (content / LOGO_FOLDER).resolve()
    path = (content / value).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise _fail(
            "logo",
            f"image introuvable : déposez le fichier dans content/{value} ou corrigez le "
            "chemin (majuscules et minuscules comptent)",
        )
    with path.open("rb") as image:
        head = image.read(12)
    first, *rest = LOGO_SIGNATURES[suffix]
    if not head.startswith(first) or (rest and head[8:12] != rest[0]):
        raise _fail(
            "logo",
            f"content/{value} n'est pas une image {suffix[1:].upper()} valide : "
            "enregistrez le logo en PNG, JPG ou WebP depuis un logiciel d'images",
        )


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Email = Annotated[Text, AfterValidator(_check_email)]
Url = Annotated[Text, AfterValidator(_check_url)]
Phone = Annotated[Text, AfterValidator(_check_phone)]
PostalCode = Annotated[Text, AfterValidator(_check_postal_code)]
Neq = Annotated[Text, AfterValidator(_check_neq)]
Day = Annotated[dt.date, BeforeValidator(_parse_date)]
LocalDateTime = Annotated[dt.datetime, BeforeValidator(_parse_local_datetime)]
Price = Annotated[Decimal, BeforeValidator(_parse_price)]
CheckedOn = Annotated[dt.date, BeforeValidator(_parse_date), AfterValidator(_check_checked_on)]
# As an editor reads them (schema_export.py): « 100 000 $ » and « oui » are text.
Dollars = Annotated[
    int,
    BeforeValidator(_parse_amount),
    Field(gt=0),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}]}),
]
YesNo = Annotated[
    bool,
    BeforeValidator(_parse_yes_no),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": sorted(YES | NO)}]}),
]
RbqLicence = Annotated[Text, AfterValidator(_check_rbq)]
Unspsc = Annotated[Text, AfterValidator(_check_unspsc)]
Year = Annotated[int, AfterValidator(_check_year)]
Logo = Annotated[Text, AfterValidator(_check_logo)]


def Codes(vocabulary: str, min_length: int = 0):  # noqa: N802 - a type
    return Annotated[
        list[Annotated[Text, _vocabulary(vocabulary)]],
        BeforeValidator(_one_or_many),
        Field(min_length=min_length, json_schema_extra={"x-vocabulaire": vocabulary}),
    ]


def Code(vocabulary: str):  # noqa: N802 - a type
    return Annotated[
        Text,
        _vocabulary(vocabulary),
        Field(json_schema_extra={"x-vocabulaire": vocabulary}),
    ]


class Strict(BaseModel):
    """Unknown keys are refused: a typo in a key is the commonest mistake."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OfferItemEnglish(Strict):
    """An offer item as the English site shows it."""

    nom: Text = Field(description="Le nom du produit ou du service, en anglais")
    description: Text = Field(description="Sa description, en anglais")


class OfferItem(Strict):
    """One good or service of the offer (the « portfolio »)."""

    nom: Text = Field(description="Nom du produit ou du service")
    description: Text = Field(description="Une ou deux phrases pour un acheteur")
    en: OfferItemEnglish | None = Field(
        None, description="Facultatif : nom et description en anglais, pour le site anglais"
    )
    unspsc: Annotated[list[Unspsc], BeforeValidator(_one_or_many)] = Field(
        [], description="Facultatif : codes UNSPSC de 8 chiffres (ceux de SEAO)"
    )


class EnterpriseEnglish(Strict):
    """What the English site shows instead of the French text (every key optional)."""

    mission: Annotated[Text, StringConstraints(max_length=MISSION_MAX)] | None = Field(
        None, description="La mission en une phrase, en anglais"
    )
    description: Text | None = Field(
        None, description="La présentation en anglais (Markdown, comme le texte sous la fiche)"
    )


class Address(Strict):
    rue: Text | None = Field(None, description="Numéro et rue, ex. « 1000, rue King Ouest »")
    ville: Text = Field(description="Municipalité")
    code_postal: PostalCode | None = Field(None, description="ex. « J1H 5N4 »")


class Contact(Strict):
    personne: Text | None = Field(None, description="Personne-ressource et sa fonction")
    courriel: Email | None = None
    telephone: Phone | None = Field(None, description="ex. « 819 555-0142 »")
    site_web: Url | None = Field(None, description="ex. « https://exemple.ca »")

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.courriel or self.telephone or self.site_web):
            raise _fail(
                "contact",
                "indiquez au moins un moyen de vous joindre : courriel, telephone ou site_web",
            )
        return self


class ContractCapacity(Strict):
    """What contracts the enterprise can take (the volumes stay in ``capacite``)."""

    montant_max: Dollars | None = Field(
        None, description="Le plus gros contrat possible, en dollars, ex. « 100000 »"
    )
    delai: Text | None = Field(None, description="Délai habituel, ex. « 2 semaines »")
    regroupement: YesNo | None = Field(
        None, description="Soumissionne avec des partenaires (regroupement) : oui ou non"
    )
    sous_traitance: YesNo | None = Field(
        None, description="Travaille en sous-traitance : oui ou non"
    )


class Rena(Strict):
    """Not listed at the RENA (registre des entreprises non admissibles)."""

    non_inscrite: YesNo = Field(description="« oui » : l'entreprise n'est pas inscrite au RENA")
    verifie_le: CheckedOn | None = Field(None, description="Date de la vérification")

    @model_validator(mode="after")
    def _not_listed(self) -> Rena:
        if not self.non_inscrite:
            raise _fail(
                "rena",
                "une entreprise inscrite au RENA ne peut pas obtenir de contrat public : "
                "retirez le bloc « rena » ou écrivez « non_inscrite: oui » une fois radiée",
            )
        return self


class RevenuQuebec(Strict):
    attestation: CheckedOn = Field(description="Date de l'attestation de Revenu Québec")
    verifie_le: CheckedOn | None = Field(None, description="Date de la vérification")


class Insurance(Strict):
    montant: Dollars = Field(description="Montant de la couverture, en dollars")
    verifie_le: CheckedOn | None = Field(None, description="Date de la vérification")


class RbqLicenceFact(Strict):
    licence: RbqLicence = Field(description="Numéro de licence RBQ, ex. « 5678-1234-01 »")
    verifie_le: CheckedOn | None = Field(None, description="Date de la vérification")


class EnterpriseData(Strict):
    """Front matter of ``content/enterprises/<slug>.md``."""

    nom: Text = Field(description="Nom de l'entreprise")
    forme_juridique: Code("formes_juridiques")
    mission: Annotated[Text, StringConstraints(max_length=MISSION_MAX)] = Field(
        description="La mission en une phrase"
    )
    secteurs: Codes("secteurs", min_length=1)
    offre: list[OfferItem] = Field(min_length=1, description="Biens et services offerts")
    territoires: Codes("territoires", min_length=1)
    adresse: Address
    contact: Contact
    langues: Codes("langues") = ["fr"]
    certifications: Codes("certifications") = []
    capacite: Text | None = Field(None, description="Volume possible et délais")
    impacts: Annotated[list[Text], BeforeValidator(_one_or_many)] = Field(
        [], description="Retombées sociales en quelques phrases courtes"
    )
    neq: Neq | None = Field(None, description="Numéro d'entreprise du Québec (10 chiffres)")
    capacite_contrat: ContractCapacity | None = Field(
        None, description="Facultatif : montant maximal, délai, regroupement, sous-traitance"
    )
    neq_verifie_le: CheckedOn | None = Field(
        None, description="Date de la dernière vérification du NEQ au Registraire"
    )
    rena: Rena | None = Field(None, description="Facultatif : non inscrite au RENA")
    revenu_quebec: RevenuQuebec | None = Field(
        None, description="Facultatif : attestation de Revenu Québec obtenue"
    )
    assurance: Insurance | None = Field(
        None, description="Facultatif : assurance responsabilité civile"
    )
    rbq: RbqLicenceFact | None = Field(
        None, description="Facultatif : licence de la Régie du bâtiment (travaux de construction)"
    )
    fondation: Year | None = Field(None, description="Année de fondation")
    logo: Logo | None = Field(
        None, description="Image PNG, JPG ou WebP dans content/images/, ex. « images/logo.png »"
    )
    date_ajout: Day | None = Field(None, description="Date d'arrivée dans le répertoire")
    date_mise_a_jour: Day | None = Field(None, description="Dernière mise à jour importante")
    en: EnterpriseEnglish | None = Field(
        None,
        description="Facultatif : mission et présentation en anglais, pour le site anglais "
        "(sans elles, il montre le texte français)",
    )

    @field_validator("neq_verifie_le")
    @classmethod
    def _neq_for_its_date(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # An invalid NEQ is absent from info.data: its own message is enough.
        if value is not None and "neq" in info.data and info.data["neq"] is None:
            raise _fail(
                "neq_date",
                '« neq_verifie_le » sans NEQ : ajoutez la ligne « neq: "1171234567" » '
                "ou retirez la date",
            )
        return value


class Place(Strict):
    nom: Text = Field(description="Nom du lieu")
    adresse: Text | None = None
    ville: Text
    code_postal: PostalCode | None = Field(None, description="ex. « J1H 5N4 »")


class EventEnglish(Strict):
    """What the English site shows instead of the French text (every key optional)."""

    titre: Text | None = Field(None, description="Le titre, en anglais")
    description: Text | None = Field(
        None, description="La description en anglais (Markdown, comme le texte sous l'événement)"
    )


class EventData(Strict):
    """Front matter of ``content/events/<slug>.md``."""

    titre: Text
    type: Code("types_evenements")
    debut: LocalDateTime = Field(description="Début, heure de l'Est : AAAA-MM-JJ HH:MM")
    fin: LocalDateTime = Field(description="Fin, heure de l'Est : AAAA-MM-JJ HH:MM")
    lieu: Place
    public: Code("publics")
    prix: Price | None = Field(None, description="En dollars; 0 si gratuit")
    inscription: Url | None = Field(None, description="Lien d'inscription")
    entreprises: Annotated[list[Text], BeforeValidator(_one_or_many)] = Field(
        [], description="Codes des fiches d'entreprises participantes (nom du fichier sans .md)"
    )
    en: EventEnglish | None = Field(
        None,
        description="Facultatif : titre et description en anglais, pour le site anglais "
        "(sans eux, il montre le texte français)",
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> EventData:
        if self.fin <= self.debut:
            raise _fail(
                "event_order",
                f"l'événement finit ({self.fin:%Y-%m-%d %H:%M}) avant de commencer "
                f"({self.debut:%Y-%m-%d %H:%M}) : vérifiez « fin »",
            )
        return self


class BuyerData(Strict):
    """Front matter of ``content/acheteurs/<code>.md``: a signatory of the pledge.

    The « Déclaration d'engagement à l'achat public auprès des entreprises
    collectives ». ``neq`` and ``noms_seao`` say how SEAO names this buyer, so
    that its contracts are found (content/contracts.py).
    """

    nom: Text = Field(description="Nom de l'organisation signataire")
    type: Code("types_acheteurs")
    territoires: Codes("territoires", min_length=1)
    date_signature: Day = Field(description="Date de signature de la déclaration : AAAA-MM-JJ")
    engagement: Text = Field(description="L'engagement pris, en une ou deux phrases")
    contact: Contact
    neq: Neq | None = Field(None, description="Numéro d'entreprise du Québec (10 chiffres)")
    noms_seao: Annotated[list[Text], BeforeValidator(_one_or_many)] = Field(
        [], description="Nom de l'organisme tel que SEAO l'écrit, s'il diffère de « nom »"
    )


def _parse_moment(value: Any) -> Any:
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise _fail("datetime", "date invalide : écrivez-la en ISO 8601") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)
    return value


Moment = Annotated[dt.datetime, BeforeValidator(_parse_moment)]
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class Party(Strict):
    nom: Text
    neq: Neq | None = None


class AwardData(Strict):
    """One award of a SEAO contract: who won it, and for how much (CAD)."""

    id: Text
    date: Moment | None = None
    fournisseurs: list[Party] = Field(min_length=1)
    montant: Amount | None = Field(None, description="Montant adjugé (awards[].value.amount)")
    montant_final: Amount | None = Field(
        None, description="Montant final, s'il est connu (contracts[].value.amount)"
    )


class ContractData(Strict):
    """One SEAO contracting process (ocid), as ``make contrats`` writes it in content/contrats/."""

    ocid: Text
    avis: Text = Field(description="Numéro de l'avis SEAO (la fin de l'ocid)")
    date: Moment = Field(description="Date de la publication la plus récente lue")
    acheteur: Party
    titre: Text | None = None
    mode: Text | None = Field(None, description="Mode d'adjudication (procurementMethodDetails)")
    unspsc: list[Text] = []
    attributions: list[AwardData] = Field(min_length=1)
    exemple: bool = Field(False, description="Donnée d'exemple, pas un vrai contrat")
