"""Texts kept in Chinese and English on one row."""

from django.utils.translation import get_language


def localised(zh: str, en: str) -> str:
    """The English text when English is active and one exists, else the Chinese."""
    language = get_language() or ""
    return en if language.startswith("en") and en else zh
