"""The same listings as plain articles, for the two reference builds.

Bare Pelican (default theme, no plugin) and Hugo each get one Markdown file per
listing and event: its title, a date and the same description body. What they
render is what a generic static-site generator would, so the ratio shows what
Vitrine's model, validation, richer pages and search cost on top.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from corpus import Article

BARE_SETTINGS = {
    "SITENAME": "Répertoire (référence)",
    "SITEURL": "",
    "TIMEZONE": "America/Toronto",
    "DEFAULT_LANG": "fr",
    "DELETE_OUTPUT_DIRECTORY": True,
    "CACHE_CONTENT": False,
}

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1/"
languageCode = "fr-ca"
title = "Répertoire (référence)"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
"""

# Minimal layouts: Hugo renders nothing without a theme. Pages carry the same
# parts as Pelican's default theme pages: title, date, body, and list pages.
HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ .Title }} — {{ site.Title }}</title></head>
<body><header><a href="/">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>
{{ .Content }}</article>{{ end }}
""",
    "_default/list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
""",
}


def _reset(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def write_bare(articles: list[Article], content: Path) -> Path:
    """Pelican articles with a metadata header (Title, Date, Slug)."""
    _reset(content)
    for article in articles:
        header = f"Title: {article.title}\nDate: {article.date.isoformat()}\nSlug: {article.slug}\n"
        path = content / article.section / f"{article.slug}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"{header}\n{article.body}\n", encoding="utf-8")
    return content


def write_hugo(articles: list[Article], site: Path) -> Path:
    """A Hugo site: config, minimal layouts, one page per article (YAML front matter)."""
    _reset(site)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for article in articles:
        title = article.title.replace("\\", "\\\\").replace('"', '\\"')
        front = f'---\ntitle: "{title}"\ndate: {article.date.isoformat()}\n---\n'
        path = site / "content" / article.section / f"{article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{front}\n{article.body}\n", encoding="utf-8")
    return site
