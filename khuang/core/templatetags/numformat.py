"""Template filters for numbers, percentages, baht and KPI values (built in: no `{% load %}` needed).

All of them call `khuang.core.numformat`, so a page, the PDF and the workbook round and group the same way:
`{{ x|num }}` 1,234 · `{{ x|num:2 }}` 1,234.50 · `{{ x|num:"-1" }}` 4.2 or 4 · `{{ x|pct }}` 43.8% ·
`{{ x|baht }}` 1,234.50 (under a "(THB)" heading) · `{{ x|baht_unit }}` 1,234.50 บาท · `{{ x|score }}` 4.2 / 5 ·
`{{ x|in_unit:"pct" }}` the figure in its unit. A missing value shows "–".
"""

from django import template

from khuang.core import numformat

register = template.Library()


def _places(arg: int | str | None, default: int) -> int:
    if arg is None or arg == "":
        return default
    try:
        return int(arg)
    except (TypeError, ValueError):
        return default


@register.filter
def num(value, places: int | str | None = None) -> str:
    """A number with thousands separators, rounded half up (`places` as in floatformat; default 0)."""
    return numformat.number(value, _places(places, 0))


@register.filter
def pct(value, places: int | str | None = None) -> str:
    """A percentage with its sign (default: one decimal, none when whole)."""
    return numformat.percent(value, _places(places, numformat.PLACES["pct"]))


@register.filter
def baht(value, places: int | str | None = None) -> str:
    """An amount of baht without the unit (default two decimals)."""
    return numformat.baht(value, _places(places, numformat.PLACES["baht"]))


@register.filter
def baht_unit(value, places: int | str | None = None) -> str:
    """An amount of baht with the unit: `1,234.50 บาท` / `1,234.50 THB`."""
    return numformat.baht(value, _places(places, numformat.PLACES["baht"]), unit=True)


@register.filter
def score(value, places: int | str | None = None) -> str:
    """A satisfaction score out of 5: `4.2 / 5`."""
    return numformat.score(value, _places(places, numformat.PLACES["score"]))


@register.filter
def in_unit(value, unit: str) -> str:
    """The figure in its unit (`count`, `pct`, `baht`, `score`, `hours`), with the unit's default places."""
    return numformat.with_unit(value, unit)
