"""Data in the page's language: a booking's English title where it has one (a builtin of every template)."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_title(obj) -> str:
    """`{{ booking|local_title }}`: the English title in English when there is one, else the Thai title."""
    if obj is None:
        return ""
    if hasattr(obj, "display_title"):
        return obj.display_title(get_language() or "th")
    if isinstance(obj, dict):
        return str(obj.get("title", ""))
    return str(getattr(obj, "title", ""))
