"""KPI selectors: a venue's (or one space's) key figures for one Thai fiscal year. Reads only.

Definitions (also in docs/KPIS.md):

* **Fiscal year** FY N (BE) runs 1 Oct (N-544) 00:00 to 1 Oct (N-543) 00:00 in the venue's time zone,
  half-open; FY 2570 = 1 Oct 2026 – 30 Sep 2027.
* **Counted bookings** are confirmed or completed ones (inquiries, holds and cancellations are not events).
* **Utilization** = occupied hours ÷ available hours, both counted only inside the venue's daily operating
  hours (opens_at–closes_at) and inside the fiscal year:
  - *available* hours of an atomic space = operating hours of every day of the year minus the operating
    hours it is closed (a closure of a combined space closes each of its parts);
  - *occupied* hours = the operating hours covered by the occupied span (setup + event + teardown) of counted
    bookings, outside closures; a booking of a combined space occupies every atomic part;
  - a booking crossing the fiscal-year boundary contributes to each year only the hours inside it;
  - for several atomic spaces (the venue, or a combined space) the figure is weighted by floor area:
    Σ area × occupied ÷ Σ area × available (a space without an area weighs as 1 m²).
* **Activities** are counted bookings whose event starts inside the fiscal year (a booking crossing
  30 Sep → 1 Oct counts as an activity of the year it starts in), by type, agency and month of start.
  With a space chosen, activities on any space sharing an atomic part with it count.
* **Attendees** = recorded attendance where an actual exists, else the expected attendance.
* **Revenue** (THB, VAT excluded) = money received in the fiscal year according to the finance ledger (payments
  by payment date, less credit notes; `finance.selectors.revenue_report`), plus the recorded actual revenue of
  the year's activities that were never invoiced (events recorded before invoicing existed).
* **Partner agencies active** = distinct agencies with at least one activity.
* **Weeks with no event**: `khuang.core.weeks`, the optimizer's definition: the year's weeks are the ISO weeks
  (Monday–Sunday) that intersect it; a week is empty when no event day (setup and teardown excluded) of the
  year's activities falls in it inside the year.
* **High-season share** = activities starting in November–February ÷ all activities (northern high season).

Everything is computed from value lists (one query per table), never per-booking model objects.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.accounts.models import Agency
from khuang.bookings.models import Booking, BookingStatus
from khuang.bookings.selectors import leaves_by_space
from khuang.core import weeks
from khuang.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from khuang.core.models import ActivityType
from khuang.core.numformat import round_float
from khuang.core.thaidates import (
    MONTHS_EN_SHORT,
    MONTHS_TH_SHORT,
    fiscal_year_bounds,
    parse_fiscal_year,
)
from khuang.finance.selectors import invoiced_booking_ids, revenue_report
from khuang.operations.selectors import personnel_summary
from khuang.venues.models import Closure, Space, Venue

from .models import KPI_UNITS, BudgetLine, Kpi, KpiTarget, Project

COUNTED = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
HIGH_SEASON_MONTHS = (11, 12, 1, 2)
Interval = tuple[datetime, datetime]


# ---------------------------------------------------------------- small helpers

def venue_get(code: str | None) -> Venue:
    """The venue by code (the default venue when none is given); unknown code → 404."""
    from khuang.venues.selectors import default_venue

    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise NotFoundError(_("No venue with code %(code)s.") % {"code": code or "-"}, field="venue")
    return venue


def fiscal_year_span(fy: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The fiscal year as a half-open span of naive local datetimes [1 Oct 00:00, next 1 Oct 00:00)."""
    first, last = fiscal_year_bounds(fy)
    return datetime.combine(first, time.min), datetime.combine(last + timedelta(days=1), time.min)


def fiscal_months(fy: int, lang: str = "th") -> list[dict[str, Any]]:
    """The twelve months of a fiscal year, October first, with short labels (BE years in Thai)."""
    first, _last = fiscal_year_bounds(fy)
    out = []
    for i in range(12):
        month = (first.month - 1 + i) % 12 + 1
        year = first.year + (1 if month < 10 else 0)
        if lang.startswith("th"):
            label = f"{MONTHS_TH_SHORT[month - 1]} {str(year + 543)[-2:]}"
        else:
            label = f"{MONTHS_EN_SHORT[month - 1]} {str(year)[-2:]}"
        out.append({"index": i, "year": year, "month": month, "label": label})
    return out


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    return timezone.localtime(value, tz).replace(tzinfo=None)


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Union of intervals, sorted, as disjoint half-open spans."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _subtract(spans: list[Interval], holes: list[Interval]) -> list[Interval]:
    """Disjoint sorted `spans` minus disjoint sorted `holes`."""
    if not holes:
        return spans
    out: list[Interval] = []
    j = 0
    for start, end in spans:
        cur = start
        while j < len(holes) and holes[j][1] <= cur:
            j += 1
        k = j
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cur:
                out.append((cur, holes[k][0]))
            cur = max(cur, holes[k][1])
            k += 1
        if cur < end:
            out.append((cur, end))
    return out


def _operating_hours_by_month(spans: list[Interval], fy_start: datetime, fy_end: datetime, opens: time,
                              closes: time) -> list[float]:
    """Hours of `spans` inside daily operating hours, per fiscal month (index 0 = October)."""
    out = [0.0] * 12
    for start, end in spans:
        start, end = max(start, fy_start), min(end, fy_end)
        day = start.date()
        while True:
            day_open = datetime.combine(day, opens)
            if day_open >= end:
                break
            lo, hi = max(start, day_open), min(end, datetime.combine(day, closes))
            if hi > lo:
                out[(day.month - 10) % 12] += (hi - lo).total_seconds() / 3600
            day += timedelta(days=1)
    return out


def _daily_hours(venue: Venue) -> float:
    opens, closes = venue.opens_at, venue.closes_at
    hours = (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)).total_seconds() / 3600
    return max(hours, 0.0)


def _ratio(num: float, den: float) -> float | None:
    """A percentage to one decimal, rounded half up (`khuang.core.numformat`); None when there is no base."""
    return round_float(100 * num / den, 1) if den > 0 else None


# ---------------------------------------------------------------- utilization

def kpi_utilization(venue: Venue, fy: int, space: Space | None = None) -> dict[str, Any]:
    """Utilization (%) of the venue, or of one space, for a fiscal year; plus a space × month matrix.

    Returns {"pct", "occupied_hours", "available_hours", "by_month": [pct…12], "spaces": [{code, name,
    combined, months: [pct…12], pct}]}. See the module docstring for the definition.
    """
    tz = ZoneInfo(venue.timezone)
    fy_start, fy_end = fiscal_year_span(fy, tz)
    aware_start, aware_end = fy_start.replace(tzinfo=tz), fy_end.replace(tzinfo=tz)
    spaces = list(Space.objects.filter(venue=venue).values_list("id", "code", "name_th", "name_en", "area_sqm",
                                                                "is_active"))
    ids = [s[0] for s in spaces]
    leaves = leaves_by_space(ids)
    atomic = [pk for pk in ids if leaves[pk] == {pk}]
    area = {s[0]: float(s[4]) if s[4] else 1.0 for s in spaces}

    busy: dict[int, list[Interval]] = defaultdict(list)
    rows = Booking.objects.filter(space_id__in=ids, status__in=COUNTED, occupied_start__lt=aware_end,
                                  occupied_end__gt=aware_start).values_list("space_id", "occupied_start",
                                                                            "occupied_end")
    for space_id, start, end in rows.iterator(chunk_size=5000):
        span = (_local(start, tz), _local(end, tz))
        for leaf in leaves[space_id]:
            busy[leaf].append(span)
    closed: dict[int, list[Interval]] = defaultdict(list)
    for space_id, start, end in Closure.objects.filter(space_id__in=ids, start__lt=aware_end,
                                                       end__gt=aware_start).values_list("space_id", "start", "end"):
        for leaf in leaves[space_id]:
            closed[leaf].append((_local(start, tz), _local(end, tz)))

    months = fiscal_months(fy)
    day_hours = _daily_hours(venue)
    month_days = [(date(m["year"] + (m["month"] == 12), m["month"] % 12 + 1, 1)
                   - date(m["year"], m["month"], 1)).days for m in months]
    occupied: dict[int, list[float]] = {}
    available: dict[int, list[float]] = {}
    for leaf in atomic:
        holes = _merge(closed.get(leaf, []))
        shut = _operating_hours_by_month(holes, fy_start, fy_end, venue.opens_at, venue.closes_at)
        available[leaf] = [max(d * day_hours - s, 0.0) for d, s in zip(month_days, shut, strict=True)]
        spans = _subtract(_merge(busy.get(leaf, [])), holes)
        occupied[leaf] = _operating_hours_by_month(spans, fy_start, fy_end, venue.opens_at, venue.closes_at)

    def weighted(leaf_ids: set[int], month: int | None) -> tuple[float, float]:
        occ = avail = 0.0
        for leaf in leaf_ids:
            if leaf not in available:
                continue
            w = area[leaf]
            occ += w * (occupied[leaf][month] if month is not None else sum(occupied[leaf]))
            avail += w * (available[leaf][month] if month is not None else sum(available[leaf]))
        return occ, avail

    chosen = leaves[space.pk] if space is not None else {pk for pk in atomic if _active(spaces, pk)}
    occ_total, avail_total = weighted(chosen, None)
    rows_out = []
    for pk, code, name_th, name_en, _area, is_active in spaces:
        if not is_active or (space is not None and not (leaves[pk] & chosen)):
            continue
        cells = [_ratio(*weighted(leaves[pk], i)) for i in range(12)]
        rows_out.append({"code": code, "name": name_en if _en() and name_en else name_th,
                         "combined": leaves[pk] != {pk}, "months": cells,
                         "pct": _ratio(*weighted(leaves[pk], None))})
    rows_out.sort(key=lambda r: (r["combined"], r["code"]))
    return {
        "pct": _ratio(occ_total, avail_total),
        "occupied_hours": round_float(sum(occupied[leaf][i] for leaf in chosen if leaf in occupied
                                          for i in range(12)), 1),
        "available_hours": round_float(sum(available[leaf][i] for leaf in chosen if leaf in available
                                           for i in range(12)), 1),
        "by_month": [_ratio(*weighted(chosen, i)) for i in range(12)],
        "spaces": rows_out,
    }


def _active(spaces, pk: int) -> bool:
    return next(s[5] for s in spaces if s[0] == pk)


def _en() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "th").startswith("en")


# ---------------------------------------------------------------- activities

def kpi_activities(venue: Venue, fy: int, space: Space | None = None) -> dict[str, Any]:
    """Activities starting in the fiscal year: counts by type, agency and month, attendees, revenue,
    partner agencies, empty weeks, high-season share and mean satisfaction (one query, one pass)."""
    tz = ZoneInfo(venue.timezone)
    fy_start, fy_end = fiscal_year_span(fy, tz)
    ids = list(Space.objects.filter(venue=venue).values_list("id", flat=True))
    leaves = leaves_by_space(ids)
    if space is not None:
        mine = leaves[space.pk]
        ids = [pk for pk in ids if leaves[pk] & mine]
    rows = Booking.objects.filter(
        space_id__in=ids, status__in=COUNTED, start__gte=fy_start.replace(tzinfo=tz),
        start__lt=fy_end.replace(tzinfo=tz),
    ).values_list("start", "end", "event_type", "agency_id", "attendees", "actual__attendance",
                  "actual__revenue_thb", "actual__satisfaction", "pk")
    first_day, last_day = fiscal_year_bounds(fy)
    event_days: list[weeks.Span] = []
    by_type: dict[str, int] = defaultdict(int)
    by_agency: dict[int | None, int] = defaultdict(int)
    by_month = [0] * 12
    by_month_type: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    events = attendees = high = with_actual = 0
    actual_revenue: dict[int, Decimal] = {}
    scores: list[Decimal] = []
    for start, end, kind, agency_id, expected, actual_att, actual_rev, score, pk in rows.iterator(chunk_size=5000):
        s, e = _local(start, tz), _local(end, tz)
        month = (s.month - 10) % 12
        events += 1
        by_type[kind] += 1
        by_agency[agency_id] += 1
        by_month[month] += 1
        by_month_type[kind][month] += 1
        if s.month in HIGH_SEASON_MONTHS:
            high += 1
        attendees += actual_att if actual_att is not None else expected
        if actual_rev is not None:
            actual_revenue[pk] = actual_rev
            with_actual += 1
        if score is not None:
            scores.append(score)
        event_days.append((s.date(), (e - timedelta(microseconds=1)).date()))
    names = dict(Agency.objects.filter(pk__in=[k for k in by_agency if k]).values_list(
        "pk", "name_en" if _en() else "name_th"))
    codes = dict(Agency.objects.filter(pk__in=[k for k in by_agency if k]).values_list("pk", "code"))
    labels = dict(ActivityType.choices)
    invoiced = invoiced_booking_ids() if actual_revenue else set()  # their money is counted from the ledger
    revenue = sum((v for k, v in actual_revenue.items() if k not in invoiced), Decimal("0"))
    return {
        "events": events,
        "attendees": attendees,
        "revenue_thb": float(revenue),
        "actuals_recorded": with_actual,
        "satisfaction": round_float(sum(scores) / len(scores), 2) if scores else None,
        "partner_agencies": len([k for k in by_agency if k]),
        "weeks_total": weeks.week_count(first_day, last_day),
        "weeks_without_event": len(weeks.idle_weeks(first_day, last_day, event_days)),
        "high_season_events": high,
        "high_season_pct": _ratio(high, events),
        "by_type": [{"type": k, "label": str(labels.get(k, k)), "events": v}
                    for k, v in sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))],
        "by_agency": [{"agency": codes.get(k), "name": names.get(k) or _("No agency"), "events": v}
                      for k, v in sorted(by_agency.items(), key=lambda kv: (-kv[1], codes.get(kv[0]) or ""))],
        "by_month": by_month,
        "by_month_type": [{"type": k, "label": str(labels.get(k, k)), "months": v}
                          for k, v in sorted(by_month_type.items())],
    }


# ---------------------------------------------------------------- revenue

def kpi_revenue(venue: Venue, fy: int, space: Space | None = None, acts: dict[str, Any] | None = None
                ) -> dict[str, Any]:
    """Revenue of the fiscal year, VAT excluded: received (finance ledger) and booked (accepted quotations) by
    month, plus the actual revenue of un-invoiced activities; with a space chosen, the rental of spaces sharing
    an atomic part with it."""
    ledger = revenue_report(venue, fy)
    if space is not None:
        leaves = leaves_by_space(list(Space.objects.filter(venue=venue).values_list("id", flat=True)))
        codes = set(Space.objects.filter(pk__in=[pk for pk, parts in leaves.items() if parts & leaves[space.pk]])
                    .values_list("code", flat=True))
        rows = [r for r in ledger["by_space"] if r["code"] in codes]
        received = sum((r["received"] for r in rows), Decimal("0"))
        booked = sum((r["booked"] for r in rows), Decimal("0"))
    else:
        received, booked = ledger["received"], ledger["booked"]
    legacy = Decimal(str((acts or kpi_activities(venue, fy, space))["revenue_thb"]))
    return {"received_thb": float(received), "booked_thb": float(booked), "actuals_thb": float(legacy),
            "total_thb": float(received + legacy),
            "by_month": [{"label": m["label"], "received_thb": float(m["received"]), "booked_thb": float(m["booked"])}
                         for m in ledger["months"]] if space is None else []}


# ---------------------------------------------------------------- targets, budget, projects

def kpi_targets(venue: Venue, fy: int) -> dict[str, float]:
    """Targets staff set for the venue's fiscal year, by KPI key."""
    return {k: float(v) for k, v in KpiTarget.objects.filter(venue=venue, fiscal_year=fy).values_list("kpi",
                                                                                                     "target")}


def budget_summary(venue: Venue, fy: int) -> dict[str, Any]:
    """Budget lines of the year (planned vs spent) and the request lines for the next year."""
    lines = []
    for line in BudgetLine.objects.filter(venue=venue, fiscal_year=fy, kind=BudgetLine.Kind.ALLOCATED):
        lines.append({"category": line.category, "planned_thb": float(line.planned_thb),
                      "spent_thb": float(line.spent_thb),
                      "spent_pct": _ratio(float(line.spent_thb), float(line.planned_thb))})
    requests = [{"category": line.category, "requested_thb": float(line.planned_thb)}
                for line in BudgetLine.objects.filter(venue=venue, fiscal_year=fy + 1, kind=BudgetLine.Kind.REQUEST)]
    planned = sum(row["planned_thb"] for row in lines)
    spent = sum(row["spent_thb"] for row in lines)
    return {"lines": lines, "planned_thb": planned, "spent_thb": spent, "spent_pct": _ratio(spent, planned),
            "next_year": fy + 1, "requests": requests,
            "requested_thb": sum(row["requested_thb"] for row in requests)}


def fiscal_year_elapsed(fy: int, today: date | None = None) -> float:
    """Share (0–1) of the fiscal year gone by `today`."""
    first, last = fiscal_year_bounds(fy)
    today = today or timezone.localdate()
    if today < first:
        return 0.0
    if today > last:
        return 1.0
    return ((today - first).days + 1) / ((last - first).days + 1)


def project_list(venue: Venue, fy: int, today: date | None = None) -> list[dict[str, Any]]:
    """Projects of the year with progress; on track = actual ≥ target × share of the year gone by. A project fed
    by community fair sales adds the sales recorded at the year's fairs to what staff recorded by hand."""
    elapsed = fiscal_year_elapsed(fy, today)
    out = []
    fair_sales: float | None = None
    for p in Project.objects.filter(venue=venue, fiscal_year=fy):
        by_hand = float(p.actual)
        from_fairs = 0.0
        if p.feed == Project.Feed.COMMUNITY_FAIR_SALES:
            if fair_sales is None:
                fair_sales = float(community_income(venue, fy)["total_thb"])
            from_fairs = fair_sales
        target, actual = float(p.target), by_hand + from_fairs
        out.append({"name": p.name, "indicator": p.indicator, "unit": p.unit, "target": target, "actual": actual,
                    "by_hand": by_hand, "from_fairs": from_fairs, "fed_by_fairs": bool(p.feed),
                    "budget_thb": float(p.budget_thb), "progress_pct": _ratio(actual, target),
                    "on_track": actual >= target * elapsed})
    return out


# ---------------------------------------------------------------- fairs: community income and booth revenue

def community_income(venue: Venue, fy: int) -> dict[str, Any]:
    """Community and OTOP exhibitors' sales recorded at the venue's fairs starting in the fiscal year: total,
    by fair and by province (exhibitor's province)."""
    from khuang.exhibitions.selectors import community_income as fair_sales

    first, last = fiscal_year_bounds(fy)
    out = fair_sales(venue.pk, first, last)
    return {**out, "total_thb": float(out["total_thb"]),
            "by_fair": [{**r, "total_thb": float(r["total_thb"])} for r in out["by_fair"]],
            "by_province": [{**r, "total_thb": float(r["total_thb"])} for r in out["by_province"]]}


def booth_revenue(venue: Venue, fy: int) -> dict[str, Any]:
    """Booths and booth fees of the venue's fairs starting in the fiscal year (quoted, invoiced, received)."""
    from khuang.exhibitions.selectors import booth_revenue as fairs

    first, last = fiscal_year_bounds(fy)
    out = fairs(venue.pk, first, last)
    money_keys = ("quoted_thb", "invoiced_thb", "received_thb")
    return {**{k: float(v) if k in money_keys else v for k, v in out.items() if k != "fairs"},
            "fairs": [{k: float(v) if k in money_keys else v for k, v in r.items()} for r in out["fairs"]]}


# ---------------------------------------------------------------- the whole report

TILE_KPIS = (Kpi.UTILIZATION, Kpi.EVENTS, Kpi.ATTENDEES, Kpi.REVENUE, Kpi.PARTNERS, Kpi.HIGH_SEASON,
             Kpi.SATISFACTION)


def tile(kpi: Kpi, value: float | None, target: float | None, previous: float | None = None) -> dict[str, Any]:
    """One KPI against its target: `progress_pct` is the true share (may pass 100), `bar_pct` the bar's width
    (0–100; None = no bar: no value to measure, or no target), `unit` the KPI's unit (numformat units)."""
    progress = _ratio(value, target) if (value is not None and target) else None
    if value is not None and target == 0:
        bar: float | None = 100.0  # a zero target is met by any value
    else:
        bar = None if progress is None else min(progress, 100.0)
    return {
        "key": kpi.value, "label": str(kpi.label), "unit": KPI_UNITS[kpi], "value": value, "target": target,
        "progress_pct": progress, "bar_pct": bar,
        "met": None if (target is None or value is None) else value >= target, "previous": previous,
    }


def kpi_report(fy: int, venue_code: str | None = None, space_code: str | None = None,
               compare: bool = True, *, viewer=None) -> dict[str, Any]:
    """Every KPI of a venue (optionally one space) for a fiscal year, with targets, budget, projects and
    the previous year's values; `empty` is true (and `message` says so) when the year has no data.
    Personnel hours per person are listed only for the people the `viewer` may see (none without one)."""
    venue = venue_get(venue_code)
    space = None
    if space_code:
        space = Space.objects.filter(venue=venue, code=space_code).first()
        if space is None:
            raise NotFoundError(_("No space with code %(code)s.") % {"code": space_code}, field="space")
    util = kpi_utilization(venue, fy, space)
    acts = kpi_activities(venue, fy, space)
    revenue = kpi_revenue(venue, fy, space, acts)
    targets = kpi_targets(venue, fy)
    values = {
        Kpi.UTILIZATION: util["pct"], Kpi.EVENTS: acts["events"], Kpi.ATTENDEES: acts["attendees"],
        Kpi.REVENUE: revenue["total_thb"], Kpi.PARTNERS: acts["partner_agencies"],
        Kpi.HIGH_SEASON: acts["high_season_pct"], Kpi.SATISFACTION: acts["satisfaction"],
    }
    previous: dict[str, Any] = {}
    if compare:
        prev = kpi_report(fy - 1, venue.code, space_code, compare=False)
        previous = {t["key"]: t["value"] for t in prev["tiles"]}
        previous["weeks_without_event"] = prev["activities"]["weeks_without_event"]
    tiles = [tile(kpi, values[kpi], targets.get(kpi.value), previous.get(kpi.value)) for kpi in TILE_KPIS]
    budget = budget_summary(venue, fy)
    projects = project_list(venue, fy)
    income = community_income(venue, fy)
    booths = booth_revenue(venue, fy)
    empty = (acts["events"] == 0 and not util["occupied_hours"] and not budget["lines"] and not projects
             and not revenue["total_thb"])
    first, last = fiscal_year_bounds(fy)
    return {
        "fiscal_year": fy, "start": first.isoformat(), "end": last.isoformat(),
        "venue": {"code": venue.code, "name": venue.name},
        "space": {"code": space.code, "name": space.name} if space else None,
        "empty": empty,
        "message": _("No activities, budget lines or projects are recorded for fiscal year %(fy)s.") % {"fy": fy}
        if empty else "",
        "months": fiscal_months(fy, "en" if _en() else "th"),
        "tiles": tiles, "targets": targets, "previous_weeks_without_event": previous.get("weeks_without_event"),
        "utilization": util, "activities": acts, "revenue": revenue,
        "budget": budget, "projects": projects, "community_income": income, "booths": booths,
        "personnel": personnel_summary(venue, fy, viewer=viewer) if compare else None,
    }


# ---------------------------------------------------------------- input and access

class BadFiscalYear(ApplicationError):
    status_code = 422


def fiscal_year_parse(text: str | int) -> int:
    """`2570` (BE) or `2027` (CE end year) → 2570; anything else → 422 naming `fiscal_year`."""
    try:
        return parse_fiscal_year(str(text).strip())
    except (TypeError, ValueError):
        raise BadFiscalYear(
            _("%(year)s is not a fiscal year (use the Buddhist-Era year, e.g. 2570).") % {"year": str(text)[:20]},
            field="fiscal_year",
        ) from None


def may_read_reports(user) -> bool:
    """Center staff and executive viewers read the center's KPIs and exports; agency members and anonymous
    people do not (the figures are the whole center's, not one agency's)."""
    from khuang.accounts.roles import Ability, has

    return has(user, Ability.READ_REPORTS)


def check_may_read(user) -> None:
    """Refuse (403) anyone who may not read reports."""
    if not may_read_reports(user):
        raise PermissionDeniedError(_("Only center staff and executives may read reports."))
