"""The digest (infolettre): each issue as a web page, e-mail HTML, plain text and a .eml.

Issues come from ``content/digests/<code>.md`` (see issues.py), plus the month
named by ``VITRINE_DIGEST_PERIOD`` (``make digest PERIOD=2026-12``) when no file
describes it. Each one lands under a stable address, ``infolettre/<code>/``:

* ``index.html`` — the web version, also the e-mail's "view in browser" link;
* ``courriel.html`` — e-mail HTML to paste or import into Mailchimp, Cyberimpact
  or Outlook (tables ≤ 600 px, CSS inlined, absolute links with UTM parameters);
* ``courriel.txt`` — the plain-text part, from its own template;
* ``infolettre-<code>.eml`` — both parts in one message, to open or send as a test.

``infolettre/`` lists every issue, newest first. The Atom feed of new and updated
listings (outputs/feeds.py) is written alongside.
"""

from __future__ import annotations

import datetime as dt
import gettext
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ... import urls
from ...build.site import Report, Site
from ...formatting import MONTHS, date_fr
from ...problems import ContentError, Problem
from ...settings import Settings
from ...translations import load_translations
from . import email as digest_email
from .content import select
from .issues import (
    MONTH_HINT,
    Digest,
    default_digest,
    is_month,
    load_digests,
    month_end,
    parse_month,
)


def _translator(settings: Settings):
    return load_translations(settings.theme / "translations", settings.language)


def period_label(start: dt.date, end: dt.date, _=gettext.gettext) -> str:
    """« novembre 2026 » for a whole month, else « du 3 au 17 novembre 2026 »."""
    if start.day == 1 and end == month_end(start):
        return f"{MONTHS[start.month - 1]} {start.year}"
    return _("du %(start)s au %(end)s") % {"start": date_fr(start), "end": date_fr(end)}


def issues(settings: Settings) -> list[Digest]:
    """Every issue to build, newest first; stop the build on any invalid digest file."""
    digests, problems = load_digests(settings.digests_path)
    period = settings.digest_period.strip()
    if period and not is_month(period):
        problems.append(
            Problem(Path("VITRINE_DIGEST_PERIOD"), 1, "", f"« {period} » : {MONTH_HINT}")
        )
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise ContentError(problems)
    if period and period not in {d.code for d in digests}:
        _ = _translator(settings).gettext
        first = parse_month(period)
        digests.append(
            default_digest(
                period,
                _("Infolettre — %(period)s") % {"period": period_label(first, month_end(first), _)},
                _(
                    "Voici les entreprises qui se sont jointes au répertoire, les fiches "
                    "mises à jour et les événements à venir."
                ),
            )
        )
    return sorted(digests, key=lambda d: (d.start, d.end, d.code), reverse=True)


def _sender(settings: Settings) -> str:
    if settings.digest_from:
        return settings.digest_from
    host = urlsplit(settings.absolute_url("")).hostname or "localhost"
    return f'"{settings.site_name}" <infolettre@{host}>'


def write(site: Site) -> Report:
    settings = site.settings
    digests = site.digests
    writer = site.writer
    _ = _translator(settings).gettext
    files = []
    for digest in digests:
        content = select(site.directory, digest, site.commits, settings.digest_event_days)
        url = urls.digest(digest.code)
        context = {
            "digest": digest,
            "content": content,
            "period": period_label(digest.start, digest.end, _),
            "issue_path": url,
            "archive_url": urls.digests(),
            "feed_url": urls.news_feed(),
        }
        files.append(writer.write_page(url, "digest", **context))
        html, text = _email(site, context)
        files.append(writer.write_file(f"{url}courriel.html", html))
        files.append(writer.write_file(f"{url}courriel.txt", text))
        eml = digest_email.message(
            subject=digest.title,
            sender=_sender(settings),
            text=text,
            html=html,
            date=site.directory.build_time,
            code=digest.code,
        )
        files.append(writer.write_file(f"{url}infolettre-{digest.code}.eml", eml))
        if digest.code == settings.digest_period.strip():
            print(f"Vitrine : infolettre {digest.code} écrite dans {site.output / url}")
    archive = writer.write_page(
        urls.digests(),
        "digest_archive",
        digests=digests,
        feed_url=urls.news_feed(),
        issue_url=urls.digest,
        periods={d.code: period_label(d.start, d.end, _) for d in digests},
    )
    return Report("infolettre", (*files, archive))


def _email(site: Site, context: dict) -> tuple[str, str]:
    """The e-mail HTML (inlined, size-checked) and its plain-text twin."""
    code = context["digest"].code

    def link(url: str) -> str:
        return digest_email.tracked(site.absolute_url(url), code)

    values = {
        **context,
        "link": link,
        "intro_text": digest_email.text_links(
            context["digest"].intro_markdown, site.absolute_url, code
        ),
        "intro_html": digest_email.absolute_links(
            context["digest"].intro_html, site.absolute_url, code
        ),
        "image_url": lambda path: site.absolute_url(path.lstrip("/")),
        "unsubscribe": site.settings.digest_unsubscribe,
    }
    html = site.writer.render("digest_email.html", values)
    html = digest_email.inline(html).rstrip("\n") + "\n"
    digest_email.check_size(
        html,
        f"{urls.digest(code)}courriel.html",
        site.settings.digest_warn_bytes,
        site.settings.digest_max_bytes,
    )
    text = site.writer.render("digest_email.txt", values)
    return html, text
