"""Weeks with and without an event: the one definition the KPIs and the optimizer share.

* The **weeks of a period** (a fiscal year, a planning horizon) are the ISO weeks, Monday to Sunday, that
  intersect it: the first is the week holding the period's first day, the last the week holding its last day.
  (FY 2570, 1 Oct 2026 – 30 Sep 2027, has 53: from Monday 28 Sep 2026 to Monday 27 Sep 2027.)
* A week is **active** when at least one *event day* inside the period falls in it; setup and teardown days are
  not event days. Otherwise it is a **week with no event** (idle).

Which events count is the caller's business (the KPI: the year's confirmed and completed activities; the
optimizer: the planned activities, plus the diary's bookings when it lists the idle weeks of a plan).

Pure Python (no Django): `khuang.planning.optimizer` imports it as well as `khuang.reports`.
"""

from collections.abc import Iterable
from datetime import date, timedelta

Span = tuple[date, date]  # first and last event day, inclusive


def week_monday(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_index(first: date, day: date) -> int:
    """The index of `day`'s week among the weeks of a period starting on `first` (0 = the week of `first`)."""
    return (day - week_monday(first)).days // 7


def week_count(first: date, last: date) -> int:
    """How many weeks the period [first, last] has (ISO weeks intersecting it); 0 for an empty period."""
    return week_index(first, last) + 1 if last >= first else 0


def period_weeks(first: date, last: date) -> list[date]:
    """The Mondays of the period's weeks, in order."""
    start = week_monday(first)
    return [start + timedelta(days=7 * k) for k in range(week_count(first, last))]


def active_weeks(first: date, last: date, event_days: Iterable[Span]) -> set[int]:
    """Indices (see `week_index`) of the period's weeks holding an event day inside the period."""
    out: set[int] = set()
    for start, end in event_days:
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            out.update(range(week_index(first, lo), week_index(first, hi) + 1))
    return out


def idle_weeks(first: date, last: date, event_days: Iterable[Span]) -> list[date]:
    """Mondays of the period's weeks with no event day (weeks with no event)."""
    busy = active_weeks(first, last, event_days)
    return [monday for k, monday in enumerate(period_weeks(first, last)) if k not in busy]
