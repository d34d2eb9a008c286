"""Reads of the diary: conflicts, availability and the diary grid. Plain query functions."""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from khuang.venues.models import Closure, Space

from .models import Booking, BookingStatus, Occupancy


def _parts_map() -> dict[int, list[int]]:
    """Direct parts of every combined space (one query)."""
    out: dict[int, list[int]] = defaultdict(list)
    for from_id, to_id in Space.parts.through.objects.values_list("from_space_id", "to_space_id"):
        out[from_id].append(to_id)
    return out


def _leaves(space_id: int, parts: dict[int, list[int]]) -> set[int]:
    out, stack, seen = set(), [space_id], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        children = parts.get(current)
        if children:
            stack.extend(children)
        else:
            out.add(current)
    return out


def leaf_ids(space: Space) -> set[int]:
    """Primary keys of the atomic spaces a space occupies."""
    return _leaves(space.pk, _parts_map())


def leaves_by_space(space_ids=None) -> dict[int, set[int]]:
    """Atomic leaves of every (or the given) space, from one query."""
    parts = _parts_map()
    ids = space_ids if space_ids is not None else Space.objects.values_list("pk", flat=True)
    return {pk: _leaves(pk, parts) for pk in ids}


def spaces_sharing_parts(space: Space) -> list[int]:
    """Spaces whose atomic parts meet this one's: itself, its parts, and combinations containing them."""
    by_space = leaves_by_space()
    mine = by_space.get(space.pk, {space.pk})
    return [pk for pk, leaves in by_space.items() if leaves & mine]


def _live(occupancies: QuerySet[Occupancy]) -> QuerySet[Occupancy]:
    """Leave out rows of holds already past their expiry: they never block (the next write lapses them)."""
    return occupancies.exclude(booking__status=BookingStatus.HOLD, booking__hold_expires_at__lte=timezone.now())


def occupancy_conflicts(space: Space, start: datetime, end: datetime, *, live_only: bool = False) -> list[Booking]:
    """Occupying bookings that overlap [start, end) on any atomic part of `space` (`live_only`: expired holds
    left out, for reads that must not write)."""
    rows = Occupancy.objects.filter(space_id__in=leaf_ids(space), active=True, start__lt=end, end__gt=start)
    ids = (_live(rows) if live_only else rows).values_list("booking_id", flat=True)
    return list(Booking.objects.select_related("space", "agency").filter(pk__in=set(ids)).order_by("occupied_start"))


def closures_overlapping(space: Space, start: datetime, end: datetime) -> list[Closure]:
    """Closures of any space sharing an atomic part with `space` (a part's closure blocks combinations)."""
    return list(Closure.objects.select_related("space").filter(
        space_id__in=spaces_sharing_parts(space), start__lt=end, end__gt=start
    ).order_by("start"))


def space_availability(*, start: datetime, end: datetime, setup_minutes: int = 0, teardown_minutes: int = 0,
                       min_capacity: int | None = None, layout: str | None = None, venue: str | None = None,
                       ) -> list[Space]:
    """Spaces free for the whole occupied span (setup + event + teardown), capacity and layout allowing."""
    from khuang.venues.selectors import space_list

    span_start = start - timedelta(minutes=setup_minutes)
    span_end = end + timedelta(minutes=teardown_minutes)
    candidates = list(space_list(venue=venue, min_capacity=min_capacity, layout=layout))
    leaves = leaves_by_space()
    busy = set(_live(Occupancy.objects.filter(active=True, start__lt=span_end, end__gt=span_start))
               .values_list("space_id", flat=True))
    for closed in Closure.objects.filter(start__lt=span_end, end__gt=span_start).values_list("space_id", flat=True):
        busy |= leaves.get(closed, {closed})
    return [s for s in candidates if not (leaves.get(s.pk, {s.pk}) & busy)]


def booking_list(*, viewer, space: str | None = None, start: datetime | None = None, end: datetime | None = None,
                 status: str | None = None, agency: str | None = None, venue: str | None = None,
                 ) -> QuerySet[Booking]:
    """Bookings the viewer may see (staff: all; agency members: their agency's), filtered, in time order."""
    qs = Booking.objects.visible_to(viewer).select_related("space", "space__venue", "agency")
    if space:
        qs = qs.filter(space__code=space)
    if venue:
        qs = qs.filter(space__venue__code=venue)
    if start:
        qs = qs.filter(occupied_end__gt=start)
    if end:
        qs = qs.filter(occupied_start__lt=end)
    if status:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs.order_by("start", "id")


def diary(*, venue_code: str | None, first_day: date, days: int):
    """The diary grid: spaces (rows) × days, with bookings and closures overlapping the range."""
    from khuang.venues.selectors import space_list

    tz = timezone.get_current_timezone()
    range_start = datetime.combine(first_day, datetime.min.time(), tzinfo=tz)
    range_end = range_start + timedelta(days=days)
    spaces = list(space_list(venue=venue_code))
    bookings = list(
        Booking.objects.select_related("space", "agency")
        .filter(space__in=spaces, occupied_start__lt=range_end, occupied_end__gt=range_start)
        .exclude(status=BookingStatus.CANCELLED)
        .order_by("occupied_start")
    )
    closures = list(Closure.objects.select_related("space").filter(
        space__in=spaces, start__lt=range_end, end__gt=range_start))
    return spaces, bookings, closures, range_start, range_end


def next_booking(*, viewer, venue_code: str | None, after: datetime) -> Booking | None:
    """The first booking the viewer may see (not cancelled) starting at or after `after`, for "next: …"."""
    qs = booking_list(viewer=viewer, venue=venue_code).exclude(status=BookingStatus.CANCELLED)
    return qs.filter(start__gte=after).first()


def expired_holds(now: datetime | None = None) -> QuerySet[Booking]:
    """Holds past their expiry that have not lapsed yet."""
    return Booking.objects.filter(status=BookingStatus.HOLD, hold_expires_at__lte=now or timezone.now())


def public_bookings(statuses=(BookingStatus.CONFIRMED, BookingStatus.HOLD)) -> QuerySet[Booking]:
    """Bookings marked public (for the public calendar), excluding waiting holds."""
    return (Booking.objects.select_related("space", "space__venue", "agency")
            .filter(is_public=True).filter(Q(status__in=[s for s in statuses if s != BookingStatus.HOLD])
                                           | Q(status=BookingStatus.HOLD, option_rank=1)
                                           if BookingStatus.HOLD in statuses else Q(status__in=statuses)))


def diary_venues():
    """Venues that have active spaces, for the diary's venue filter."""
    from khuang.venues.models import Venue

    return Venue.objects.filter(spaces__is_active=True).distinct().order_by("code")


def _covers(intervals: list[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Whether the union of the intervals covers [start, end) entirely."""
    reached = start
    for a, b in sorted(intervals):
        if a > reached:
            return False
        reached = max(reached, b)
        if reached >= end:
            return True
    return reached >= end


def diary_grid(*, venue_code: str | None, first_day: date, days: int, viewer=None) -> dict:
    """The diary as rows of cells: for each space and day, its bookings, closures and what blocks it.

    A booking of a combined space (or of one of its parts) blocks every space sharing an atomic part; such
    cells are marked `blocked_by` (codes) and `blockers` (the bookings), and the first cell of a run of
    blocked days carries `blocked_span` (how many days the run lasts) so the page draws one band. A cell is
    `bookable` unless occupying bookings, blocking bookings and closures (its own, a part's or a
    combination's) fill the whole day. Titles of bookings the viewer may not see are left to the caller to
    hide (each item carries `visible`).
    """
    spaces, bookings, closures, range_start, range_end = diary(venue_code=venue_code, first_day=first_day,
                                                               days=days)
    tz = timezone.get_current_timezone()
    day_list = [first_day + timedelta(days=i) for i in range(days)]
    leaves = leaves_by_space([s.pk for s in spaces] + [b.space_id for b in bookings])
    # Closures of any space sharing a part with a shown space make its days unbookable too.
    shown_leaves = set().union(*(leaves.get(s.pk, {s.pk}) for s in spaces)) if spaces else set()
    all_leaves = leaves_by_space()
    sharing_closures = [c for c in Closure.objects.filter(start__lt=range_end, end__gt=range_start)
                        if all_leaves.get(c.space_id, {c.space_id}) & shown_leaves]

    def day_span(start: datetime, end: datetime) -> range:
        """Indexes of the days in the range an aware [start, end) touches."""
        first = (timezone.localtime(max(start, range_start), tz).date() - first_day).days
        last_moment = min(end, range_end) - timedelta(microseconds=1)
        last = (timezone.localtime(last_moment, tz).date() - first_day).days
        return range(max(first, 0), min(last, days - 1) + 1)

    cells: dict[tuple[int, int], dict] = {}

    def empty() -> dict:
        return {"bookings": [], "closures": [], "blocked_by": [], "blockers": [], "busy": []}

    def cell(space_id: int, index: int) -> dict:
        return cells.setdefault((space_id, index), empty())

    for b in bookings:
        visible = b.shows_title_to(viewer)
        span = day_span(b.occupied_start, b.occupied_end)
        for i in span:
            found = cell(b.space_id, i)
            found["bookings"].append({
                "booking": b, "visible": visible, "first": i == span.start, "last": i == span.stop - 1,
                "span": span.stop - i,
            })
            if b.occupies:
                found["busy"].append((b.occupied_start, b.occupied_end))
        if not b.occupies:
            continue
        mine = leaves.get(b.space_id, {b.space_id})
        for s in spaces:
            if s.pk != b.space_id and leaves.get(s.pk, {s.pk}) & mine:
                for i in span:
                    found = cell(s.pk, i)
                    found["blocked_by"].append(b.space.code)
                    found["blockers"].append({"booking": b, "visible": visible})
                    found["busy"].append((b.occupied_start, b.occupied_end))
    for c in closures:
        for i in day_span(c.start, c.end):
            cell(c.space_id, i)["closures"].append(c)
    for c in sharing_closures:
        closed = all_leaves.get(c.space_id, {c.space_id})
        for s in spaces:
            if leaves.get(s.pk, {s.pk}) & closed:
                for i in day_span(c.start, c.end):
                    cell(s.pk, i)["busy"].append((c.start, c.end))
    rows = []
    for s in spaces:
        row_cells = []
        for i, day in enumerate(day_list):
            found = cells.get((s.pk, i)) or empty()
            found["blocked_by"] = sorted(set(found["blocked_by"]))
            seen: set[int] = set()
            found["blockers"] = [x for x in found["blockers"]
                                 if not (x["booking"].pk in seen or seen.add(x["booking"].pk))]
            day_start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
            found["bookable"] = not _covers(found.pop("busy"), day_start, day_start + timedelta(days=1))
            found["blocked_span"] = 0
            row_cells.append({"day": day, **found})
        # One band per run of consecutive days blocked by the same combined spaces or parts.
        run_start = None
        for i, c in enumerate(row_cells + [{"blocked_by": None}]):
            if run_start is not None and c["blocked_by"] != row_cells[run_start]["blocked_by"]:
                row_cells[run_start]["blocked_span"] = i - run_start
                run_start = None
            if run_start is None and c["blocked_by"]:
                run_start = i
        rows.append({"space": s, "cells": row_cells})
    return {"days": day_list, "rows": rows, "start": range_start, "end": range_end}


def space_diary_bookings(space, *, since: datetime) -> QuerySet[Booking]:
    """Bookings of one space (not cancelled) ending after `since`, for the staff iCalendar export."""
    return (Booking.objects.select_related("space", "space__venue", "agency")
            .filter(space=space, occupied_end__gt=since).exclude(status=BookingStatus.CANCELLED)
            .order_by("start", "id"))
