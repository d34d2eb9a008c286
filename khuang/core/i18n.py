"""The visitor's language, for code that chooses between Thai and English values."""

from django.utils import translation


def current_lang() -> str:
    """`"en"` when the visitor reads English, else `"th"` (Thai is the site's language)."""
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def is_english() -> bool:
    """True when the visitor reads English."""
    return current_lang() == "en"


def pick(th: str, en: str, lang: str | None = None) -> str:
    """The English value for a visitor reading English (or for `lang` "en…", when given) when there is one, else
    the Thai value."""
    english = lang.startswith("en") if lang is not None else is_english()
    return en if en and english else th
