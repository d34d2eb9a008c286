"""Template helpers of the proposal import page."""

from django import template

from khuang.planning.imports import column_label

register = template.Library()


@register.filter
def import_column(field: str) -> str:
    """An import problem's field as the column header people see, in the page's language."""
    return column_label(str(field))
