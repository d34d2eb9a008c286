"""KPI figures as text, the same for the dashboard, the PDF and the workbook (through `khuang.core.numformat`).

A KPI's value, target and previous-year value are shown in the KPI's unit (`models.KPI_UNITS`): a percentage
with %, revenue in whole baht with the unit, a satisfaction score out of 5, counts plain. Progress is the true
share of the target; a KPI with no value shows no bar and says there is no data.
"""

from typing import Any

from django.utils.translation import gettext as _

from khuang.core import numformat

# Decimals of each unit on the KPI tiles and in the PDF's KPI table (numformat's convention: negative = only
# when the value has a fraction). Revenue in whole baht; scores to two decimals, so 4.17 never reads as the
# target 4.2 it has not reached.
KPI_PLACES: dict[str, int] = {"pct": -1, "count": 0, "baht": 0, "score": 2}
PROGRESS_PLACES = -1  # 99.6 % of a target is "99.6%", never a rounded "100%" beside "not met"


def kpi_text(value: float | None, unit: str) -> str:
    """A KPI figure in its unit ("–" when there is none)."""
    return numformat.with_unit(value, unit, KPI_PLACES.get(unit))


def kpi_xlsx_format(unit: str) -> str:
    """The workbook number format of a KPI figure (the same decimals as `kpi_text`)."""
    places = KPI_PLACES.get(unit, 0)
    return numformat.xlsx_format(unit, abs(places))  # a cell cannot drop its decimals only when whole


def tile_text(tile: dict[str, Any]) -> dict[str, Any]:
    """The texts of one KPI tile: value, target, previous year, progress, the bar's width and the target line."""
    unit = tile["unit"]
    progress = numformat.percent(tile["progress_pct"], PROGRESS_PLACES)
    target = kpi_text(tile["target"], unit) if tile["target"] is not None else ""
    if tile["target"] is None:
        target_line = _("no target set") if tile["value"] is not None else _("no target set · no data yet")
    elif tile["value"] is None:
        target_line = _("target %(target)s · no data yet") % {"target": target}
    elif tile["progress_pct"] is None:  # a zero target
        target_line = _("target %(target)s · met") % {"target": target}
    else:
        target_line = _("target %(target)s · %(pct)s of it reached") % {"target": target, "pct": progress}
    return {
        **tile,
        "value_text": kpi_text(tile["value"], unit),
        "target_text": target or numformat.NO_DATA,
        "previous_text": kpi_text(tile["previous"], unit),
        "progress_text": numformat.no_data() if tile["value"] is None and tile["target"] is not None else progress,
        "bar_width": None if tile["bar_pct"] is None else numformat.number(tile["bar_pct"], 1),
        "target_line": target_line,
        "no_data": tile["value"] is None,
    }


def with_texts(report: dict[str, Any]) -> dict[str, Any]:
    """The report with every tile's texts added (`tile_text`), for pages and the PDF."""
    return {**report, "tiles": [tile_text(t) for t in report["tiles"]]}
