"""Vitrine's settings: one typed object, checked once, used by the build and the command line.

Staff write them in ``pelicanconf.py`` (Vitrine's keys start with ``VITRINE_``);
the defaults are written here and nowhere else. A few keys that a deploy or a
command sets for one run (``ENVIRONMENT``) may also come from an environment
variable of the same name, which wins. A wrong value or an unknown key stops the
build, or the command, with a French message naming the key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from .content.explain import explain
from .content.schema import TIMEZONE
from .problems import BuildError

SETTINGS_FILE = "pelicanconf.py"

# Keys an environment variable of the same name may set (it wins over pelicanconf.py).
ENVIRONMENT = (
    "VITRINE_SITE_URL",
    "VITRINE_BUILD_DATE",
    "VITRINE_CONTACT_EMAIL",
    "VITRINE_REPOSITORY_URL",
)


# What the site itself uses, and nothing more (outputs/security.py): scripts and styles
# from the site, Pagefind's WebAssembly the narrow way, no plugin, no <base>, forms to
# the site only. A site that embeds a video or a map widens one directive here.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",  # headers only: browsers ignore it in a <meta>
}


@dataclass(frozen=True)
class Layout:
    """Where content lives; paths as given (relative paths print shorter)."""

    enterprises: Path
    events: Path
    root: Path | None = None  # the content folder; default: the enterprises' parent
    buyers: Path | None = None  # signatories (content/acheteurs/); None: none read
    contracts: Path | None = None  # SEAO contracts kept by `make contrats`; None: none read

    @property
    def content(self) -> Path:
        return self.root if self.root is not None else self.enterprises.parent


class SettingsError(BuildError):
    """A setting has a value Vitrine cannot use."""


def _key(name: str, default: Any, **checks: Any) -> Any:
    return Field(default, alias=name, **checks)


class Settings(BaseModel):
    """Every setting a build or a command reads, typed; see README « Réglages »."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    # Pelican's own settings that Vitrine reads.
    content: Path = _key("PATH", Path("content"))
    output: Path = _key("OUTPUT_PATH", Path("output"))
    pelican_cache: Path = _key("CACHE_PATH", Path("cache"))
    theme: Path = _key("THEME", Path("theme"))
    site_name: str = _key("SITENAME", "Vitrine")
    language: str = _key("DEFAULT_LANG", "fr")  # the site at the root of the output
    relative_urls: bool = _key("RELATIVE_URLS", False)
    static_paths: list[str] = _key("STATIC_PATHS", ["images"])

    # Where content lives, relative to PATH.
    enterprises_folder: str = _key("VITRINE_ENTERPRISES", "enterprises")
    events_folder: str = _key("VITRINE_EVENTS", "events")
    vocabularies_file: str = _key("VITRINE_VOCABULARIES", "vocabulaires.yml")
    digests_folder: str = _key("VITRINE_DIGESTS", "digests")
    # Signatories of the purchasing pledge, and the SEAO contracts `make contrats` keeps.
    buyers_folder: str = _key("VITRINE_BUYERS", "acheteurs")
    contracts_folder: str = _key("VITRINE_CONTRACTS", "contrats")
    # "2026-11-27" or "2026-11-27 12:00": fixes "now" (else SOURCE_DATE_EPOCH, else the clock).
    build_date: str | None = _key("VITRINE_BUILD_DATE", None)
    # Public address of the site: absolute links in feeds, calendars and e-mail.
    site_url: str = _key(
        "VITRINE_SITE_URL", "https://repertoire.economiesociale-estrie.example", min_length=1
    )
    contact_email: str = _key("VITRINE_CONTACT_EMAIL", "")  # buyers' contact on the home page
    repository_url: str = _key("VITRINE_REPOSITORY_URL", "")  # forge: "edit this listing" links
    repository_branch: str = _key("VITRINE_REPOSITORY_BRANCH", "main", min_length=1)
    # Every build writes the site in each language, page for page: DEFAULT_LANG at the
    # root, the others under their code (urls.py). Each needs theme/translations/<code>.po.
    languages: list[str] = _key("VITRINE_LANGUAGES", ["fr", "en"], min_length=1)
    page_size: PositiveInt = _key("VITRINE_PAGE_SIZE", 100)  # entries per browse page
    # Processes that render pages; None: one per core on big sites.
    workers: PositiveInt | None = _key("VITRINE_WORKERS", None)
    # Rebuilds render only pages whose inputs changed (records in the cache folder).
    incremental: bool = _key("VITRINE_INCREMENTAL", True)
    # Pages per search-index shard: one Pagefind run each, re-run only when its pages change.
    search_shard_pages: PositiveInt = _key("VITRINE_SEARCH_SHARD_PAGES", 2000)
    feed_size: PositiveInt = _key("VITRINE_FEED_SIZE", 50)  # entries in the Atom feed
    # A listing not updated for this many months says « À vérifier » (make a-verifier).
    stale_months: PositiveInt = _key("VITRINE_STALE_MONTHS", 12)
    # The digest (infolettre): see README.
    digest_event_days: PositiveInt = _key("VITRINE_DIGEST_EVENT_DAYS", 60)
    # Who sends it: CASL wants a name, a postal address and a contact in every issue;
    # the build writes no e-mail without them.
    digest_sender_name: str = _key("VITRINE_DIGEST_SENDER_NAME", "")
    digest_postal_address: str = _key("VITRINE_DIGEST_POSTAL_ADDRESS", "")
    digest_contact: str = _key("VITRINE_DIGEST_CONTACT", "")  # e-mail, phone or web address
    # The mailing tool staff import the e-mail into: its unsubscribe link and merge tags.
    digest_tool: Literal["mailchimp", "cyberimpact", "brevo", "eml"] = _key(
        "VITRINE_DIGEST_TOOL", "eml"
    )
    digest_unsubscribe: str = _key("VITRINE_DIGEST_UNSUBSCRIBE", "")  # else the tool's own
    digest_from: str = _key("VITRINE_DIGEST_FROM", "")  # default infolettre@<site host>
    # A commit adding or changing more listings than this is an import, never news.
    digest_import_threshold: PositiveInt = _key("VITRINE_DIGEST_IMPORT_THRESHOLD", 10)
    digest_warn_bytes: PositiveInt = _key("VITRINE_DIGEST_WARN_BYTES", 80 * 1024)
    digest_max_bytes: PositiveInt = _key("VITRINE_DIGEST_MAX_BYTES", 100 * 1024)
    # The Content-Security-Policy of every page and of the hosts' header files.
    content_security_policy: dict[str, str] = _key("VITRINE_CSP", CONTENT_SECURITY_POLICY)

    @property
    def layout(self) -> Layout:
        return Layout(
            enterprises=self.content / self.enterprises_folder,
            events=self.content / self.events_folder,
            root=self.content,
            buyers=self.content / self.buyers_folder,
            contracts=self.content / self.contracts_folder,
        )

    @property
    def vocabularies_path(self) -> Path:
        return self.content / self.vocabularies_file

    @property
    def digests_path(self) -> Path:
        return self.content / self.digests_folder

    @property
    def cache(self) -> Path:
        """Vitrine's cache folder: every cache it keeps lives here."""
        return self.pelican_cache / "vitrine"

    def build_time(self) -> dt.datetime:
        """The build's "now": a setting, else SOURCE_DATE_EPOCH, else the clock.

        Fixing it makes "upcoming events" and every date on the site reproducible.
        A build reads it once (the Directory keeps it).
        """
        return _build_time(self.build_date)

    @property
    def site_languages(self) -> list[str]:
        """The languages written, the main one (DEFAULT_LANG) first."""
        return [self.language, *(code for code in self.languages if code != self.language)]

    def absolute_url(self, url: str) -> str:
        """A URL that works outside the site (feeds, calendars, e-mail)."""
        return f"{self.site_url.rstrip('/')}/{url}"


def _build_time(fixed: str | None) -> dt.datetime:
    if fixed:
        text = str(fixed)
        parsed = dt.datetime.fromisoformat(text if " " in text or "T" in text else text + " 12:00")
        return parsed.replace(tzinfo=parsed.tzinfo or TIMEZONE)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=TIMEZONE)
    return dt.datetime.now(tz=TIMEZONE)


KEYS = {field.alias for field in Settings.model_fields.values()}


def read(values: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None):
    """Pelican's settings dict (or any part of it) → checked ``Settings``.

    Raises SettingsError listing every wrong key at once.
    """
    values = dict(values or {})
    environ = os.environ if environ is None else environ
    values.update({key: environ[key] for key in ENVIRONMENT if environ.get(key)})
    problems = [_unknown(key) for key in sorted(values) if _is_unknown(key)]
    try:
        settings = Settings.model_validate({k: v for k, v in values.items() if k in KEYS})
    except ValidationError as err:
        for error in err.errors(include_url=False):
            loc, message = explain(error, Settings)
            problems.append(f"{loc[0] if loc else ''} : {message}")
        settings = None
    if settings is not None and settings.build_date:
        try:
            settings.build_time()  # fails now rather than mid-build
        except ValueError:
            problems.append(
                f"VITRINE_BUILD_DATE : date invalide « {settings.build_date} » : "
                "écrivez AAAA-MM-JJ ou AAAA-MM-JJ HH:MM"
            )
    if settings is not None and settings.language not in settings.languages:
        problems.append(
            f"VITRINE_LANGUAGES : doit contenir la langue du site (DEFAULT_LANG = "
            f'« {settings.language} »), ex. ["fr", "en"]'
        )
    if problems:
        raise SettingsError(
            f"Vitrine : réglage invalide dans {SETTINGS_FILE} (ou l'environnement) :\n"
            + "\n".join(f"- {problem}" for problem in problems)
        )
    return settings


def _is_unknown(key: str) -> bool:
    return key.startswith("VITRINE_") and key not in KEYS


def _unknown(key: str) -> str:
    known = sorted(k for k in KEYS if k.startswith("VITRINE_"))
    guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"vouliez-vous dire « {guess[0]} » ? " if guess else ""
    return f"{key} : réglage inconnu : {hint}réglages possibles : {', '.join(known)}"


def from_file(path: Path | str = SETTINGS_FILE) -> Settings:
    """The settings of a ``pelicanconf.py``, as the build reads them (for the command line)."""
    from pelican.settings import read_settings

    path = Path(path)
    if not path.is_file():  # run from elsewhere: Vitrine's defaults
        return read({})
    return read(read_settings(str(path)))
