"""In Chromium: the header on one row, punctuation that never wraps alone, accessible furniture."""

from __future__ import annotations

import itertools

import pytest
from browser import DESKTOP, PHONE, axe_violations, open_page, screenshot

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
# Pages with the most French punctuation, written by templates, staff and contributors.
TEXT_PAGES = [
    "",
    "la-campagne/",
    "accessibilite/",
    "confidentialite/",
    "ajouter-ou-modifier-votre-fiche/",
    "entreprises/coop-octet-libre/",
    "entreprises/coop-alimentation-la-cordee/",
    "evenements/",
    "evenements/2026-12-maillage-sherbrooke/",
    "404.html",
]

# Every « : ; ! ? » and « on the same line as the word it belongs to.
ALONE_ON_A_LINE = """() => {
  const skip = "script, style, code, pre, textarea, [hidden], .visually-hidden";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest(skip) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const range = document.createRange();
  const box = (node, i) => {
    range.setStart(node, i); range.setEnd(node, i + 1);
    const rects = range.getClientRects();
    return rects.length ? rects[0] : null;
  };
  const wrapped = [];
  let checked = 0;
  for (let node; (node = walker.nextNode()); ) {
    const t = node.data;
    for (let i = 0; i < t.length; i++) {
      let j = -1;
      if (":;!?»".includes(t[i])) { j = i - 1; while (j >= 0 && /\\s/.test(t[j])) j--; }
      else if (t[i] === "«") { j = i + 1; while (j < t.length && /\\s/.test(t[j])) j++; if (j === t.length) j = -1; }
      if (j < 0) continue;
      const a = box(node, i), b = box(node, j);
      if (!a || !b) continue;
      checked++;
      if (Math.abs(a.top - b.top) > 2) wrapped.push(t.slice(Math.max(0, i - 25), i + 5));
    }
  }
  return {checked, wrapped};
}"""


@pytest.mark.parametrize("path", TEXT_PAGES)
def test_no_punctuation_wraps_onto_its_own_line_at_320_px(browser, site_url, path):
    page = open_page(browser, f"{site_url}/{path}", viewport=NARROW)
    result = page.evaluate(ALONE_ON_A_LINE)
    assert result["wrapped"] == []
    assert result["checked"] > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    page.context.close()


@pytest.mark.parametrize(
    "path", ["entreprises/coop-octet-libre/", "repertoire/", "evenements/", "en/repertoire/"]
)
def test_the_header_items_never_overlap_and_the_menu_keeps_one_row_at_1280_px(
    browser, site_url, path
):
    page = open_page(browser, f"{site_url}/{path}", viewport=DESKTOP)
    page.wait_for_selector(".shortlist-nav:not([hidden])")  # the widest menu, with JavaScript
    boxes = {
        selector: page.locator(selector).bounding_box()
        for selector in (".site-header .brand", ".site-header nav", ".site-header .language-switch",
                         ".site-header .site-search")
    }  # fmt: skip
    for (a, box), (b, other) in itertools.combinations(boxes.items(), 2):
        apart = (box["x"] + box["width"] <= other["x"] or other["x"] + other["width"] <= box["x"]
                 or box["y"] + box["height"] <= other["y"] or other["y"] + other["height"] <= box["y"])  # fmt: skip
        assert apart, f"{a} overlaps {b}"
    items = page.locator(".site-header nav li:not([hidden])").all()
    assert len({round(item.bounding_box()["y"]) for item in items}) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize(
    "path", ["", "entreprises/coop-octet-libre/", "evenements/2026-12-maillage-sherbrooke/",
             "404.html", "accessibilite/"],
)  # fmt: skip
def test_furniture_is_accessible_and_shown(browser, site_url, path, viewport):
    page = open_page(browser, f"{site_url}/{path}", viewport=viewport)
    name = (path.strip("/").replace("/", "-").removesuffix(".html") or "accueil") + "-"
    screenshot(page, f"site-{name}{viewport['width']}")
    assert axe_violations(page) == []
    assert page.console_errors == []
    # The icons the page names all load.
    for href in page.eval_on_selector_all(
        "link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]",
        "ls => ls.map(l => l.href)",
    ):
        assert page.request.get(href).status == 200, href
    page.context.close()
