"""A second wall: the Content-Security-Policy of every page, and the check that keeps it true.

Contributors' text is sanitised (content/markup.py) and autoescaped; the policy
stops a script even the day one of those fails. GitHub Pages sends no headers,
so every page carries the policy in a ``<meta>`` (theme/templates/base.html);
for hosts that do send headers, the build also writes them in the files those
hosts read. The policy is one setting (``VITRINE_CSP``, settings.py).

The policy allows no inline script or style: a template that gains one, an
``on…=`` handler, a ``style=`` attribute or a ``javascript:`` link, would break
the site under its own policy,
so the build refuses it at the start, with the line to change. JSON data blocks
(``application/json``, ``application/ld+json``) are not scripts and stay allowed.
The e-mail templates are exempt: mail clients ignore CSP and the e-mail is not
served as a page.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..build.site import Report, Site
from ..problems import BuildError
from ..settings import Settings

REFERRER_POLICY = "strict-origin-when-cross-origin"
# Directives a <meta> policy may not carry (browsers ignore them there, with an error).
HEADER_ONLY = ("frame-ancestors", "report-uri", "sandbox")
EXEMPT_TEMPLATES = ("digest_email.html",)  # e-mail, not a page
DATA_TYPES = ("application/json", "application/ld+json")

HEADERS_FILE = "_headers"  # Netlify, Cloudflare Pages
HTACCESS_FILE = ".htaccess"  # Apache

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)
_TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
_HANDLER = re.compile(r"""\son[a-z]+\s*=""", re.I)
_JAVASCRIPT_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)
_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


class UnsafeTemplateError(BuildError):
    """A template would run code the site's policy blocks."""


def policy(settings: Settings, *, in_meta: bool = True) -> str:
    """The policy as one header value (without header-only directives in a <meta>)."""
    directives = settings.content_security_policy.items()
    return "; ".join(
        f"{name} {value}".strip()
        for name, value in directives
        if not (in_meta and name in HEADER_ONLY)
    )


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def template_problems(templates: Path) -> list[str]:
    """Every inline script, event handler or ``javascript:`` URL in the theme's pages."""
    problems = []
    for path in sorted(templates.glob("*.html")):
        if path.name in EXEMPT_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        where = lambda offset, p=path, t=text: f"{p}:{_line(t, offset)}"  # noqa: E731
        for script in _SCRIPT.finditer(text):
            kind = _TYPE.search(script.group(1))
            if kind and kind.group(1).lower() in DATA_TYPES:
                continue
            if script.group(2).strip():
                problems.append(
                    f"{where(script.start())} : script écrit dans la page : mettez son code "
                    "dans un fichier de theme/static/js/ et chargez-le avec "
                    '<script src="…" defer> (la politique de sécurité bloque le code en ligne)'
                )
        for tag in _TAG.finditer(text):
            if _HANDLER.search(tag.group()):
                problems.append(
                    f"{where(tag.start())} : attribut « on…= » : attachez l'événement "
                    "depuis un fichier de theme/static/js/ (addEventListener)"
                )
            if _STYLE.search(tag.group()):
                problems.append(
                    f"{where(tag.start())} : style écrit dans la page : mettez-le dans une "
                    "feuille de theme/static/css/ (la politique de sécurité bloque les styles en ligne)"
                )
            if _JAVASCRIPT_URL.search(tag.group()):
                problems.append(
                    f"{where(tag.start())} : adresse « javascript: » : utilisez un bouton "
                    "et un fichier de theme/static/js/"
                )
    return problems


def check_templates(templates: Path) -> None:
    """Stop the build, before anything is written, if a template breaks the policy."""
    problems = template_problems(templates)
    if problems:
        raise UnsafeTemplateError(
            "Vitrine : un gabarit contient du code que la politique de sécurité du site "
            "(Content-Security-Policy) bloquerait :\n" + "\n".join(f"- {p}" for p in problems)
        )


def headers(settings: Settings) -> dict[str, str]:
    """The security headers a host that sends headers should send with every page."""
    return {
        "Content-Security-Policy": policy(settings, in_meta=False),
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
    }


def write(site: Site) -> Report:
    """The same policy for Netlify / Cloudflare Pages (_headers) and Apache (.htaccess)."""
    values = headers(site.settings)
    netlify = "/*\n" + "".join(f"  {name}: {value}\n" for name, value in values.items())
    apache = "<IfModule mod_headers.c>\n" + "".join(
        f'  Header always set {name} "{value}"\n' for name, value in values.items()
    )
    apache += "</IfModule>\n"
    write_file = site.writer.write_file
    return Report(
        "en-têtes de sécurité",
        (write_file(HEADERS_FILE, netlify), write_file(HTACCESS_FILE, apache)),
    )
