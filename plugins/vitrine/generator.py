"""The Pelican generator: read and validate everything, then write every page.

``generate_context`` runs before any output is written: a single invalid file
stops the build there, with every problem printed, so no listing is ever
silently dropped from the site.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pelican.generators import Generator

from . import urls
from .config import build_time, layout, vocabulary_path, with_defaults
from .formatting import FILTERS
from .model import Directory
from .problems import ContentError
from .validation import load_directory
from .vocabulary import load_vocabularies

logger = logging.getLogger(__name__)


class VitrineGenerator(Generator):
    directory: Directory

    def generate_context(self) -> None:
        content = Path(self.path)
        vocabularies = load_vocabularies(vocabulary_path(content, self.settings))
        self.directory, problems = load_directory(
            layout(content, self.settings), vocabularies, build_time(self.settings)
        )
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            raise ContentError(problems)
        self.context["vitrine"] = self.directory
        self.context["vitrine_settings"] = with_defaults(self.settings)
        self.env.globals.update(urls=urls, vocabularies=vocabularies)
        self.env.filters.update(FILTERS)

    def write(self, writer, url: str, template: str, **context) -> None:
        """The one way a page is written: template + context at a URL."""
        writer.write_file(
            urls.save_as(url),
            self.get_template(template),
            self.context,
            url=url,
            page_url=url,
            **context,
        )

    def paginate(self, writer, make_url, template: str, entries: list, **context) -> None:
        size = with_defaults(self.settings)["VITRINE_PAGE_SIZE"]
        pages = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
        for number, chunk in enumerate(pages, start=1):
            pagination = {
                "number": number,
                "count": len(pages),
                "total": len(entries),
                "previous": make_url(number - 1) if number > 1 else None,
                "next": make_url(number + 1) if number < len(pages) else None,
            }
            self.write(
                writer, make_url(number), template, entries=chunk, pagination=pagination, **context
            )

    def generate_output(self, writer) -> None:
        directory = self.directory
        self.write(writer, urls.home(), "home")
        for enterprise in directory.enterprises:
            self.write(
                writer, urls.enterprise(enterprise.slug), "enterprise", enterprise=enterprise
            )
        for event in directory.events:
            self.write(writer, urls.event(event.slug), "event", event=event)
        self.write(writer, urls.events(), "events")
        self.paginate(writer, urls.directory, "directory", directory.enterprises)
        for vocabulary, attribute in (
            ("secteurs", "secteurs"),
            ("territoires", "territoires"),
            ("formes_juridiques", "forme_juridique"),
        ):
            groups = directory.by_code(attribute, vocabulary)
            self.write(
                writer,
                urls.browse_index(vocabulary),
                "browse_index",
                vocabulary=vocabulary,
                groups=groups,
            )
            for code, members in groups.items():
                self.paginate(
                    writer,
                    lambda n, v=vocabulary, c=code: urls.browse(v, c, n),
                    "browse",
                    members,
                    vocabulary=vocabulary,
                    code=code,
                )
        print(
            "Vitrine : pages écrites pour "
            f"{_count(len(directory.enterprises), 'entreprise', 'entreprises')} et "
            f"{_count(len(directory.events), 'événement', 'événements')}."
        )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number <= 1 else many}"
