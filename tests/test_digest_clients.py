"""The digest e-mail checked against caniemail.com's support data, not against our own idea of it.

Every HTML element, attribute and CSS property the e-mail uses is looked up in
the caniemail data package (tests/package.json) for the clients staff's readers
use: Outlook for Windows, Outlook.com and Outlook for Mac, Gmail, Apple Mail and
Yahoo, on every platform, at the newest version tested. A feature a client does
not support at all must be in ``HARMLESS``, which says why losing it changes
neither layout nor readability. Partial support ("a") passes: the notes are
about uses this e-mail does not make, or are covered by the test named there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import DIGEST_SETTINGS as SETTINGS
from helpers import build
from helpers import digest_tree as tree

DATA = Path(__file__).parent / "node_modules" / "caniemail" / "data" / "caniemail.json"
CLIENTS = {
    "gmail": None,  # every platform
    "outlook": ("windows", "outlook-com", "macos"),
    "apple-mail": None,
    "yahoo": None,
}
# Elements whose support caniemail records under another name.
ELEMENTS = {
    **{f"h{n}": "html-h1-h6" for n in range(1, 7)},
    **{tag: "html-table" for tag in ("table", "tbody", "tr", "td")},
    **{tag: "html-lists" for tag in ("ul", "ol", "li")},
}
# Only in the dark-mode <style> kept in <head>: without it, the inlined light design.
DARK_MODE = "dark mode only: the client shows the light colours, all inlined"
PREHEADER = "the hidden preheader: Outlook hides it with mso-hide: all"
HARMLESS = {
    "html-style": DARK_MODE,
    "css-at-media": DARK_MODE,
    "css-at-media-prefers-color-scheme": DARK_MODE,
    "css-color-scheme": DARK_MODE,
    "html-meta-color-scheme": DARK_MODE,
    "css-important": DARK_MODE,
    "css-selector-attribute": DARK_MODE,
    "css-selector-class": DARK_MODE,
    "css-selector-type": DARK_MODE,
    "css-selector-grouping": DARK_MODE,
    "css-selector-descendant": DARK_MODE,
    "css-max-height": PREHEADER,
    "css-opacity": PREHEADER,
    "css-overflow": PREHEADER,
    # Gmail's legacy mobile web (basic HTML) shows the preheader as a first line.
    "css-display-none": PREHEADER,
    "css-outline": "outline: none on images, which have no outline anyway",
    "css-overflow-wrap": "breaks a long unbroken word; prose and labelled links have none",
    "css-word-wrap": "breaks a long unbroken word; prose and labelled links have none",
    "css-height": "images keep their height attribute (test_digest: logo 200 × 48)",
    "html-body": "the background colour is repeated on the outer .page table",
    "html-doctype": "ignored; layout comes from tables, not from standards mode",
}


@pytest.fixture(scope="module")
def support() -> dict:
    if not DATA.is_file():
        pytest.fail("caniemail data missing: run npm ci --prefix tests")
    return {f["slug"]: f for f in json.loads(DATA.read_text(encoding="utf-8"))["data"]}


@pytest.fixture(scope="module")
def mail(tmp_path_factory) -> BeautifulSoup:
    root = tmp_path_factory.mktemp("digest-clients")
    output = build(tree(root), root / "output", **SETTINGS)
    return BeautifulSoup((output / "infolettre/2026-12/courriel.html").read_text("utf-8"), "html.parser")  # fmt: skip


def features(mail: BeautifulSoup, known: dict) -> dict[str, set[str]]:
    """caniemail slug → where the e-mail uses it."""
    used: dict[str, set[str]] = {}

    def add(slug: str, where: str) -> None:
        if slug in known:
            used.setdefault(slug, set()).add(where)

    for element in mail.find_all(True):
        add(ELEMENTS.get(element.name, f"html-{element.name}"), element.name)
        for attribute in element.attrs:
            add(f"html-{attribute}", f"{element.name}[{attribute}]")
        if element.name == "a" and element.get("href", "").startswith("mailto:"):
            add("html-mailto-links", "a[href^=mailto]")
        if element.name == "meta" and element.get("name") == "color-scheme":
            add("html-meta-color-scheme", "meta")
        for declaration in filter(None, map(str.strip, element.get("style", "").split(";"))):
            name, _, value = (part.strip() for part in declaration.partition(":"))
            if name == "display":
                add("css-display-none" if value == "none" else "css-display", element.name)
            elif name.startswith("border"):
                add("css-border", element.name)
            else:
                add(f"css-{name}", element.name)
    css = " ".join(style.get_text() for style in mail.find_all("style"))
    if "@media" in css:
        add("css-at-media", "<style>")
    for needle, slug in {
        "prefers-color-scheme": "css-at-media-prefers-color-scheme",
        "color-scheme:": "css-color-scheme",
        "!important": "css-important",
        "[data-": "css-selector-attribute",
        ".": "css-selector-class",
        ",": "css-selector-grouping",
    }.items():
        if needle in css:
            add(slug, "<style>")
    if css:
        add("css-selector-type", "<style>")
        add("css-selector-descendant", "<style>")
    if "<!--[if mso]>" in str(mail):
        add("html-comments", "conditional comments")
    add("html-doctype", "<!DOCTYPE>")
    return used


def unsupported(feature: dict) -> list[str]:
    """Clients (family/platform@version) whose newest test says « not supported »."""
    found = []
    for family, platforms in CLIENTS.items():
        for platform, versions in feature["stats"].get(family, {}).items():
            if platforms and platform not in platforms:
                continue
            version, value = list(versions.items())[-1]
            if value.split()[0] == "n":
                found.append(f"{family}/{platform}@{version}")
    return found


def test_no_feature_that_shapes_the_email_is_unsupported_by_its_readers_clients(mail, support):
    used = features(mail, support)
    assert {"html-table", "css-padding", "css-max-width", "css-line-height"} <= set(used)
    problems = {
        slug: (sorted(where), clients)
        for slug, where in used.items()
        if (clients := unsupported(support[slug])) and slug not in HARMLESS
    }
    assert problems == {}


def test_no_forbidden_layout_feature(mail, support):
    """Flex, grid, positioning, background images and SVG: none of them, anywhere."""
    used = features(mail, support)
    css = " ".join(e.get("style", "") for e in mail.find_all(style=True))
    for banned in ("display: flex", "display: grid", "position:", "background-image", "float:"):
        assert banned not in css
    assert not mail.find_all(["svg", "video", "form", "picture"])
    assert "css-display-flex" not in used and "html-svg" not in used
