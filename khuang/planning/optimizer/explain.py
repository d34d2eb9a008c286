"""Why an activity is not in the plan, and the nearest placement that would work; weeks with no event.

Reasons: `no_space` (no allowed room holds the audience), `blocked` / `pin_blocked` (the diary or closures take
every date), `day_limit` (a room is free, but every such date already has the most events or move-ins the team can
run: the full days are named), `outcompeted` (planned activities of equal or higher value hold the rooms). Each
explanation lists its blockers as structured `Blocker`s (diary spans with their ref and agency, closures, planned
activities, full days) so that callers can mask other agencies' private titles.
"""

from datetime import date, timedelta

import numpy as np

from khuang.core import weeks

from .model import Alternative, Assignment, Blocker, Explanation
from .prep import Prepared
from .score import PlanState

MAX_NAMED = 5
MAX_DAYS_NAMED = 10
TH_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def _th_date(d: date) -> str:
    """A date as Thai readers write it: day, month, Buddhist-Era year."""
    return f"{d.day} {TH_MONTHS[d.month - 1]} {d.year + 543}"


def _final_state(prep: Prepared, assignments: list[Assignment]) -> PlanState:
    index = {a.id: i for i, a in enumerate(prep.activities)}
    return PlanState(prep, [(index[x.activity], x.space, prep.day(x.start)) for x in assignments])


def _nearest_free(prep: Prepared, state: PlanState, i: int, spaces: list[str]) -> Alternative | None:
    """The free start (rooms and daily limits) closest to the activity's window on one of `spaces`."""
    occ = state.occ
    a = prep.activities[i]
    lo_w = prep.day(a.earliest or prep.instance.horizon.start)
    hi_w = prep.day(a.latest_end or prep.instance.horizon.end) - a.days + 1
    if a.fixed_start is not None:  # a fixed date is a window of one day
        lo_w = hi_w = prep.day(a.fixed_start)
    starts = np.arange(a.setup_days, prep.horizon_days - a.occupied_days + a.setup_days + 1)
    best: tuple[int, int, str] | None = None
    for code in spaces:
        free = occ.free_starts(code, a, starts)
        if len(free) and prep.has_limits:
            free = free[state.limit_ok(i, free)]
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


def _window(prep: Prepared, i: int) -> tuple[date, date]:
    a = prep.activities[i]
    first = (a.earliest or prep.instance.horizon.start) - timedelta(days=a.setup_days)
    last = (a.latest_end or prep.instance.horizon.end) + timedelta(days=a.teardown_days)
    return first, last


def _diary_blockers(prep: Prepared, i: int, spaces: list[str]) -> list[Blocker]:
    """Closures and diary spans that touch the activity's window on the parts of `spaces`."""
    first, last = _window(prep, i)
    leaves = {leaf for s in spaces for leaf in prep.leaves[s]}
    found = set()
    for span in prep.instance.closures:
        if span.start <= last and span.end >= first and set(prep.leaves.get(span.space, ())) & leaves:
            found.add(Blocker(kind="closure", space=span.space, start=span.start, end=span.end,
                              label=span.reason or "closed"))
    for span in prep.instance.busy:
        if span.start <= last and span.end >= first and set(prep.leaves.get(span.space, ())) & leaves:
            found.add(Blocker(kind="busy", space=span.space, start=span.start, end=span.end, ref=span.ref,
                              label=span.label, agency=span.agency))
    return sorted(found, key=lambda b: (b.start, b.space, b.kind, b.ref))[:MAX_NAMED * 2]


def _describe(b: Blocker) -> str:
    """The plain-text form of a diary blocker (as `Explanation.blocking` has always shown it)."""
    return f"{b.space} {b.start.isoformat()}…{b.end.isoformat()} ({b.label or 'closed'})"


def _rivals(prep: Prepared, i: int, spaces: list[str], assignments: list[Assignment]) -> list[tuple[str, Blocker]]:
    """Planned activities that take the same parts during this activity's window, highest priority first."""
    first, last = _window(prep, i)
    leaves = {leaf for s in spaces for leaf in prep.leaves[s]}
    acts = {x.id: x for x in prep.activities}
    found = []
    for x in assignments:
        b = acts[x.activity]
        lo = x.start - timedelta(days=b.setup_days)
        hi = x.start + timedelta(days=b.days - 1 + b.teardown_days)
        if lo <= last and hi >= first and set(prep.leaves[x.space]) & leaves:
            name = f"{b.id} {b.title} (priority {b.priority}, {x.space})".strip()
            found.append((-b.priority, x.start, b.id, name,
                          Blocker(kind="activity", space=x.space, start=lo, end=hi, ref=b.id, label=b.title,
                                  agency=b.agency)))
    return [(name, blk) for _, _, _, name, blk in sorted(found)][:MAX_NAMED]


def _full_days(prep: Prepared, state: PlanState, i: int, spaces: list[str]) -> list[date] | None:
    """The full days that keep the activity out, when a room is free in its window but never on a day under the
    limits; None when no room is free (or some free start is within the limits)."""
    if not prep.has_limits:
        return None
    a = prep.activities[i]
    free = [state.occ.free_starts(o.space, a, o.starts) for o in prep.options if o.activity == i and o.space in spaces]
    free = np.unique(np.concatenate(free)) if free else np.zeros(0, dtype=np.int64)
    if not len(free) or state.limit_ok(i, free).any():
        return None
    days: set[int] = set()
    for d in free.tolist():
        if prep.max_events is not None:
            days.update(k for k in range(d, d + a.days) if state.events[k] >= prep.max_events)
        if prep.max_moveins is not None and state.moveins[d - a.setup_days] >= prep.max_moveins:
            days.add(d - a.setup_days)
    return [prep.date_of(k) for k in sorted(days)]


def explain_unscheduled(prep: Prepared, assignments: list[Assignment],
                        unscheduled: list[str]) -> dict[str, Explanation]:
    """One explanation per unscheduled activity: no space large enough, blocked window, or lost to rivals."""
    if not unscheduled:
        return {}
    state = _final_state(prep, assignments)
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
            alt = _nearest_free(prep, state, i, [s.code for s in fits[:3]]) if fits else None
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
            diary = _diary_blockers(prep, i, cands)
            out[aid] = Explanation(
                reason="pin_blocked" if pinned else "blocked",
                message_en=("The pinned space and dates are taken by the diary or a closure." if pinned else
                            "Every date in its window is blocked by the diary or closures."),
                message_th=("พื้นที่และวันที่ปักหมุดไว้ติดการจองหรือการปิดใช้พื้นที่" if pinned else
                            "ทุกวันในช่วงที่ต้องการติดการจองเดิมหรือการปิดใช้พื้นที่"),
                blocking=tuple(_describe(b) for b in diary), blockers=tuple(diary),
                nearest_alternative=_nearest_free(prep, state, i, cands))
            continue
        full = _full_days(prep, state, i, cands)
        if full is not None:
            shown = full[:MAX_DAYS_NAMED]
            more = len(full) - len(shown)
            en_days = ", ".join(d.isoformat() for d in shown) + (f" and {more} more" if more else "")
            th_days = ", ".join(_th_date(d) for d in shown) + (f" และอีก {more} วัน" if more else "")
            lim = prep.instance.limits
            what_en = " or ".join(x for x in (
                f"{lim.max_events_per_day} events" if lim.max_events_per_day is not None else "",
                f"{lim.max_moveins_per_day} move-ins" if lim.max_moveins_per_day is not None else "") if x)
            what_th = " หรือ".join(x for x in (
                f"กิจกรรม {lim.max_events_per_day} รายการ" if lim.max_events_per_day is not None else "",
                f"การขนย้ายเข้า {lim.max_moveins_per_day} รายการ" if lim.max_moveins_per_day is not None else "")
                if x)
            out[aid] = Explanation(
                reason="day_limit",
                message_en=f"A room is free, but every date it could take already has the most the operations team "
                           f"can run in a day ({what_en}): {en_days}.",
                message_th=f"มีห้องว่าง แต่ทุกวันที่จัดได้มีงานเต็มตามที่ทีมงานรองรับได้ต่อวันแล้ว ({what_th}): "
                           f"{th_days}",
                blocking=tuple(d.isoformat() for d in shown),
                blockers=tuple(Blocker(kind="day_limit", space="", start=d, end=d) for d in shown),
                full_days=tuple(full), nearest_alternative=_nearest_free(prep, state, i, cands))
            continue
        rivals = _rivals(prep, i, cands, assignments)
        diary = _diary_blockers(prep, i, cands)
        out[aid] = Explanation(
            reason="outcompeted",
            message_en="Its window is taken by other planned activities of equal or higher value.",
            message_th="ช่วงเวลาที่ต้องการถูกใช้โดยกิจกรรมอื่นที่มีคุณค่าเท่ากันหรือสูงกว่า",
            blocking=tuple(name for name, _ in rivals), blockers=tuple(b for _, b in rivals) + tuple(diary),
            nearest_alternative=_nearest_free(prep, state, i, cands))
    return out


def idle_weeks(prep: Prepared, assignments: list[Assignment]) -> list[date]:
    """Mondays of the horizon's weeks with no event day of a planned activity or of the diary's bookings
    (`khuang.core.weeks`: the KPI's definition too)."""
    acts = {a.id: a for a in prep.activities}
    spans = [(x.start, x.start + timedelta(days=acts[x.activity].days - 1)) for x in assignments]
    spans += [b.event_days for b in prep.instance.busy]
    return weeks.idle_weeks(prep.instance.horizon.start, prep.instance.horizon.end, spans)
