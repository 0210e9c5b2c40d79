"""Pelican wiring. Receivers are module-level: Pelican holds them weakly."""

from __future__ import annotations

from pathlib import Path

from pelican import signals

from .generator import VitrineGenerator
from .translations import load_translations


def get_generators(pelican_object):
    """Our generator reads, validates and writes every listing and event page."""
    return VitrineGenerator


def install_translations(generator) -> None:
    """UI strings go through gettext; French is the source language."""
    if "jinja2.ext.InternationalizationExtension" not in generator.env.extensions:
        return
    language = generator.settings.get("DEFAULT_LANG", "fr")
    translations = load_translations(Path(generator.theme) / "translations", language)
    generator.env.install_gettext_translations(translations, newstyle=True)


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(install_translations)
