"""schema.org JSON-LD for enterprise pages, built from the model and safe inside <script>."""

from __future__ import annotations

import json

from .. import urls
from ..content.model import Directory
from ..settings import Settings


def json_ld(directory: Directory, settings: Settings, enterprise) -> str:
    """schema.org description of an enterprise, safe to put inside a <script> element."""
    d = enterprise.data
    vocabularies = directory.vocabularies
    page = settings.absolute_url(urls.enterprise(enterprise.slug))
    address = {"@type": "PostalAddress", "addressLocality": d.adresse.ville}
    if d.adresse.rue:
        address["streetAddress"] = d.adresse.rue
    if d.adresse.code_postal:
        address["postalCode"] = d.adresse.code_postal
    address |= {"addressRegion": "QC", "addressCountry": "CA"}
    document = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": page + "#organisation",
        "name": d.nom,
        "description": d.mission,
        "url": d.contact.site_web or page,
        "mainEntityOfPage": page,
        "address": address,
        "areaServed": [
            {"@type": "AdministrativeArea", "name": vocabularies.label("territoires", code)}
            for code in d.territoires
        ],
        "knowsLanguage": list(d.langues),
        "hasOfferCatalog": {
            "@type": "OfferCatalog",
            "name": d.nom,
            "itemListElement": [
                {"@type": "Offer", "name": item.nom, "description": item.description}
                for item in d.offre
            ],
        },
    }
    optional = {
        "telephone": d.contact.telephone,
        "email": d.contact.courriel,
        "identifier": d.neq and {"@type": "PropertyValue", "propertyID": "NEQ", "value": d.neq},
        "foundingDate": d.fondation and str(d.fondation),
        "logo": d.logo and settings.absolute_url(d.logo.lstrip("/")),
    }
    document |= {key: value for key, value in optional.items() if value}
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    # JSON allows these escapes; HTML then never sees "</script>" or "<!--".
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
