"""Template filters for Buddhist-Era dates and fiscal years, following the active language."""

from datetime import date, datetime

from django import template
from django.utils import timezone, translation

from khuang.core import thaidates

register = template.Library()


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def be_date(value: date | datetime | None, style: str = "short") -> str:
    """`{{ d|be_date }}` → 3 ก.พ. 2570 in Thai, 3 Feb 2027 in English; `|be_date:"full"` spells months."""
    if value in (None, ""):
        return ""
    lang = translation.get_language() or "th"
    return thaidates.format_date(_local(value), lang, full=(style == "full"))


@register.filter
def be_datetime(value: datetime | None) -> str:
    """Date as be_date plus the local 24-hour time."""
    if not value:
        return ""
    local = _local(value)
    return f"{be_date(local)} {local:%H:%M}"


@register.filter
def fiscal_year(value: date | datetime | None) -> int | str:
    """The Thai fiscal year (BE) of a date."""
    if not value:
        return ""
    local = _local(value)
    return thaidates.fiscal_year(local.date() if isinstance(local, datetime) else local)


@register.simple_tag
def date_input(name: str, value: date | datetime | str | None = None, label: str = "", **attrs: str) -> str:
    """`{% date_input "start" item.start label=_("First day") %}`: the same date input as the forms' (d/m/yyyy
    in Buddhist Era with a picker in Thai, the browser's date input in English), for hand-written forms."""
    from khuang.core.forms import BEDateInput

    if label:
        attrs["aria-label"] = str(label)
    return BEDateInput().render(name, value, attrs=attrs)
