"""schema.org JSON-LD for enterprise and event pages, built from the model and safe inside <script>.

Every value is one the page shows or links to, in the form search engines document
(Organization and Event in Google's structured-data guides): phone numbers with the
country code, an organisation's own website or no ``url`` at all (the listing page
is ``mainEntityOfPage``, not its website), an event's registration link only while
the page offers it.

Each language's page has its own document: the listing's text in that language
where it gives one (else the French the page shows), vocabulary labels in that
language, that page's address. The organisation's (event's) ``@id`` is the same on
both: one organisation. A page in another language than the site's main one says
so: ``mainEntityOfPage`` is then a WebPage with its ``inLanguage`` (the main
language's pages keep the plain address: they weigh no more for the English site).
"""

from __future__ import annotations

import datetime as dt
import json

from markupsafe import Markup

from .. import urls
from ..content.model import Directory, Event
from ..content.schema import TIMEZONE
from ..formatting import phone_uri
from ..settings import Settings

SCHEMA = "https://schema.org"


def json_ld(directory: Directory, settings: Settings, enterprise, language: str = "") -> str:
    """schema.org description of an enterprise for its page in ``language`` (the main
    one by default), safe to put inside a <script> element."""
    d = enterprise.data
    language = language or settings.language
    vocabularies = directory.vocabularies.in_language(language)
    text = enterprise.text(language)
    page = settings.absolute_url(_localized(settings, language).enterprise(enterprise.slug))
    document = {
        "@context": SCHEMA,
        "@type": "Organization",
        "@id": settings.absolute_url(urls.enterprise(enterprise.slug)) + "#organisation",
        "name": d.nom,
        "description": text.mission.text,
        "mainEntityOfPage": _web_page(page, language, settings),
        "address": _address(d.adresse.rue, d.adresse.ville, d.adresse.code_postal),
        "areaServed": [
            {"@type": "AdministrativeArea", "name": vocabularies.label("territoires", code)}
            for code in d.territoires
        ],
        "knowsLanguage": list(d.langues),
        "hasOfferCatalog": {
            "@type": "OfferCatalog",
            "name": d.nom,
            "itemListElement": [
                {"@type": "Offer", "name": item.name.text, "description": item.description.text}
                for item in text.offer
            ],
        },
    }
    optional = {
        "url": d.contact.site_web,
        "telephone": d.contact.telephone and phone_uri(d.contact.telephone),
        "email": d.contact.courriel,
        "identifier": d.neq and {"@type": "PropertyValue", "propertyID": "NEQ", "value": d.neq},
        "foundingDate": d.fondation and str(d.fondation),
        "logo": d.logo and _logo(settings, d.logo),
    }
    document |= {key: value for key, value in optional.items() if value}
    return _script_safe(document)


def event_json_ld(
    directory: Directory, settings: Settings, event: Event, language: str = ""
) -> str:
    """schema.org description of an event for its page in ``language`` (the main one by
    default), safe to put inside a <script> element."""
    d = event.data
    language = language or settings.language
    localized = _localized(settings, language)
    vocabularies = directory.vocabularies.in_language(language)
    text = event.text(language)
    page = settings.absolute_url(localized.event(event.slug))
    upcoming = event.is_upcoming(directory.build_time)
    logos = [_logo(settings, e.data.logo) for e in event.enterprises if e.data.logo]
    document = {
        "@context": SCHEMA,
        "@type": "Event",
        "@id": settings.absolute_url(urls.event(event.slug)) + "#evenement",
        "name": text.title.text,
        "url": page,
        "startDate": d.debut.isoformat(),
        "endDate": d.fin.isoformat(),
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        # The language the event is held in (French: an event says nothing else).
        "inLanguage": settings.language,
        "location": {
            "@type": "Place",
            "name": d.lieu.nom,
            "address": _address(d.lieu.adresse, d.lieu.ville, d.lieu.code_postal),
        },
        # The participants' logos, else the campaign's picture: never no image.
        "image": logos or [settings.absolute_url(urls.site_image())],
        "organizer": {
            "@type": "Organization",
            "name": settings.site_name,
            "url": settings.absolute_url(localized.home()),
        },
        "audience": {
            "@type": "Audience",
            "audienceType": vocabularies.label("publics", d.public),
        },
        "keywords": vocabularies.label("types_evenements", d.type),
    }
    if language != settings.language:
        document["mainEntityOfPage"] = _web_page(page, language, settings)
    if text.description_html.text:
        document["description"] = Markup(text.description_html.text).striptags()
    if d.prix is not None:
        document["isAccessibleForFree"] = d.prix == 0
        document["offers"] = _offer(event, page, upcoming)
    if event.enterprises:
        document["contributor"] = [
            {
                "@type": "Organization",
                "name": e.name,
                "url": settings.absolute_url(localized.enterprise(e.slug)),
            }
            for e in event.enterprises
        ]
    return _script_safe(document)


def _offer(event: Event, page: str, upcoming: bool) -> dict:
    """Past events keep their price, but registration is closed and the page hides its link."""
    d = event.data
    offer = {
        "@type": "Offer",
        "price": f"{d.prix:.2f}",
        "priceCurrency": "CAD",
        "url": (d.inscription or page) if upcoming else page,
        "availability": f"{SCHEMA}/InStock" if upcoming else f"{SCHEMA}/OutOfStock",
    }
    # On sale since the event was announced (its file's first commit); unknown without
    # history, and meaningless for an event entered after it began.
    if event.added and event.added <= d.debut.date():
        offer["validFrom"] = dt.datetime.combine(event.added, dt.time(), TIMEZONE).isoformat()
    return offer


def _localized(settings: Settings, language: str) -> urls.Localized:
    return urls.Localized(language, settings.language)


def _web_page(url: str, language: str, settings: Settings) -> str | dict:
    if language == settings.language:
        return url
    return {"@type": "WebPage", "@id": url, "inLanguage": language}


def _address(street: str | None, town: str, postal_code: str | None) -> dict:
    address = {"@type": "PostalAddress", "streetAddress": street, "addressLocality": town}
    address |= {"postalCode": postal_code, "addressRegion": "QC", "addressCountry": "CA"}
    return {key: value for key, value in address.items() if value}


def _logo(settings: Settings, path: str) -> str:
    return settings.absolute_url(path.lstrip("/"))


def _script_safe(document: dict) -> str:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # JSON allows these escapes; HTML then never sees "</script>" or "<!--".
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
