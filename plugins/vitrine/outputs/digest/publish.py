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
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ... import urls
from ...formatting import MONTHS, date_fr
from ...problems import ContentError, Problem
from ...settings import with_defaults
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


def digest_settings(site) -> dict:
    """Digest settings over their defaults; the period may also come from the environment."""
    values = with_defaults(site.settings)
    values["VITRINE_DIGEST_PERIOD"] = str(
        values["VITRINE_DIGEST_PERIOD"] or os.environ.get("VITRINE_DIGEST_PERIOD", "")
    ).strip()
    return values


def _translator(site):
    language = site.settings.get("DEFAULT_LANG", "fr")
    return load_translations(Path(site.theme) / "translations", language)


def period_label(start: dt.date, end: dt.date, _=gettext.gettext) -> str:
    """« novembre 2026 » for a whole month, else « du 3 au 17 novembre 2026 »."""
    if start.day == 1 and end == month_end(start):
        return f"{MONTHS[start.month - 1]} {start.year}"
    return _("du %(start)s au %(end)s") % {"start": date_fr(start), "end": date_fr(end)}


def issues(site, settings: dict) -> list[Digest]:
    """Every issue to build, newest first; stop the build on any invalid digest file."""
    folder = Path(site.path) / settings["VITRINE_DIGESTS"]
    digests, problems = load_digests(folder)
    period = settings["VITRINE_DIGEST_PERIOD"]
    if period and not is_month(period):
        problems.append(
            Problem(Path("VITRINE_DIGEST_PERIOD"), 1, "", f"« {period} » : {MONTH_HINT}")
        )
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise ContentError(problems)
    if period and period not in {d.code for d in digests}:
        _ = _translator(site).gettext
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


def _sender(site, settings: dict) -> str:
    if settings["VITRINE_DIGEST_FROM"]:
        return settings["VITRINE_DIGEST_FROM"]
    host = urlsplit(site.absolute_url("")).hostname or "localhost"
    return f'"{site.settings.get("SITENAME", "Vitrine")}" <infolettre@{host}>'


def write(site) -> None:
    settings = digest_settings(site)
    digests = site.digests
    commits = site.commits
    _ = _translator(site).gettext
    for digest in digests:
        content = select(
            site.directory, digest, commits, int(settings["VITRINE_DIGEST_EVENT_DAYS"])
        )
        url = urls.digest(digest.code)
        context = {
            "digest": digest,
            "content": content,
            "period": period_label(digest.start, digest.end, _),
            "issue_path": url,
            "archive_url": urls.digests(),
            "feed_url": urls.news_feed(),
        }
        site.write_page(url, "digest", **context)
        html, text = _email(site, settings, context)
        site.write_file(f"{url}courriel.html", html)
        site.write_file(f"{url}courriel.txt", text)
        eml = digest_email.message(
            subject=digest.title,
            sender=_sender(site, settings),
            text=text,
            html=html,
            date=site.directory.build_time,
            code=digest.code,
        )
        site.write_file(f"{url}infolettre-{digest.code}.eml", eml)
        if digest.code == settings["VITRINE_DIGEST_PERIOD"]:
            where = Path(site.output_path) / url
            print(f"Vitrine : infolettre {digest.code} écrite dans {where}")
    site.write_page(
        urls.digests(),
        "digest_archive",
        digests=digests,
        feed_url=urls.news_feed(),
        issue_url=urls.digest,
        periods={d.code: period_label(d.start, d.end, _) for d in digests},
    )


def _email(site, settings: dict, context: dict) -> tuple[str, str]:
    """The e-mail HTML (inlined, size-checked) and its plain-text twin."""
    code = context["digest"].code

    def link(url: str) -> str:
        return digest_email.tracked(site.absolute_url(url), code)

    values = {
        **site.context,
        **context,
        "link": link,
        "intro_text": digest_email.text_links(
            context["digest"].intro_markdown, site.absolute_url, code
        ),
        "intro_html": digest_email.absolute_links(
            context["digest"].intro_html, site.absolute_url, code
        ),
        "image_url": lambda path: site.absolute_url(path.lstrip("/")),
        "unsubscribe": settings["VITRINE_DIGEST_UNSUBSCRIBE"],
    }
    html = site.env.get_template("digest_email.html").render(values)
    html = digest_email.inline(html).rstrip("\n") + "\n"
    digest_email.check_size(
        html,
        f"{urls.digest(code)}courriel.html",
        int(settings["VITRINE_DIGEST_WARN_BYTES"]),
        int(settings["VITRINE_DIGEST_MAX_BYTES"]),
    )
    text = site.env.get_template("digest_email.txt").render(values)
    return html, text
