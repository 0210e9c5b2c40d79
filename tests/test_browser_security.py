"""In Chromium, the Content-Security-Policy blocks nothing the site does, and stops what it must.

Every page kind is loaded with its policy in force and fails on any violation
report (``securitypolicyviolation``) or console error, while a buyer searches,
shortlists and shares. Then a site is built with the sanitiser switched off, as
if a setting had gone wrong: the policy alone must stop every injected script.
"""

from __future__ import annotations

import pytest
from browser import open_page, serve
from helpers import build, make_content

pytestmark = pytest.mark.browser

# Reports every violation to the console, where open_page collects errors.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`);
});
"""

PAGE_KINDS = [
    "/",
    "/repertoire/",
    "/entreprises/atelier-mots-et-marges/",
    "/evenements/",
    "/secteurs/",
    "/territoires/sherbrooke/",
    "/certifications/",
    "/portfolio/",
    "/ma-selection/",
    "/infolettre/",
    "/infolettre/2026-11/",
    "/ajouter-ou-modifier-votre-fiche/",
    "/recherche/",
    "/recherche/?q=traiteur",
    "/recherche/?q=imprimmerie",  # « Vouliez-vous dire … ? » from mots.json
    "/recherche/?q=maillage",  # the events-only hint
    "/ils-s-engagent/",
    "/ils-s-engagent/ville-de-sherbrooke/",
    "/resultats/",
    "/entreprises/coop-entretien-lumiere/",  # with its public contracts
]


def watched(browser, url: str):
    page = open_page(browser, "about:blank")
    page.add_init_script(REPORT_VIOLATIONS)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("path", PAGE_KINDS)
def test_no_page_breaks_its_own_policy(browser, site_url, path):
    page = watched(browser, site_url + path)
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    assert page.console_errors == []
    page.context.close()


def test_search_shortlist_and_share_work_under_the_policy(browser, site_url):
    page = watched(browser, site_url + "/recherche/?q=traiteur")
    # Pagefind's WebAssembly runs under 'wasm-unsafe-eval': results arrive.
    first = page.locator("main a[href*='/entreprises/']").first
    first.wait_for(timeout=15_000)
    toggle = page.locator(".shortlist-toggle").first
    toggle.click()
    page.goto(site_url + "/ma-selection/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main a[href*='/entreprises/']").count() >= 1
    assert page.console_errors == []
    page.context.close()


def test_without_javascript_the_search_form_is_hidden_by_an_allowed_stylesheet(browser, site_url):
    page = open_page(browser, site_url + "/recherche/?q=traiteur", javascript=False)
    page.wait_for_load_state("networkidle")
    assert page.locator(".search-notice").is_visible()
    assert not page.locator("#recherche").is_visible()  # inline styles would be refused
    page.context.close()


HOSTILE = """
    ---
    nom: Coopérative piégée
    forme_juridique: obnl
    mission: Une mission ordinaire.
    secteurs: [ebenisterie]
    offre:
      - nom: Tables
        description: Des tables.
    territoires: [sherbrooke]
    adresse:
      ville: Sherbrooke
    contact:
      courriel: bonjour@piegee.example
    ---
    <script>window.hostile = "script"; alert("script")</script>

    <img src="/absente.png" onerror="window.hostile = 'onerror'; alert('onerror')">

    <a href="javascript:window.hostile='lien'">un lien</a>

    <p onmouseover="window.hostile = 'survol'">survol</p>
"""


@pytest.fixture(scope="module")
def unsanitised_url(tmp_path_factory):
    """A site whose sanitiser lets scripts and handlers through: only the policy is left."""
    from vitrine.content import markup

    root = tmp_path_factory.mktemp("sans-filtre")
    content = make_content(root, {"enterprises/piegee.md": HOSTILE})
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(markup.nh3, "clean", lambda html, **options: html)
        output = build(content, root / "output")
    page = (output / "entreprises/piegee/index.html").read_text(encoding="utf-8")
    assert '<script>window.hostile = "script"' in page  # the first wall is really down
    assert "onerror=" in page
    with serve(output) as url:
        yield url


def test_the_policy_alone_stops_injected_scripts(browser, unsanitised_url):
    page = open_page(browser, "about:blank")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(REPORT_VIOLATIONS)
    page.goto(unsanitised_url + "/entreprises/piegee/")
    page.wait_for_load_state("networkidle")
    page.get_by_text("survol").hover()
    page.get_by_text("un lien").click()
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.hostile") == "undefined"
    assert dialogs == []
    blocked = [e for e in page.console_errors if e.startswith("CSP: script-src")]
    assert len(blocked) >= 3  # the inline script, the handlers, the javascript: link
    page.context.close()
