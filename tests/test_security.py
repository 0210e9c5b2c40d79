"""The Content-Security-Policy: on every page, in the hosts' header files, kept true by the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build, make_content
from vitrine.outputs import security
from vitrine.outputs.security import UnsafeTemplateError
from vitrine.settings import CONTENT_SECURITY_POLICY
from vitrine.settings import read as read_vitrine_settings

EMAIL_PAGES = ("courriel.html",)  # the e-mail HTML is exempt: mail clients ignore CSP


def web_pages(output: Path) -> list[Path]:
    return [p for p in sorted(output.rglob("*.html")) if p.name not in EMAIL_PAGES]


def test_every_web_page_carries_the_policy_first_and_a_referrer_policy(sample_site):
    expected = security.policy(read_vitrine_settings({}, environ={}))
    pages = web_pages(sample_site)
    assert len(pages) > 60
    for path in pages:
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").head
        metas = head.find_all("meta")
        csp = head.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp is not None, path
        # Before any script or stylesheet, so it governs them all.
        assert head.find(["script", "link"]).sourceline > csp.sourceline, path
        assert csp["content"] == expected
        assert "frame-ancestors" not in csp["content"]  # ignored (with an error) in a <meta>
        referrer = [m for m in metas if m.get("name") == "referrer"]
        assert [m["content"] for m in referrer] == ["strict-origin-when-cross-origin"], path


def test_the_policy_allows_only_the_site_itself(sample_site):
    csp = security.policy(read_vitrine_settings({}, environ={}))
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # no inline, no eval
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # Every form of the site targets the site.
    for path in web_pages(sample_site):
        for form in BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find_all("form"):
            action = form.get("action", "")
            assert action == "" or action.startswith("/"), (path, action)


def test_the_e_mail_is_exempt(sample_site):
    emails = list(sample_site.rglob("courriel.html"))
    assert emails
    for path in emails:
        assert "Content-Security-Policy" not in path.read_text(encoding="utf-8")


def test_hosts_that_send_headers_get_the_same_policy(sample_site):
    full = security.policy(read_vitrine_settings({}, environ={}), in_meta=False)
    netlify = (sample_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert netlify[0] == "/*"
    assert f"  Content-Security-Policy: {full}" in netlify
    assert "  Referrer-Policy: strict-origin-when-cross-origin" in netlify
    assert "frame-ancestors 'none'" in full
    apache = (sample_site / ".htaccess").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{full}"' in apache


def test_the_policy_is_one_setting(tmp_path):
    """A site that embeds videos widens one directive, and every page says so."""
    content = make_content(tmp_path)
    policy = {**CONTENT_SECURITY_POLICY, "frame-src": "https://www.youtube-nocookie.com"}
    output = build(content, tmp_path / "out", VITRINE_CSP=policy)
    for path in web_pages(output):
        csp = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"}
        )
        assert "frame-src https://www.youtube-nocookie.com" in csp["content"]
    assert "frame-src https://www.youtube-nocookie.com" in (output / "_headers").read_text()


@pytest.fixture
def theme(tmp_path) -> Path:
    copy = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", copy)
    return copy


def _add(theme: Path, template: str, old: str, new: str) -> None:
    path = theme / "templates" / template
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_templates_have_no_inline_code():
    assert security.template_problems(ROOT / "theme/templates") == []


@pytest.mark.parametrize(
    ("template", "old", "new", "message"),
    [
        (
            "home.html",
            "{% block content %}",
            '{% block content %}\n<script>document.title = "x";</script>',
            "home.html:16 : script écrit dans la page",
        ),
        (
            "event.html",
            "<h1",
            '<h1 onclick="alert(1)"',
            "event.html",
        ),
        (
            "base.html",
            '<a class="skip-link"',
            '<a href="javascript:void(0)" class="skip-link"',
            "adresse « javascript: »",
        ),
        (
            "events.html",
            "{% block content %}",
            '{% block content %}\n<p style="color: red">rouge</p>',
            "style écrit dans la page",
        ),
        (
            "search.html",
            "{% block content %}",
            "{% block content %}\n<noscript><style>p { color: red }</style></noscript>",
            "style écrit dans la page",
        ),
    ],
)
def test_a_template_with_inline_code_stops_the_build(theme, tmp_path, template, old, new, message):
    _add(theme, template, old, new)
    content = make_content(tmp_path)
    with pytest.raises(UnsafeTemplateError) as caught:
        build(content, tmp_path / "out", THEME=str(theme))
    assert "politique de sécurité" in str(caught.value)
    assert message in str(caught.value)
    assert not (tmp_path / "out" / "index.html").exists()  # stopped before writing


def test_json_data_blocks_stay_allowed(theme, tmp_path):
    _add(
        theme,
        "home.html",
        "{% block content %}",
        '{% block content %}\n<script type="application/json" id="x">{"a": 1}</script>',
    )
    assert security.template_problems(theme / "templates") == []
