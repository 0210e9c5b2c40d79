"""An Atom feed of new and updated listings, for tools that build newsletters from a feed.

Hand-built with ElementTree so that the same directory always gives the same
bytes: entries are ordered by time then slug, and every time comes from the
listings or their history, never from the clock. A listing's times are those of
the commits that added and last changed it (a reader orders entries by them and
sees a change); its ``date_ajout`` / ``date_mise_a_jour`` win when it has them,
at the time of a commit that day if there is one. Imports (commits touching more
files than ``VITRINE_DIGEST_IMPORT_THRESHOLD``) are not news, here as in the
digest: a listing known only from one is left out. Logos travel as an ``enclosure`` link and a
Media RSS thumbnail (what Mailchimp's and Cyberimpact's RSS blocks read).

Each site has its feed (``en/flux/nouveautes.atom``, ``xml:lang="en"``): the same
entries, linking to that site's pages, with the listing's English text where it gives
one; French text in the English feed says so (``xml:lang="fr"`` on its element).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .. import urls
from ..build.site import Report, Site
from ..content.history import Commit
from ..content.model import Enterprise
from ..content.schema import TIMEZONE

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ET.register_namespace("", ATOM)
ET.register_namespace("media", MEDIA)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TIMEZONE)


def _stamp(time: dt.datetime) -> str:
    return time.astimezone(TIMEZONE).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def image_type(path: str) -> str | None:
    return mimetypes.guess_type(path)[0]


@dataclass(frozen=True)
class News:
    """A listing as the feed tells it: when it arrived and when it last changed."""

    enterprise: Enterprise
    published: dt.datetime
    updated: dt.datetime

    @property
    def is_new(self) -> bool:
        return self.updated <= self.published


def _at(day: dt.date, commits: list[Commit]) -> dt.datetime:
    """The time of the latest commit of ``day``, else that day's midnight."""
    same = [c.time for c in commits if c.day == day and c.time]
    return max(same) if same else _midnight(day)


def news(enterprise: Enterprise, commits: list[Commit] | None, threshold: int) -> News | None:
    """When ``enterprise`` made news, or None (undated, or known only from an import)."""
    data = enterprise.data
    if commits is None:  # no history: the listing's own dates, as days
        days = [d for d in (enterprise.added, enterprise.updated) if d]
        if not days:
            return None
        return News(enterprise, _midnight(days[0]), _midnight(max(days)))
    told = [c for c in commits if not c.is_import(threshold)]
    if data.date_ajout:
        published = _at(data.date_ajout, commits)
    elif commits and not commits[-1].is_import(threshold) and commits[-1].time:
        published = commits[-1].time
    else:
        published = None
    if data.date_mise_a_jour:
        updated = _at(data.date_mise_a_jour, commits)
    else:
        updated = next((c.time for c in told if c.time), None)
    times = [t for t in (published, updated) if t]
    if not times:
        return None
    return News(enterprise, published or min(times), max(times))


# The feed's own words, in each site's language.
WORDS = {
    "fr": {"title": "{} — nouveautés du répertoire", "logo": "Logo de {}"},
    "en": {"title": "{} — what's new in the directory", "logo": "{} logo"},
}


def _entry(site, feed: ET.Element, item: News, content: Path, language: str = "") -> None:
    enterprise = item.enterprise
    data = enterprise.data
    main = site.settings.language
    language = language or main
    text = enterprise.text(language)
    link = site.absolute_url(urls.Localized(language, main).enterprise(enterprise.slug))
    entry = _sub(feed, "entry")
    _sub(entry, "title", data.nom)
    _sub(entry, "link", href=link, rel="alternate", type="text/html")
    _sub(entry, "id", link)
    _sub(entry, "published", _stamp(item.published))
    _sub(entry, "updated", _stamp(item.updated))
    _sub(entry, "category", term="nouvelle" if item.is_new else "mise-a-jour")
    vocabularies = site.directory.vocabularies.in_language(language)
    for sector in data.secteurs:
        label = vocabularies.label("secteurs", sector)
        _sub(entry, "category", term=sector, label=label)
    summary = _sub(entry, "summary", text.mission.text, type="text")
    if text.mission.language != language:
        summary.set(XML_LANG, text.mission.language)
    offer = "".join(
        f"<li{_lang(o.name.language, language)}>{_escape(o.name.text)}</li>" for o in text.offer
    )
    mission = f"<p{_lang(text.mission.language, language)}>{_escape(text.mission.text)}</p>"
    html = f"{mission}<ul>{offer}</ul>"
    if data.logo:
        image = site.absolute_url(data.logo.lstrip("/"))
        kind = image_type(data.logo) or "application/octet-stream"
        logo_file = content / data.logo.lstrip("/")
        length = str(logo_file.stat().st_size) if logo_file.is_file() else "0"
        _sub(entry, "link", rel="enclosure", href=image, type=kind, length=length)
        ET.SubElement(entry, f"{{{MEDIA}}}thumbnail", {"url": image})
        alt = WORDS.get(language, WORDS["fr"])["logo"].format(data.nom)
        html = f'<p><img src="{_escape(image)}" alt="{_escape(alt)}"></p>{html}'
    _sub(entry, "content", html, type="html")


def _lang(written: str, page: str) -> str:
    """A ``lang`` attribute for HTML in the feed whose text is not in the feed's language."""
    return "" if written == page else f' lang="{written}"'


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def entries(site: Site, size: int) -> list[News]:
    """Listings that made news, most recently changed first (then by slug)."""
    commits = site.commits or None
    threshold = site.settings.digest_import_threshold
    found = []
    for enterprise in site.directory.enterprises:
        history = None if commits is None else commits.get(enterprise.source.resolve(), [])
        item = news(enterprise, history, threshold)
        if item:
            found.append(item)
    found.sort(key=lambda n: n.enterprise.slug)
    found.sort(key=lambda n: n.updated, reverse=True)
    return found[:size]


def atom(site: Site, title: str, size: int, language: str = "") -> bytes:
    """The newest ``size`` new or updated listings (VITRINE_FEED_SIZE: the feed stays small),
    for ``language``'s site (the main one by default)."""
    directory = site.directory
    content = site.settings.content
    language = language or site.settings.language
    localized = urls.Localized(language, site.settings.language)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _sub(feed, "title", title)
    _sub(feed, "id", site.absolute_url(localized.news_feed()))
    _sub(feed, "link", rel="self", href=site.absolute_url(localized.news_feed()))
    _sub(feed, "link", rel="alternate", type="text/html", href=site.absolute_url(localized.home()))
    chosen = entries(site, size)
    newest = chosen[0].updated if chosen else _midnight(directory.build_time.date())
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", site.settings.site_name)
    for item in chosen:
        _entry(site, feed, item, content, language)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def write(site: Site) -> Report:
    paths = []
    for language in site.settings.site_languages:
        localized = urls.Localized(language, site.settings.language)
        title = WORDS.get(language, WORDS["fr"])["title"].format(site.settings.site_name)
        feed = atom(site, title, site.settings.feed_size, language)
        paths.append(site.writer.write_file(localized.news_feed(), feed))
    return Report("fil Atom", tuple(paths))
