"""Pelican settings for the Vitrine directory. Vitrine's own keys: plugins/vitrine/settings.py."""

import os

SITENAME = "L'économie sociale, j'achète!"
SITESUBTITLE = "Répertoire des entreprises d'économie sociale de l'Estrie"
SITEURL = os.environ.get("SITEURL", "")
DEFAULT_LANG = "fr"
TIMEZONE = "America/Toronto"
LOCALE = ("fr_CA.UTF-8", "fr_FR.UTF-8", "C.UTF-8")

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["vitrine"]

# Listings and events are read by the vitrine plugin only; static pages (such as
# the contribution guide) are ordinary Pelican pages in content/pages/, their
# English versions in content/pages/en/ (``Lang: en``, the French page's ``Slug:``).
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra/favicon.ico"]
# Browsers ask for /favicon.ico on their own (theme/make_images.py makes it).
EXTRA_PATH_METADATA = {"extra/favicon.ico": {"path": "favicon.ico"}}
PAGE_URL = "{slug}/"
PAGE_LANG_URL = "{lang}/{slug}/"
# Pelican reads the pages; Vitrine writes them, in both languages (content/staff_pages.py).
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = ""

# Pages we don't publish: the blog parts of Pelican.
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None

JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
}

# Rebuilds keep the output folder: Vitrine rewrites only the pages whose inputs
# changed and removes the files it no longer writes (records in CACHE_PATH).
# `make clean` starts from nothing.
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
CACHE_PATH = "cache"

# Vitrine's settings (every key, its type and default: plugins/vitrine/settings.py).
# VITRINE_SITE_URL, VITRINE_BUILD_DATE, VITRINE_CONTACT_EMAIL and VITRINE_REPOSITORY_URL
# may also be set for one run by an environment variable of that name.

# Public address of the published site: absolute links in feeds, calendars and e-mail.
VITRINE_SITE_URL = "https://repertoire.economiesociale-estrie.example"
# Buyers who want to join the campaign write here (home page).
VITRINE_CONTACT_EMAIL = "achat@economiesociale-estrie.example"
# Forge where the listings live: "edit this listing" and "propose a listing" links.
VITRINE_REPOSITORY_URL = "https://github.com/rees-estrie/vitrine"
VITRINE_REPOSITORY_BRANCH = "main"

# The digest (infolettre). EXAMPLE VALUES for the sample site: put your own.
# The law (CASL) wants the sender's name, postal address and a contact in every
# issue; the build writes no e-mail without them.
VITRINE_DIGEST_SENDER_NAME = "REES-Estrie (exemple)"
VITRINE_DIGEST_POSTAL_ADDRESS = "123, rue Exemple, bureau 100, Sherbrooke (Québec)  J1H 0A0"
VITRINE_DIGEST_CONTACT = "infolettre@economiesociale-estrie.example"
# The tool you send with: mailchimp, cyberimpact, brevo or eml (a test message whose
# « Se désabonner » is a reply by e-mail).
VITRINE_DIGEST_TOOL = "mailchimp"
# A commit that adds or changes more listings than this is an import: never news.
VITRINE_DIGEST_IMPORT_THRESHOLD = 10
