"""Pelican wiring. Receivers are module-level: Pelican holds them weakly."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from . import urls
from .formatting import FILTERS
from .generator import VitrineGenerator
from .translations import load_translations


def get_generators(pelican_object):
    """Our generator reads, validates and writes every listing and event page."""
    return VitrineGenerator


def prepare_templates(generator) -> None:
    """Every generator's templates share base.html: give them all URLs, filters and gettext.

    UI strings go through gettext; French is the source language.
    """
    generator.env.globals.update(urls=urls)
    generator.env.filters.update(FILTERS)
    if "jinja2.ext.InternationalizationExtension" not in generator.env.extensions:
        return
    language = generator.settings.get("DEFAULT_LANG", "fr")
    translations = load_translations(Path(generator.theme) / "translations", language)
    generator.env.install_gettext_translations(translations, newstyle=True)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_templates)
