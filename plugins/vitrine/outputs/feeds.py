"""An Atom feed of new and updated listings, for tools that build newsletters from a feed.

Hand-built with ElementTree so that the same directory always gives the same
bytes: entries are ordered by date then slug, and every date comes from the
listings, never from the clock. Logos travel as an ``enclosure`` link and a
Media RSS thumbnail (what Mailchimp's and Cyberimpact's RSS blocks read).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import xml.etree.ElementTree as ET
from pathlib import Path

from .. import urls
from ..build.site import Report, Site
from ..content.model import Enterprise
from ..content.schema import TIMEZONE

ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ET.register_namespace("", ATOM)
ET.register_namespace("media", MEDIA)


def _stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=TIMEZONE).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def image_type(path: str) -> str | None:
    return mimetypes.guess_type(path)[0]


def _latest(enterprise: Enterprise):
    """When the listing last made news: its arrival here or its update, the later.

    A listing's own update date may be older than the commit that brought it.
    """
    return max((d for d in (enterprise.added, enterprise.updated) if d), default=None)


def _entry(site, feed: ET.Element, enterprise: Enterprise, content: Path) -> None:
    data = enterprise.data
    link = site.absolute_url(urls.enterprise(enterprise.slug))
    entry = _sub(feed, "entry")
    _sub(entry, "title", data.nom)
    _sub(entry, "link", href=link, rel="alternate", type="text/html")
    _sub(entry, "id", link)
    _sub(entry, "published", _stamp(enterprise.added or enterprise.updated))
    _sub(entry, "updated", _stamp(_latest(enterprise)))
    # A listing's own update date may be older than its arrival here: still new.
    is_new = enterprise.updated is None or (
        enterprise.added is not None and enterprise.updated <= enterprise.added
    )
    _sub(entry, "category", term="nouvelle" if is_new else "mise-a-jour")
    for sector in data.secteurs:
        label = site.directory.vocabularies.label("secteurs", sector)
        _sub(entry, "category", term=sector, label=label)
    _sub(entry, "summary", data.mission, type="text")
    offer = "".join(f"<li>{_escape(item.nom)}</li>" for item in data.offre)
    html = f"<p>{_escape(data.mission)}</p><ul>{offer}</ul>"
    if data.logo:
        image = site.absolute_url(data.logo.lstrip("/"))
        kind = image_type(data.logo) or "application/octet-stream"
        logo_file = content / data.logo.lstrip("/")
        length = str(logo_file.stat().st_size) if logo_file.is_file() else "0"
        _sub(entry, "link", rel="enclosure", href=image, type=kind, length=length)
        ET.SubElement(entry, f"{{{MEDIA}}}thumbnail", {"url": image})
        alt = f"Logo de {data.nom}"
        html = f'<p><img src="{_escape(image)}" alt="{_escape(alt)}"></p>{html}'
    _sub(entry, "content", html, type="html")


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def entries(enterprises: list[Enterprise], size: int) -> list[Enterprise]:
    """Dated listings, most recently added or changed first."""
    dated = [e for e in enterprises if e.updated or e.added]
    dated.sort(key=lambda e: e.slug)
    dated.sort(key=_latest, reverse=True)
    return dated[:size]


def atom(site: Site, title: str, size: int) -> bytes:
    """The newest ``size`` new or updated listings (VITRINE_FEED_SIZE: the feed stays small)."""
    directory = site.directory
    content = site.settings.content
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "fr"})
    _sub(feed, "title", title)
    _sub(feed, "id", site.absolute_url(urls.news_feed()))
    _sub(feed, "link", rel="self", href=site.absolute_url(urls.news_feed()))
    _sub(feed, "link", rel="alternate", type="text/html", href=site.absolute_url(urls.home()))
    chosen = entries(directory.enterprises, size)
    newest = max((_latest(e) for e in chosen), default=directory.build_time.date())
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", site.settings.site_name)
    for enterprise in chosen:
        _entry(site, feed, enterprise, content)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def write(site: Site) -> Report:
    title = f"{site.settings.site_name} — nouveautés du répertoire"
    path = site.writer.write_file(urls.news_feed(), atom(site, title, site.settings.feed_size))
    return Report("fil Atom", (path,))
