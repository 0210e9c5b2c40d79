"""Vitrine: a Pelican plugin that turns listing files into a directory site."""

from .plugin import register

__all__ = ["register"]
