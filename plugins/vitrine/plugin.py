"""Pelican wiring. Receivers are module-level: Pelican holds them weakly."""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
import rcssmin
import rjsmin
from pelican import signals

from . import settings as vitrine_settings
from . import urls
from .build.generator import VitrineGenerator
from .formatting import FILTERS
from .outputs import security
from .translations import install_translations, load_translations
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
    if "jinja2.ext.InternationalizationExtension" in generator.env.extensions:
        language = generator.settings.get("DEFAULT_LANG", "fr")
        translations = load_translations(Path(generator.theme) / "translations", language)
        install_translations(generator.env, translations)
    if settings.incremental and generator.env.bytecode_cache is None:  # else JINJA_ENVIRONMENT's
        generator.env.bytecode_cache = bytecode_cache(generator.env, settings.cache)


def bytecode_cache(env: jinja2.Environment, cache: Path) -> jinja2.FileSystemBytecodeCache:
    """Compiled templates kept in the cache folder: every build is a fresh process, and
    compiling the theme's templates was a quarter of a rebuild at the campaign's size.

    Jinja keys each file by the template's name and checks its source's hash, so an
    edited template is compiled again. What else shapes the compiled code (Jinja's
    version, extensions, options) names the folder, so no other configuration reads it.
    """
    shape = [
        jinja2.__version__,
        sorted(env.extensions),
        getattr(env, "newstyle_gettext", False),
        env.autoescape if isinstance(env.autoescape, bool) else repr(env.autoescape),
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.optimized,
        env.block_start_string,
        env.variable_start_string,
        env.comment_start_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
    ]
    folder = cache / "jinja" / hashlib.sha256(repr(shape).encode()).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


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


def minify_theme(pelican_object) -> None:
    """The theme's scripts and styles, as published, without comments and spacing.

    The sources in ``theme/static/`` keep their comments, which are half of
    search.js: minified (rjsmin, rcssmin), the search page's scripts and styles
    weigh about 7 KB less once gzipped, on every buyer's first search. Pelican
    copies the theme again at each build; both minifiers give back what they are
    given once it is minified.
    """
    settings = pelican_object.settings
    published = Path(settings["OUTPUT_PATH"]) / settings["THEME_STATIC_DIR"]
    minifiers = {".js": rjsmin.jsmin, ".css": rcssmin.cssmin}
    for path in sorted(published.rglob("*")) if published.is_dir() else ():
        minify = minifiers.get(path.suffix)
        if minify is not None and path.is_file():
            path.write_text(minify(path.read_text(encoding="utf-8")), encoding="utf-8")


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(prepare_templates)
    signals.finalized.connect(remove_unpublished_files)
    signals.finalized.connect(minify_theme)
