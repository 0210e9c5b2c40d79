"""The digest as e-mail: CSS inlined, size checked, and a test message (.eml).

E-mail clients ignore or strip ``<style>`` (Gmail keeps 16 KB of it, in ``<head>``
only; some clients none), so every rule is inlined by css-inline, a maintained
inliner, and the ``<style>`` element dropped. Gmail clips messages past ~102 KB:
the build warns past ``VITRINE_DIGEST_WARN_BYTES`` and stops past
``VITRINE_DIGEST_MAX_BYTES``.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import logging
import re
import textwrap
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote, urlencode, urlsplit

import css_inline

from ...problems import BuildError

logger = logging.getLogger(__name__)

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


class DigestTooLargeError(BuildError):
    """The e-mail HTML would be clipped by Gmail: the build stops."""


class DigestSenderError(BuildError):
    """No sender identification: CASL forbids sending the e-mail, so it is not written."""


@dataclass(frozen=True)
class Tool:
    """A mailing tool: its name for people, its unsubscribe link and first-name merge tag.

    ``unsubscribe`` None: the tool adds its own unsubscribe link at the foot of every
    mailing and refuses a second one in the content.
    """

    name: str
    unsubscribe: str | None
    first_name: str


TOOLS = {
    "mailchimp": Tool("Mailchimp", "*|UNSUB|*", "*|FNAME|*"),
    # Cyberimpact appends the account's coordinates and its unsubscribe link to every
    # mailing (CASL), whatever the content says.
    "cyberimpact": Tool("Cyberimpact", None, ""),
    "brevo": Tool("Brevo", "{{ unsubscribe }}", "{{ contact.FIRSTNAME }}"),
    # No mailing tool: the test message is sent as is; unsubscribing is a reply.
    "eml": Tool("courriel (.eml)", "", ""),
}

SENDER_KEYS = (
    ("digest_sender_name", "VITRINE_DIGEST_SENDER_NAME", "le nom de l'expéditeur"),
    ("digest_postal_address", "VITRINE_DIGEST_POSTAL_ADDRESS", "son adresse postale"),
    ("digest_contact", "VITRINE_DIGEST_CONTACT", "un courriel, un téléphone ou un site Web"),
)


def check_sender(settings) -> None:
    """Stop before writing any e-mail that would not identify its sender (CASL)."""
    missing = [
        (key, what) for attr, key, what in SENDER_KEYS if not getattr(settings, attr).strip()
    ]
    if missing:
        lines = "\n".join(f"- {key} : {what}" for key, what in missing)
        raise DigestSenderError(
            "vitrine: infolettre non écrite : la Loi canadienne anti-pourriel exige que chaque "
            "courriel nomme son expéditeur, son adresse postale et un moyen de le joindre. "
            f"Ajoutez dans pelicanconf.py :\n{lines}"
        )


def mailbox(sender: str) -> str:
    """The address part of « "Nom" <adresse@exemple> »."""
    return sender.rpartition("<")[2].rstrip(">").strip()


def unsubscribe_link(tool: str, override: str, sender: str) -> str | None:
    """What « Se désabonner » points to: staff's own link, else the tool's tag.

    Without a mailing tool, a reply: ``mailto:`` the sender with a subject.
    """
    if override.strip():
        return override.strip()
    chosen = TOOLS[tool]
    if chosen.unsubscribe is None or chosen.unsubscribe:
        return chosen.unsubscribe
    return f"mailto:{mailbox(sender)}?subject={quote('Désabonnement')}"


def contact_link(contact: str) -> str:
    """A link for the contact setting: mailto:, tel: or the web address itself."""
    text = contact.strip()
    if "@" in text and "/" not in text:
        return f"mailto:{text}"
    if re.fullmatch(r"[\d\s().+-]{7,}", text):
        return "tel:+1" + re.sub(r"\D", "", text)[-10:]
    return text if urlsplit(text).scheme else f"https://{text}"


def tracked(absolute_url: str, campaign: str) -> str:
    """Add the UTM parameters that tell the site's statistics a visit came from an issue."""
    query = urlencode(
        {"utm_source": "infolettre", "utm_medium": "courriel", "utm_campaign": campaign}
    )
    return f"{absolute_url}{'&' if '?' in absolute_url else '?'}{query}"


def absolute_links(html: str, absolute_url, campaign: str) -> str:
    """Links of staff's Markdown made absolute and tracked, as every e-mail link must be.

    ``/entreprises/x/`` and ``entreprises/x/`` point into the site; http(s) links
    elsewhere keep their address and get the UTM parameters; mailto:/tel: stay.
    """

    def fix(match: re.Match) -> str:
        href = html_lib.unescape(match.group(1))
        scheme = urlsplit(href).scheme
        if scheme in ("mailto", "tel"):
            return match.group(0)
        absolute = href if scheme in ("http", "https") else absolute_url(href.lstrip("/"))
        url = tracked(absolute, campaign)
        return f'href="{html_lib.escape(url)}"'

    return re.sub(r'href="([^"]*)"', fix, html)


def text_links(markdown: str, absolute_url, campaign: str) -> str:
    """Staff's Markdown for the text part: links as « texte (https://…) », prose reflowed."""

    def fix(match: re.Match) -> str:
        label, href = match.group(1), match.group(2)
        scheme = urlsplit(href).scheme
        if scheme in ("mailto", "tel"):
            return f"{label} ({href.partition(':')[2]})"
        absolute = href if scheme in ("http", "https") else absolute_url(href.lstrip("/"))
        return f"{label} ({tracked(absolute, campaign)})"

    text = re.sub(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)", fix, markdown)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text, flags=re.S)  # bold markers: plain words
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    return "\n\n".join(_reflow(paragraph) for paragraph in re.split(r"\n\s*\n", text.strip()))


def _reflow(paragraph: str) -> str:
    """Wrap a prose paragraph at 72 columns; lists, quotes and headings stay as written."""
    if re.match(r"\s*([-*+>#]|\d+[.)])\s", paragraph):
        return paragraph
    return textwrap.fill(
        re.sub(r"[ \t\n]+", " ", paragraph.strip()),
        72,
        break_long_words=False,
        break_on_hyphens=False,
    )


_KEPT = re.compile(r"<style data-keep>(.*?)</style>", re.S)


def inline(html: str) -> str:
    """Every ``<style>`` rule moved into ``style`` attributes.

    A ``<style data-keep>`` stays in ``<head>`` as it is (without the marker): its
    rules — dark mode, media queries — can't live in a ``style`` attribute, and
    clients that read no ``<style>`` lose nothing the layout needs.
    """
    kept = "".join(f"<style>{css.strip()}</style>" for css in _KEPT.findall(html))
    inlined = _inliner.inline(_KEPT.sub("", html))
    if kept:
        inlined = inlined.replace("</head>", f"{kept}\n</head>", 1)
    return inlined.rstrip("\n") + "\n"


def check_size(html: str, name: str, warn_bytes: int, max_bytes: int) -> int:
    """Warn past ``warn_bytes``, raise past ``max_bytes``; return the size in bytes."""
    size = len(html.encode("utf-8"))
    if size > max_bytes:
        raise DigestTooLargeError(
            f"vitrine: {name} : le courriel fait {size / 1024:.0f} Ko, plus que la limite de "
            f"{max_bytes / 1024:.0f} Ko (Gmail coupe les messages plus longs) : raccourcissez "
            "l'introduction ou la période de l'infolettre"
        )
    if size > warn_bytes:
        logger.warning(
            "vitrine: %s : le courriel fait %.0f Ko; au-delà de %.0f Ko, Gmail le coupe",
            name,
            size / 1024,
            max_bytes / 1024,
        )
    return size


def message(
    *,
    subject: str,
    sender: str,
    text: str,
    html: str,
    date: dt.datetime,
    code: str,
    unsubscribe: str | None = None,
) -> bytes:
    """A multipart/alternative test message, byte-identical for the same input.

    ``X-Unsent`` makes Outlook open it as a draft, ready to send to oneself.
    """
    domain = urlsplit(f"//{sender.rpartition('@')[2].strip('>')}").hostname or "localhost"
    msg = EmailMessage(policy=policy.SMTP)
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = sender
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<infolettre-{code}@{domain}>"
    msg["X-Unsent"] = "1"
    if unsubscribe and unsubscribe.startswith(("mailto:", "https:")):
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"  # the mail client's own button
    msg.set_content(text, cte="quoted-printable")
    msg.add_alternative(html, subtype="html", cte="quoted-printable")
    msg.set_boundary(f"=_vitrine-infolettre-{code}")
    return msg.as_bytes()
