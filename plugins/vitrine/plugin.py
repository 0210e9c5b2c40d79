"""Pelican wiring. Receivers are module-level: Pelican holds them weakly."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from . import settings as vitrine_settings
from . import urls
from .build.generator import VitrineGenerator
from .formatting import FILTERS
from .outputs import security
from .translations import load_translations
from .typography import FrenchTemplate


def get_generators(pelican_object):
    """Our generator reads, validates and writes every listing and event page."""
    return VitrineGenerator


def prepare_templates(generator) -> None:
    """Every generator's templates share base.html: give them all URLs, filters and gettext.

    UI strings go through gettext; French is the source language.
    """
    settings = vitrine_settings.read(generator.settings)
    generator.env.globals.update(
        urls=urls,
        language=settings.language,  # the Vitrine generator sets it for each site it writes
        alternates=lambda: [],  # Pelican's own pages exist in one language
        content_security_policy=security.policy(settings),
        referrer_policy=security.REFERRER_POLICY,
    )
    generator.env.filters.update(FILTERS)
    if settings.language == "fr":  # French typography on every page (typography.py)
        generator.env.template_class = FrenchTemplate
    if "jinja2.ext.InternationalizationExtension" not in generator.env.extensions:
        return
    language = generator.settings.get("DEFAULT_LANG", "fr")
    translations = load_translations(Path(generator.theme) / "translations", language)
    generator.env.install_gettext_translations(translations, newstyle=True)


def remove_unpublished_files(pelican_object) -> None:
    """The output folder is kept between builds (build/incremental.py removes what Vitrine
    no longer writes): a static file whose source is gone, such as the logo of an
    enterprise that left, must leave the site too."""
    settings = vitrine_settings.read(pelican_object.settings)
    content, output = settings.content, settings.output
    for folder in settings.static_paths:
        published = output / folder
        if not published.is_dir() or not (content / folder).is_dir():
            continue
        for path in published.rglob("*"):
            if path.is_file() and not (content / folder / path.relative_to(published)).exists():
                path.unlink()


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_templates)
    signals.finalized.connect(remove_unpublished_files)
