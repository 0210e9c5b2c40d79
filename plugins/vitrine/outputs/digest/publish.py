"""The digest (infolettre): each issue as a web page, e-mail HTML, plain text and a .eml.

Issues come from ``content/digests/<code>.md`` (see issues.py) only:
``make digest PERIOD=2026-12`` writes that file (``new_issue``), so every later
build publishes the issue again. Each one lands under a stable address,
``infolettre/<code>/``:

* ``index.html`` — the web version, also the e-mail's "view in browser" link;
* ``courriel.html`` — e-mail HTML to paste or import into Mailchimp, Cyberimpact
  or Outlook (tables ≤ 600 px, CSS inlined, absolute links with UTM parameters);
* ``courriel.txt`` — the plain-text part, from its own template;
* ``infolettre-<code>.eml`` — both parts in one message, to open or send as a test.

``infolettre/`` lists every issue, newest first, with readers' links only (the
staff guide, content/pages, says where the files to send are). The Atom feed of
new and updated listings (outputs/feeds.py) is written alongside.
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
from ...problems import ContentError
from ...settings import Settings
from ...translations import load_translations
from . import email as digest_email
from .content import select, summary
from .issues import MONTH_HINT, Digest, is_month, load_digests, month_end, parse_month

# The e-mail's logo (theme/static/images): PNG, as Outlook and Gmail show no SVG.
EMAIL_LOGO = ("theme/images/infolettre-logo.png", 200, 48)


def _translator(settings: Settings):
    return load_translations(settings.theme / "translations", settings.language)


def period_label(start: dt.date, end: dt.date, _=gettext.gettext) -> str:
    """« novembre 2026 » for a whole month, else « du 3 au 17 novembre 2026 »."""
    if start.day == 1 and end == month_end(start):
        return f"{MONTHS[start.month - 1]} {start.year}"
    return _("du %(start)s au %(end)s") % {"start": date_fr(start), "end": date_fr(end)}


def issues(settings: Settings) -> list[Digest]:
    """Every issue to build, newest first; stop the build on any invalid digest file.

    Stops too, before anything is written, when there are issues but no sender
    identification (CASL).
    """
    digests, problems = load_digests(settings.digests_path)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise ContentError(problems)
    if digests:
        digest_email.check_sender(settings)
    return sorted(digests, key=lambda d: (d.start, d.end, d.code), reverse=True)


def new_issue(settings: Settings, period: str) -> tuple[Path, bool]:
    """Write ``content/digests/<period>.md`` for staff to edit; (path, False) if it exists.

    The file, not the command, is what makes an issue: every later build
    publishes it again, and its « voir dans un navigateur » link keeps working.
    """
    if not is_month(period):
        raise ValueError(f"« {period} » : {MONTH_HINT}")
    code = period.strip()
    first = parse_month(code)
    code = f"{first.year:04d}-{first.month:02d}"
    path = settings.digests_path / f"{code}.md"
    if path.exists():
        return path, False
    _ = _translator(settings).gettext
    label = period_label(first, month_end(first), _)
    title = _("Infolettre — %(period)s") % {"period": label}
    intro = _("Voici les nouvelles du répertoire pour %(period)s.") % {"period": label}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n"
        f"# Écrit par « make digest PERIOD={code} » : modifiez le titre (objet du courriel)\n"
        "# et l'introduction ci-dessous, puis reconstruisez le site (make html).\n"
        f'titre: "{title}"\n'
        f"periode: {code}\n"
        "# preheader: texte d'aperçu montré après l'objet (150 caractères au plus)\n"
        "---\n"
        f"{_('Bonjour,')}\n\n{intro}\n",
        encoding="utf-8",
    )
    return path, True


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
    ngettext = _translator(settings).ngettext
    for digest in digests:
        content = select(
            site.directory,
            digest,
            site.commits,
            settings.digest_event_days,
            settings.digest_import_threshold,
        )
        _report_imports(digest, content, settings.digest_import_threshold)
        url = urls.digest(digest.code)
        context = {
            "digest": digest,
            "content": content,
            "summary": summary(content, _, ngettext),
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
            unsubscribe=_unsubscribe(settings),
        )
        files.append(writer.write_file(f"{url}infolettre-{digest.code}.eml", eml))
    archive = writer.write_page(
        urls.digests(),
        "digest_archive",
        digests=digests,
        feed_url=urls.news_feed(),
        issue_url=urls.digest,
        periods={d.code: period_label(d.start, d.end, _) for d in digests},
    )
    return Report("infolettre", (*files, archive))


def _report_imports(digest: Digest, content, threshold: int) -> None:
    """Name the imports an issue leaves out, so staff know why they are not news."""
    for commit in content.imports:
        print(
            f"Vitrine : infolettre {digest.code} : le commit {commit.rev[:7]} du "
            f"{date_fr(commit.day)} ajoute ou modifie {commit.files} fichiers (plus de "
            f"{threshold}, VITRINE_DIGEST_IMPORT_THRESHOLD) : import en bloc, non annoncé",
            file=sys.stderr,
        )


def _unsubscribe(settings: Settings) -> str | None:
    return digest_email.unsubscribe_link(
        settings.digest_tool, settings.digest_unsubscribe, _sender(settings)
    )


def _email(site: Site, context: dict) -> tuple[str, str]:
    """The e-mail HTML (inlined, size-checked) and its plain-text twin."""
    code = context["digest"].code
    settings = site.settings

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
        "unsubscribe": _unsubscribe(settings),
        "tool": digest_email.TOOLS[settings.digest_tool],
        "sender": {
            "name": settings.digest_sender_name.strip(),
            "address": settings.digest_postal_address.strip(),
            "contact": settings.digest_contact.strip(),
            "contact_link": digest_email.contact_link(settings.digest_contact),
        },
        "logo": dict(zip(("src", "width", "height"), EMAIL_LOGO, strict=True)),
    }
    html = digest_email.inline(site.writer.render("digest_email.html", values))
    digest_email.check_size(
        html,
        f"{urls.digest(code)}courriel.html",
        site.settings.digest_warn_bytes,
        site.settings.digest_max_bytes,
    )
    text = site.writer.render("digest_email.txt", values)
    return html, text
