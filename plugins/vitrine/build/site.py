"""What every output is given, and what each gives back.

An output (outputs/*) is a function ``write(site) -> Report``: it reads the
validated directory and the settings from ``site``, writes through
``site.writer`` (the build's one writer, build/generator.py) and returns the
files it wrote. Nothing is written back onto ``site``; the build audit
(build/audit.py) re-reads the files themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..content.model import Directory
from ..settings import Settings


@dataclass
class Page:
    """One HTML page to write: its address, theme template and what it shows."""

    url: str
    template: str
    context: dict = field(default_factory=dict)
    language: str = "fr"  # the site it belongs to (settings.site_languages)


class Writer(Protocol):
    """The build's one writer (build/generator.py VitrineGenerator)."""

    def write_page(self, url: str, template: str, **context: Any) -> str:
        """Render a theme template to the page at ``url``; returns its path."""

    def write_pages(self, pages: list[Page], workers: int | None = None) -> list[str]:
        """Write many pages, on several cores when there are enough; returns their paths."""

    def write_file(self, relative_path: str, data: Any, inputs: list | None = None) -> str:
        """Write text or bytes (or what a function makes) under the output folder."""

    def render(self, template: str, context: dict) -> str:
        """A theme template rendered to text, written nowhere (e-mail bodies)."""

    def kept(self, kind: str, record: Any, make: Callable[[], str]) -> str:
        """Text made of one listing, made again only when the listing changed."""


@dataclass
class Site:
    """The validated directory, the settings, the planned pages and the writer."""

    directory: Directory
    settings: Settings
    writer: Writer
    output: Path
    # The staff's own pages (content/pages/), by slug then language (content/staff_pages.py).
    staff_pages: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    digests: list = field(default_factory=list)  # outputs/digest: issues to write
    commits: dict = field(default_factory=dict)  # git history of content (digest changes)
    pages: list[Page] = field(default_factory=list)  # every HTML page, planned once
    # Each page's address in every language, by its address in any (hreflang, switch).
    twins: dict[str, dict[str, str]] = field(default_factory=dict)

    def absolute_url(self, url: str) -> str:
        return self.settings.absolute_url(url)


@dataclass(frozen=True)
class Report:
    """What one output wrote: files relative to the output folder."""

    output: str
    files: tuple[str, ...] = ()

    def __add__(self, other: Report) -> Report:
        return Report(self.output, self.files + other.files)
