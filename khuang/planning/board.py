"""Page-only reads of the planning board: the latest plan laid over the diary, and the season overlay.

The overlay reads the public app's festival calendar (read only, as docs/ARCHITECTURE.md allows) and the
Thai public holidays; the diary's bookings come from `bookings.selectors.diary_grid`.
"""

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from khuang.bookings.selectors import diary_grid, next_booking
from khuang.core import thaidates

from .models import Plan, PlanStatus
from .selectors import HIGH_SEASON_MONTHS, plan_items, thai_holidays


def fiscal_months(fiscal_year: int) -> list[date]:
    """The first day of each of the twelve months of a fiscal year (October first)."""
    first, _last = thaidates.fiscal_year_bounds(fiscal_year)
    months = []
    day = first
    for _ in range(12):
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def latest_plan(venue, fiscal_year: int) -> Plan | None:
    """The newest version with a result (approved, solved or stopped), else the newest of any state."""
    plans = Plan.objects.filter(venue=venue, fiscal_year=fiscal_year).order_by("-version")
    done = plans.filter(status__in=[PlanStatus.APPROVED, PlanStatus.SOLVED, PlanStatus.STOPPED]).first()
    return done or plans.first()


def season_overlay(first: date, last: date, *, province: str = "", lang: str = "th") -> dict[date, dict[str, Any]]:
    """For each day: Thai public holidays, Lanna festivals and seasons (names in the page's language), high season."""
    from khuang.public.models import FestivalDate

    th = lang.startswith("th")
    days: dict[date, dict[str, Any]] = {
        d: {"holidays": [], "festivals": [], "seasons": [], "high": d.month in HIGH_SEASON_MONTHS}
        for d in thaidates.daterange(first, last)}
    for day, name in thai_holidays(first, last, lang).items():
        days[day]["holidays"].append(name)
    found = FestivalDate.objects.select_related("festival").filter(start__lte=last, end__gte=first)
    for occ in found.order_by("start", "festival__key"):
        f = occ.festival
        if province and f.province not in ("", "ALL") and province.lower() not in f.province.lower():
            continue
        name = f.name_th if th or not f.name_en else f.name_en
        key = "seasons" if f.kind == "season" else "festivals"
        for d in thaidates.daterange(max(occ.start, first), min(occ.end, last)):
            if name not in days[d][key]:
                days[d][key].append(name)
    return days


def _item_days(item) -> list[tuple[date, str]]:
    p = item.proposal
    out = [(item.start - timedelta(days=k), "setup") for k in range(p.setup_days, 0, -1)]
    out += [(item.start + timedelta(days=k), "event") for k in range(p.days)]
    out += [(item.start + timedelta(days=p.days - 1 + k), "teardown") for k in range(1, p.teardown_days + 1)]
    return out


def board_month(*, venue, fiscal_year: int, month: date, viewer, lang: str = "th") -> dict[str, Any]:
    """One month of the board: spaces × days with the latest plan's items, the diary's bookings and the seasons."""
    first = month.replace(day=1)
    length = calendar.monthrange(first.year, first.month)[1]
    last = first + timedelta(days=length - 1)
    grid = diary_grid(venue_code=venue.code, first_day=first, days=length, viewer=viewer)
    plan = latest_plan(venue, fiscal_year)
    placed: dict[tuple[int, date], list[dict[str, Any]]] = {}
    if plan is not None and plan.is_finished:
        for item in plan_items(plan, viewer):
            if not item.scheduled:
                continue
            spans = [(d, phase) for d, phase in _item_days(item) if first <= d <= last]
            for n, (d, phase) in enumerate(spans):
                placed.setdefault((item.space_id, d), []).append(
                    {"item": item, "phase": phase, "first": n == 0 or phase == "event" and d == item.start})
    overlay = season_overlay(first, last, province=venue.province, lang=lang)
    weekdays = thaidates.WEEKDAYS_TH_SHORT if lang.startswith("th") else thaidates.WEEKDAYS_EN_SHORT
    columns = [{"day": d, "weekday": weekdays[d.weekday()], "weekend": d.weekday() >= 5, **overlay[d]}
               for d in grid["days"]]
    rows = []
    for row in grid["rows"]:
        cells = [{**c, "plan": placed.get((row["space"].pk, c["day"]), []), "high": overlay[c["day"]]["high"],
                  "holiday": bool(overlay[c["day"]]["holidays"])} for c in row["cells"]]
        rows.append({"space": row["space"], "cells": cells})
    return {"plan": plan, "columns": columns, "rows": rows, "first": first, "last": last,
            "title": thaidates.format_month(first.year, first.month, lang),
            "overlay_list": _overlay_list(overlay)}


def next_on_board(*, venue, fiscal_year: int, after: date, viewer, lang: str = "th") -> dict[str, Any] | None:
    """What comes first from `after` on: a diary booking the viewer may see or an item of the year's latest plan;
    `{"day", "title"}` or None. For an empty month's "next: …"."""
    tz = timezone.get_current_timezone()
    found: list[tuple[date, str]] = []
    booking = next_booking(viewer=viewer, venue_code=venue.code,
                           after=datetime.combine(after, datetime.min.time(), tzinfo=tz))
    if booking is not None:
        found.append((timezone.localdate(booking.start), booking.display_title(lang)))
    plan = latest_plan(venue, fiscal_year)
    if plan is not None and plan.is_finished:
        items = [i for i in plan_items(plan, viewer) if i.scheduled and i.start >= after]
        if items:
            item = min(items, key=lambda i: i.start)
            found.append((item.start, f"{item.proposal.ref} {item.proposal.title}"))
    if not found:
        return None
    day, title = min(found, key=lambda f: f[0])
    return {"day": day, "title": title}


def _overlay_list(overlay: dict[date, dict[str, Any]]) -> list[dict[str, Any]]:
    """The month's holidays and festivals as dated spans, for the list under the grid."""
    spans: dict[tuple[str, str], list[date]] = {}
    for d, info in sorted(overlay.items()):
        for kind in ("holidays", "festivals", "seasons"):
            for name in info[kind]:
                spans.setdefault((kind, name), []).append(d)
    out = [{"kind": kind, "name": name, "start": ds[0], "end": ds[-1]} for (kind, name), ds in spans.items()]
    return sorted(out, key=lambda r: (r["start"], r["kind"]))


def board_year(*, venue, fiscal_year: int, viewer, lang: str = "th") -> dict[str, Any]:
    """The whole fiscal year: spaces × months with the count of planned items and booked days, per month's seasons."""
    first, last = thaidates.fiscal_year_bounds(fiscal_year)
    months = fiscal_months(fiscal_year)
    plan = latest_plan(venue, fiscal_year)
    overlay = season_overlay(first, last, province=venue.province, lang=lang)
    grid = diary_grid(venue_code=venue.code, first_day=first, days=(last - first).days + 1, viewer=viewer)
    planned: dict[tuple[int, int], list] = {}
    month_index = {m: i for i, m in enumerate(months)}
    if plan is not None and plan.is_finished:
        for item in plan_items(plan, viewer):
            index = month_index.get(item.start.replace(day=1)) if item.scheduled else None
            if index is not None:
                planned.setdefault((item.space_id, index), []).append(item)
    rows = []
    for row in grid["rows"]:
        booked = [0] * 12
        for c in row["cells"]:
            if c["bookings"]:
                booked[month_index[c["day"].replace(day=1)]] += 1
        rows.append({"space": row["space"], "cells": [
            {"month": m, "items": planned.get((row["space"].pk, i), []), "booked_days": booked[i],
             "high": m.month in HIGH_SEASON_MONTHS} for i, m in enumerate(months)]})
    short = thaidates.MONTHS_TH_SHORT if lang.startswith("th") else thaidates.MONTHS_EN_SHORT
    columns = []
    for m in months:
        in_month = [info for d, info in overlay.items() if d.year == m.year and d.month == m.month]
        year = thaidates.be_year(m) if lang.startswith("th") else m.year
        columns.append({"month": m, "label": f"{short[m.month - 1]} {year}", "high": m.month in HIGH_SEASON_MONTHS,
                        "holidays": sum(1 for i in in_month if i["holidays"]),
                        "festivals": sorted({n for i in in_month for n in i["festivals"]}),
                        "seasons": sorted({n for i in in_month for n in i["seasons"]})})
    return {"plan": plan, "columns": columns, "rows": rows}


def sparkline(progress: list[dict[str, float]], width: int = 320, height: int = 80) -> dict[str, str]:
    """SVG polyline points for the objective and bound traces (no text inside the SVG)."""
    points = [p for p in progress or [] if p.get("objective") is not None]
    if not points:
        return {"objective": "", "bound": ""}
    if len(points) == 1:  # one report (a quick solve): draw it as a level line across the chart
        points = [{**points[0], "t": 0}, {**points[0], "t": 1}]
    t_max = max(p.get("t", 0) for p in points) or 1
    values = [p["objective"] for p in points] + [p["bound"] for p in points if p.get("bound") is not None]
    top = max(values) or 1

    def line(key: str) -> str:
        return " ".join(f"{p.get('t', 0) / t_max * width:.1f},{height - (p[key] / top) * (height - 4) - 2:.1f}"
                        for p in points if p.get(key) is not None)

    return {"objective": line("objective"), "bound": line("bound")}
