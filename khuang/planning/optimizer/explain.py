"""Why an activity is not in the plan, and the nearest placement that would work; weeks with no event."""

from datetime import date, timedelta

import numpy as np

from .model import Alternative, Assignment, Explanation
from .prep import Occupancy, Prepared

MAX_NAMED = 5


def _final_occupancy(prep: Prepared, assignments: list[Assignment]) -> Occupancy:
    occ = Occupancy(prep)
    acts = {a.id: a for a in prep.activities}
    for x in assignments:
        occ.take(x.space, acts[x.activity], prep.day(x.start))
    return occ


def _nearest_free(prep: Prepared, occ: Occupancy, i: int, spaces: list[str]) -> Alternative | None:
    """The free start closest to the activity's window on one of `spaces`, anywhere in the horizon."""
    a = prep.activities[i]
    lo_w = prep.day(a.earliest or prep.instance.horizon.start)
    hi_w = prep.day(a.latest_end or prep.instance.horizon.end) - a.days + 1
    if a.fixed_start is not None:  # a fixed date is a window of one day
        lo_w = hi_w = prep.day(a.fixed_start)
    starts = np.arange(a.setup_days, prep.horizon_days - a.occupied_days + a.setup_days + 1)
    best: tuple[int, int, str] | None = None
    for code in spaces:
        free = occ.free_starts(code, a, starts)
        if not len(free):
            continue
        dist = np.where(free < lo_w, lo_w - free, np.where(free > hi_w, free - hi_w, 0))
        k = int(np.argmin(dist))
        cand = (int(dist[k]), int(free[k]), code)
        if best is None or cand < best:
            best = cand
    if best is None:
        return None
    return Alternative(space=best[2], start=prep.date_of(best[1]),
                       note="inside the window" if best[0] == 0 else f"{best[0]} days from the window"
                       + (" (moves the fixed date)" if a.fixed_start is not None and best[0] else ""))


def _blockers(prep: Prepared, i: int, spaces: list[str]) -> list[str]:
    """Closures and diary spans that touch the activity's window on the parts of `spaces`."""
    a = prep.activities[i]
    first = (a.earliest or prep.instance.horizon.start) - timedelta(days=a.setup_days)
    last = (a.latest_end or prep.instance.horizon.end) + timedelta(days=a.teardown_days)
    leaves = {leaf for s in spaces for leaf in prep.leaves[s]}
    names = []
    for span in [*prep.instance.busy, *prep.instance.closures]:
        if span.start <= last and span.end >= first and set(prep.leaves.get(span.space, ())) & leaves:
            label = getattr(span, "label", "") or getattr(span, "reason", "") or "closed"
            names.append(f"{span.space} {span.start.isoformat()}…{span.end.isoformat()} ({label})")
    return sorted(set(names))[:MAX_NAMED * 2]


def _rivals(prep: Prepared, i: int, spaces: list[str], assignments: list[Assignment]) -> list[str]:
    """Planned activities that take the same parts during this activity's window, highest priority first."""
    a = prep.activities[i]
    first = (a.earliest or prep.instance.horizon.start) - timedelta(days=a.setup_days)
    last = (a.latest_end or prep.instance.horizon.end) + timedelta(days=a.teardown_days)
    leaves = {leaf for s in spaces for leaf in prep.leaves[s]}
    acts = {x.id: x for x in prep.activities}
    found = []
    for x in assignments:
        b = acts[x.activity]
        lo = x.start - timedelta(days=b.setup_days)
        hi = x.start + timedelta(days=b.days - 1 + b.teardown_days)
        if lo <= last and hi >= first and set(prep.leaves[x.space]) & leaves:
            found.append((-b.priority, x.start, f"{b.id} {b.title} (priority {b.priority}, {x.space})".strip()))
    return [name for _, _, name in sorted(found)][:MAX_NAMED]


def explain_unscheduled(prep: Prepared, assignments: list[Assignment],
                        unscheduled: list[str]) -> dict[str, Explanation]:
    """One explanation per unscheduled activity: no space large enough, blocked window, or lost to rivals."""
    if not unscheduled:
        return {}
    occ = _final_occupancy(prep, assignments)
    index = {a.id: i for i, a in enumerate(prep.activities)}
    has_option = {o.activity for o in prep.options}
    out: dict[str, Explanation] = {}
    for aid in unscheduled:
        i = index[aid]
        a = prep.activities[i]
        cands = prep.candidates[i]
        if not cands:
            largest = max((s.capacity for s in prep.spaces.values()
                           if a.allowed_spaces is None or s.code in a.allowed_spaces), default=0)
            fits = sorted((s for s in prep.spaces.values() if s.capacity >= a.attendees), key=lambda s: s.capacity)
            alt = _nearest_free(prep, occ, i, [s.code for s in fits[:3]]) if fits else None
            if a.allowed_spaces == ():  # the caller found no space with room in the requested layout
                en = f"No space has room for {a.attendees} people in the requested layout."
                th = f"ไม่มีพื้นที่ใดรองรับ {a.attendees} คนในรูปแบบการจัดที่ต้องการ"
            else:
                en = f"No allowed space holds {a.attendees} people (largest: {largest})."
                th = f"ไม่มีพื้นที่ที่เลือกได้รองรับ {a.attendees} คน (ใหญ่สุด {largest} คน)"
            out[aid] = Explanation(reason="no_space", message_en=en, message_th=th, nearest_alternative=alt)
            continue
        if i not in has_option:
            pinned = i in prep.pinned
            out[aid] = Explanation(
                reason="pin_blocked" if pinned else "blocked",
                message_en=("The pinned space and dates are taken by the diary or a closure." if pinned else
                            "Every date in its window is blocked by the diary or closures."),
                message_th=("พื้นที่และวันที่ปักหมุดไว้ติดการจองหรือการปิดใช้พื้นที่" if pinned else
                            "ทุกวันในช่วงที่ต้องการติดการจองเดิมหรือการปิดใช้พื้นที่"),
                blocking=tuple(_blockers(prep, i, cands)), nearest_alternative=_nearest_free(prep, occ, i, cands))
            continue
        rivals = _rivals(prep, i, cands, assignments)
        out[aid] = Explanation(
            reason="outcompeted",
            message_en="Its window is taken by other planned activities of equal or higher value.",
            message_th="ช่วงเวลาที่ต้องการถูกใช้โดยกิจกรรมอื่นที่มีคุณค่าเท่ากันหรือสูงกว่า",
            blocking=tuple(rivals), nearest_alternative=_nearest_free(prep, occ, i, cands))
    return out


def idle_weeks(prep: Prepared, assignments: list[Assignment]) -> list[date]:
    """Mondays of the weeks in the horizon with no event day (planned activities and the diary's bookings)."""
    H = prep.horizon_days
    busy = np.zeros(H, dtype=bool)
    acts = {a.id: a for a in prep.activities}
    for x in assignments:
        d = prep.day(x.start)
        busy[d:d + acts[x.activity].days] = True
    for b in prep.instance.busy:
        busy[max(0, prep.day(b.start)):max(0, prep.day(b.end) + 1)] = True
    start = prep.instance.horizon.start
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= prep.instance.horizon.end:
        lo, hi = max(0, (monday - start).days), min(H, (monday - start).days + 7)
        if not busy[lo:hi].any():
            out.append(monday)
        monday += timedelta(days=7)
    return out
