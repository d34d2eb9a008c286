"""Parsing what people type into a value or a 422 naming the field, shared by pages and the API."""

from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .thaidates import parse_fiscal_year


def fiscal_year_parse(text: str | int) -> int:
    """`2570` (BE) or `2027` (CE end year) → 2570; anything else → 422 naming `fiscal_year`."""
    try:
        return parse_fiscal_year(str(text).strip())
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("%(year)s is not a fiscal year (use the Buddhist-Era year, e.g. 2570).") % {"year": str(text)[:20]},
            field="fiscal_year",
        ) from None
