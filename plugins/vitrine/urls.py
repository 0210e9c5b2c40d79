"""The one place where page addresses are made.

Each function returns the URL path (what a link points at, ending in ``/``);
``save_as`` turns it into the file the writer writes.

The site is written in each language of ``VITRINE_LANGUAGES``: the first at the
root, the others under their code (``en/``), page for page. ``Localized`` is this
module for one language: the pages, calendars, feed and directory files that exist in
every language take its prefix, the rest (contracts data, the digest) are one file for
both sites and keep their address.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

BROWSE_ROOTS = {
    "secteurs": "secteurs",
    "territoires": "territoires",
    "formes_juridiques": "formes-juridiques",
    "certifications": "certifications",
    "tailles_contrat": "tailles-de-contrat",
    "faits": "faits-declares",
}


def home() -> str:
    return ""


def enterprise(slug: str) -> str:
    return f"entreprises/{slug}/"


def event(slug: str) -> str:
    return f"evenements/{slug}/"


def events() -> str:
    return "evenements/"


def event_calendar(slug: str) -> str:
    """One event's "add to my calendar" file, beside its page."""
    return f"evenements/{slug}/evenement.ics"


def events_calendar() -> str:
    """The calendar feed of every event, for subscriptions."""
    return "evenements/calendrier.ics"


def digests() -> str:
    return "infolettre/"


def digest(code: str) -> str:
    return f"infolettre/{code}/"


def news_feed() -> str:
    return "flux/nouveautes.atom"


def directory(page: int = 1) -> str:
    return "repertoire/" if page == 1 else f"repertoire/page/{page}/"


def browse_index(vocabulary: str) -> str:
    return f"{BROWSE_ROOTS[vocabulary]}/"


def browse(vocabulary: str, code: str, page: int = 1) -> str:
    base = f"{BROWSE_ROOTS[vocabulary]}/{code}/"
    return base if page == 1 else f"{base}page/{page}/"


def search() -> str:
    return "recherche/"


def shortlist() -> str:
    return "ma-selection/"


def portfolio() -> str:
    return "portfolio/"


def page(slug: str) -> str:
    """One of the staff's own pages (content/pages/, content/pages/en/)."""
    return f"{slug}/"


def contribute() -> str:
    """The contribution guide, a staff page (content/pages/)."""
    return "ajouter-ou-modifier-votre-fiche/"


def accessibility() -> str:
    """The accessibility statement, a staff page (content/pages/accessibilite.md)."""
    return "accessibilite/"


def privacy() -> str:
    """What the site stores, a staff page (content/pages/confidentialite.md)."""
    return "confidentialite/"


# The campaign page's slug (content/pages/la-campagne.md): the home page shows its text.
CAMPAIGN = "la-campagne"


def campaign() -> str:
    """The campaign and the pilot's results, a staff page the home page also shows."""
    return page(CAMPAIGN)


def not_found() -> str:
    """The page a host serves for a missing address: GitHub Pages reads /404.html
    (the English one, en/404.html, is for hosts that serve one per folder)."""
    return "404.html"


def directory_json() -> str:
    """The whole directory as open data."""
    return "donnees/entreprises.json"


def directory_csv() -> str:
    return "donnees/entreprises.csv"


# The main menu's sections, and the address prefixes of the pages under each.
SECTIONS = {
    "repertoire": ("repertoire/", "entreprises/", "formes-juridiques/"),
    "secteurs": ("secteurs/",),
    "territoires": ("territoires/",),
    "certifications": ("certifications/",),
    "evenements": ("evenements/",),
    "ils-s-engagent": ("ils-s-engagent/",),
    "resultats": ("resultats/",),
    "selection": ("ma-selection/",),
}


def section(url: str) -> str:
    """The menu section a page belongs to ("" for none): marked as current in the menu."""
    for name, prefixes in SECTIONS.items():
        if url.startswith(prefixes):
            return name
    return ""


def buyers() -> str:
    """« Ils s'engagent »: the signatories of the purchasing pledge."""
    return "ils-s-engagent/"


def buyer(slug: str) -> str:
    return f"ils-s-engagent/{slug}/"


def results() -> str:
    """« Résultats de la campagne »: public contracts won, from SEAO's open data."""
    return "resultats/"


def contracts_json() -> str:
    """Contracts won by listed enterprises, and the campaign's yearly figures, as open data."""
    return "donnees/contrats.json"


def contracts_csv() -> str:
    return "donnees/contrats.csv"


# A SEAO notice, from the notice number (the last part of the ocid, content/seao.py).
# SEAO's own notice pages are addressed by an internal identifier that its open data
# does not carry, so the link is SEAO's public search for that number. The one place
# to change if SEAO changes its addresses.
SEAO_NOTICE = "https://seao.gouv.qc.ca/rechercher?numeroAvis={number}"


def seao_notice(number: str) -> str:
    return SEAO_NOTICE.format(number=quote(number, safe=""))


def save_as(url: str) -> str:
    return url if url.endswith(".html") else f"{url}index.html"


def source_path(settings, kind: str, slug: str) -> str:
    """Where a listing or event lives in the repository (the content folder at its top)."""
    folder = settings.enterprises_folder if kind == "enterprise" else settings.events_folder
    return f"{settings.content.name}/{folder}/{slug}.md"


def edit_listing(settings, kind: str, slug: str) -> str:
    """The forge's web editor for one listing file (GitHub/Gitea/Forgejo style)."""
    repository = settings.repository_url.rstrip("/")
    branch = settings.repository_branch
    return f"{repository}/edit/{branch}/{source_path(settings, kind, slug)}"


def site_image() -> str:
    """The campaign's picture (theme/static/images/): events without a listing's logo."""
    return "theme/images/vitrine.png"


# The addresses that have a twin in every language (the others are shared).
LOCALIZED = (
    "home",
    "enterprise",
    "event",
    "events",
    "directory",
    "browse_index",
    "browse",
    "search",
    "shortlist",
    "portfolio",
    "buyers",
    "buyer",
    "results",
    "page",
    "contribute",
    "accessibility",
    "privacy",
    "campaign",
    "not_found",
    "event_calendar",
    "events_calendar",
    "news_feed",
    "directory_json",
    "directory_csv",
)


def prefix(language: str, main: str) -> str:
    """Where a language's pages live: ``""`` for the main language, ``"en/"`` for English."""
    return "" if language == main else f"{language}/"


def twin(url: str, language: str, other: str, main: str) -> str:
    """The address of the page at ``url`` (in ``language``) in the ``other`` language."""
    return prefix(other, main) + url.removeprefix(prefix(language, main))


def search_bundles(language: str, main: str) -> str:
    """The folder of a language's search bundles: each site searches its own pages only."""
    return f"{prefix(language, main)}pagefind/"


class Localized:
    """This module for one language: ``urls.enterprise(slug)`` on the English site is
    ``en/entreprises/<slug>/``. Templates and page plans use it as they use the module."""

    def __init__(self, language: str, main: str):
        self.language = language
        self.main = main
        self.prefix = prefix(language, main)

    def __getattr__(self, name: str):
        value = globals()[name]
        if name not in LOCALIZED:
            return value
        return _prefixed(value, self.prefix)

    def search_bundles(self) -> str:
        return search_bundles(self.language, self.main)

    def section(self, url: str) -> str:
        """The menu section of one of this language's pages (``section``, unprefixed)."""
        return section(url.removeprefix(self.prefix))


def _prefixed(make: Callable[..., str], before: str) -> Callable[..., str]:
    def localized(*args, **kwargs) -> str:
        return before + make(*args, **kwargs)

    return localized
