"""Ministry exports of a fiscal year's report: an xlsx workbook (one sheet per section) and a Thai PDF."""

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from khuang.core import numformat
from khuang.core.exports import safe_row
from khuang.core.thaidates import fiscal_year_bounds, format_date

from . import charts, display

HEADER = Font(bold=True)
FILL = PatternFill("solid", fgColor="EFE9DF")
# Cell number formats (values stay numbers): khuang.core.numformat's units, so cells read like the pages.
COUNT, BAHT, PCT, HOURS = (numformat.xlsx_format(u) for u in ("count", "baht", "pct", "hours"))


class Cell(NamedTuple):
    """A number with its own format, where one column holds figures in different units (the summary)."""

    value: Any
    number_format: str


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]],
           formats: Sequence[str | None] = ()) -> None:
    """One sheet: a header row, then `rows`; column `i`'s numbers get `formats[i]`, a `Cell` its own format."""
    ws = wb.create_sheet(title[:31])
    ws.append(safe_row(header))
    for cell in ws[1]:
        cell.font, cell.fill = HEADER, FILL
    for row in rows:
        values = [c.value if isinstance(c, Cell) else c for c in row]
        ws.append(safe_row(values))  # names come from people (agencies, projects): never formulas
        for i, (given, cell) in enumerate(zip(row, ws[ws.max_row], strict=False)):
            fmt = given.number_format if isinstance(given, Cell) else (formats[i] if i < len(formats) else None)
            if fmt and isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    if not rows:
        ws.append([_("No data for this fiscal year.")])
    for col in ws.columns:
        width = max(len(_shown(c)) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 10), 60)


def _shown(cell) -> str:
    """Roughly what the cell shows (numbers with their separators), for the column width."""
    if isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
        return numformat.number(cell.value, 2) if ".00" in cell.number_format else numformat.number(cell.value, 1)
    return str(cell.value or "")


def _kpi(value: Any, unit: str) -> Cell:
    return Cell(value, display.kpi_xlsx_format(unit))


def _plain(value: Any) -> Cell:
    """A figure in a unit of its own (a project's): whole numbers without decimals, others with two."""
    whole = value is not None and float(value).is_integer()
    return Cell(value, COUNT if whole else numformat.xlsx_format("number", 2))


def summary_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The summary sheet's KPI rows: value, target, progress (%) and the previous year, each in the KPI's unit;
    then the weeks with no event (of the year's weeks, the optimizer's definition: `khuang.core.weeks`)."""
    rows: list[list[Any]] = [
        [t["label"], _kpi(t["value"], t["unit"]), _kpi(t["target"], t["unit"]), Cell(t["progress_pct"], PCT),
         _kpi(t["previous"], t["unit"])] for t in report["tiles"]]
    acts = report["activities"]
    rows.append([_("Weeks with no event (of %(n)s weeks)") % {"n": acts["weeks_total"]},
                 Cell(acts["weeks_without_event"], COUNT), None, None,
                 Cell(report.get("previous_weeks_without_event"), COUNT)])
    return rows


def ministry_xlsx(report: dict[str, Any]) -> bytes:
    """The report as a workbook: summary, utilization, activities by type/agency/month, budget, projects."""
    wb = Workbook()
    wb.remove(wb.active)
    months = [m["label"] for m in report["months"]]
    first, last = fiscal_year_bounds(report["fiscal_year"])
    summary = [[_("Fiscal year"), report["fiscal_year"], None, None, None],
               [_("Period"), f"{format_date(first, translation.get_language())} – "
                             f"{format_date(last, translation.get_language())}", None, None, None],
               [_("Venue"), report["venue"]["name"], None, None, None]]
    if report["empty"]:
        summary.append([report["message"], None, None, None, None])
    summary += summary_rows(report)
    _sheet(wb, _("Summary"), [_("KPI"), _("Value"), _("Target"), _("Progress (%)"), _("Previous year")], summary)
    _sheet(wb, _("Utilization"), [_("Space"), *months, _("Year")],
           [[f'{r["code"]} {r["name"]}', *r["months"], r["pct"]] for r in report["utilization"]["spaces"]],
           [None, *[PCT] * 13])
    acts = report["activities"]
    _sheet(wb, _("By type"), [_("Activity type"), _("Activities")],
           [[r["label"], r["events"]] for r in acts["by_type"]], [None, COUNT])
    _sheet(wb, _("By agency"), [_("Agency"), _("Activities")], [[r["name"], r["events"]] for r in acts["by_agency"]],
           [None, COUNT])
    _sheet(wb, _("By month"), [_("Month"), _("Activities"), _("Utilization (%)")],
           [[m, n, u] for m, n, u in zip(months, acts["by_month"], report["utilization"]["by_month"], strict=True)],
           [None, COUNT, PCT])
    revenue = report["revenue"]
    _sheet(wb, _("Revenue"), [_("Month"), _("Booked"), _("Money received")],
           [[m["label"], m["booked_thb"], m["received_thb"]] for m in revenue["by_month"]]
           + [[_("Year"), revenue["booked_thb"], revenue["received_thb"]],
              [_("Recorded revenue of activities never invoiced"), None, revenue["actuals_thb"]]],
           [None, BAHT, BAHT])
    budget = report["budget"]
    _sheet(wb, _("Budget"), [_("Category"), _("Planned (THB)"), _("Spent (THB)"), _("Spent (%)")],
           [[r["category"], r["planned_thb"], r["spent_thb"], r["spent_pct"]] for r in budget["lines"]]
           + [[_("Budget request for fiscal year %(fy)s") % {"fy": budget["next_year"]} + ": " + r["category"],
               r["requested_thb"], None, None] for r in budget["requests"]],
           [None, BAHT, BAHT, PCT])
    _sheet(wb, _("Projects"), [_("Project"), _("Indicator"), _("Target"), _("Actual"), _("Unit"), _("On track")],
           [[p["name"], p["indicator"], _plain(p["target"]), _plain(p["actual"]), p["unit"],
             _("yes") if p["on_track"] else _("no")] for p in report["projects"]])
    income = report["community_income"]
    _sheet(wb, _("Community income"), [_("Fair or province"), _("First day"), _("Community sales (THB)")],
           [[f["title"], format_date(f["start"], translation.get_language()), f["total_thb"]]
            for f in income["by_fair"]]
           + [[_("Province: %(name)s") % {"name": p["province"]}, None, p["total_thb"]] for p in income["by_province"]]
           + ([[_("Total"), None, income["total_thb"]]] if income["by_fair"] else []), [None, None, BAHT])
    booths = report["booths"]
    _sheet(wb, _("Booth revenue"), [_("Fair"), _("First day"), _("Booths"), _("Sold"), _("Reserved"),
                                    _("Booth fees quoted (THB)"), _("Invoiced (THB)"), _("Received (THB)")],
           [[f["title"], format_date(f["start"], translation.get_language()), f["booths"], f["sold"], f["reserved"],
             f["quoted_thb"], f["invoiced_thb"], f["received_thb"]] for f in booths["fairs"]]
           + ([[_("Total"), None, booths["booths"], booths["sold"], booths["reserved"], booths["quoted_thb"],
                booths["invoiced_thb"], booths["received_thb"]]] if booths["fairs"] else []),
           [None, None, COUNT, COUNT, COUNT, BAHT, BAHT, BAHT])
    _personnel_sheet(wb, report.get("personnel"))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _personnel_sheet(wb: Workbook, p: dict[str, Any] | None) -> None:
    """Headcount by unit and skill, hours assigned to events by month and for the year, overtime, per person."""
    if p is None:
        return
    rows: list[list[Any]] = [[_("Staff headcount"), Cell(p["headcount"], COUNT), None]]
    rows += [[f'{_("Work unit")}: {u["unit"]}', Cell(u["count"], COUNT), None] for u in p["by_unit"]]
    rows += [[f'{_("Skill")}: {s["label"]}', Cell(s["count"], COUNT), None] for s in p["by_skill"]]
    rows += [[f'{_("Hours assigned to events")}: {m["label"]}', m["hours"], m["overtime"]] for m in p["months"]]
    rows.append([_("Fiscal year total"), p["hours"], p["overtime"]])
    rows += [[f'{_("Person")}: {x["name"]} ({x["unit"]})', x["hours"], x["overtime"]] for x in p["people"]]
    _sheet(wb, _("Personnel"), [_("Personnel"), _("People / hours"), _("Overtime (hours)")], rows,
           [None, HOURS, HOURS])


def ministry_pdf(report: dict[str, Any]) -> bytes:
    """The Thai-language ministry report (BE dates, Thai fonts, charts as PNG) rendered by WeasyPrint."""
    from weasyprint import HTML

    first, last = fiscal_year_bounds(report["fiscal_year"])
    context = {
        "r": display.with_texts(report),
        "period": f"{format_date(first, 'th', full=True)} – {format_date(last, 'th', full=True)}",
        "heatmap": charts.data_uri(charts.utilization_heatmap(report)),
        "monthly": charts.data_uri(charts.monthly_by_type(report)),
    }
    html = render_to_string("reports/ministry_pdf.html", context)
    return HTML(string=html).write_pdf()
