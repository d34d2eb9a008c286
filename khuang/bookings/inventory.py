"""The no-double-booking guarantee through inventory edits.

Occupancy rows are written per *atomic* space, so anything that changes which atomic spaces a booking takes
(a combined space's parts), or whether a space can host it (deactivation, a closure), must be squared with the
diary in the same transaction. These receivers are connected to the inventory's own model signals
(`BookingsConfig.ready`), so every path — the API, the admin, a shell, a loader — goes through them:

- **parts change** (either side of `Space.parts`): the occupancy rows of every booking on the changed spaces are
  recomputed from the new parts; if two would overlap on an atomic space the change is refused with a 409
  listing the bookings in the way (staff move or cancel them first). PostgreSQL's exclusion constraint checks the
  recomputed rows too.
- **deactivating a space** that still has live bookings (not cancelled, completed or over) is refused, listing them.
- **a closure** over occupying bookings (confirmed, first options) of the space or any space sharing a part is
  refused, listing them.

Expired holds never stand in the way: they lapse here, in the same transaction, as everywhere else.
"""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ConflictError
from khuang.venues.models import Closure, Space

from .models import Booking, BookingStatus, Occupancy
from .selectors import leaves_by_space, spaces_sharing_parts

LIVE = (BookingStatus.INQUIRY, BookingStatus.HOLD, BookingStatus.CONFIRMED)


def _refuse(message: str, bookings: list[Booking], field: str) -> None:
    # Only center staff change the inventory, so the refusal names the bookings in full.
    from .services import conflicts_for

    unique = sorted({b.pk: b for b in bookings}.values(), key=lambda b: (b.occupied_start, b.pk))
    raise ConflictError(message, field=field, extra={"conflicts": conflicts_for(unique, [], None, reveal=True)})


def _ancestors(space_ids: set[int]) -> set[int]:
    """The spaces given and every combination that contains one of them, however deeply."""
    parents: dict[int, set[int]] = defaultdict(set)
    for combo_id, part_id in Space.parts.through.objects.values_list("from_space_id", "to_space_id"):
        parents[part_id].add(combo_id)
    out, stack = set(), list(space_ids)
    while stack:
        current = stack.pop()
        if current in out:
            continue
        out.add(current)
        stack.extend(parents.get(current, ()))
    return out


def occupancy_rebuild(space_ids: set[int]) -> int:
    """Recompute the occupancy rows of bookings on these spaces (and combinations containing them) from the
    current parts; refuse with ConflictError, listing both sides, if any two would overlap. Returns how many
    bookings moved to a new set of atomic spaces. Call inside the transaction that changed the parts."""
    from .services import _lapse

    affected = _ancestors(set(space_ids))
    leaves = leaves_by_space()
    rows: dict[int, set[int]] = defaultdict(set)
    for booking_id, space_id in Occupancy.objects.filter(active=True, booking__space_id__in=affected).values_list(
            "booking_id", "space_id"):
        rows[booking_id].add(space_id)
    bookings = {b.pk: b for b in Booking.objects.select_for_update().select_related("space")
                .filter(pk__in=list(rows)).order_by("occupied_start", "pk")}
    now = timezone.now()
    stale = [b for pk, b in bookings.items() if rows[pk] != leaves.get(b.space_id, {b.space_id})]
    if not stale:
        return 0
    for b in stale:
        if b.status == BookingStatus.HOLD and b.hold_expires_at and b.hold_expires_at <= now:
            _lapse(b, actor=None, reason=_("The hold expired."), action="expire")
    stale = [b for b in stale if b.occupies]
    Occupancy.objects.filter(booking__in=stale, active=True).delete()
    collisions: list[Booking] = []
    for b in stale:
        mine = sorted(leaves.get(b.space_id, {b.space_id}))
        in_way = _occupying(mine, b)
        for rival in list(in_way):
            if rival.is_expired_hold:
                _lapse(rival, actor=None, reason=_("The hold expired."), action="expire")
                in_way.remove(rival)
        if in_way:
            collisions += [b, *in_way]
            continue
        Occupancy.objects.bulk_create(Occupancy(booking=b, space_id=pk, start=b.occupied_start, end=b.occupied_end)
                                      for pk in mine)
    if collisions:
        _refuse(_("The new parts would make bookings overlap; move or cancel them first."), collisions, "parts")
    return len(stale)


def _occupying(space_ids, booking: Booking) -> list[Booking]:
    ids = (Occupancy.objects.filter(space_id__in=space_ids, active=True, start__lt=booking.occupied_end,
                                    end__gt=booking.occupied_start).exclude(booking_id=booking.pk)
           .values_list("booking_id", flat=True))
    return list(Booking.objects.select_related("space").filter(pk__in=set(ids)).order_by("occupied_start"))


def space_deactivation_check(space: Space) -> None:
    """Refuse to take a space out of use while it has bookings that are not cancelled, completed or over."""
    live = list(Booking.objects.select_related("space").filter(space=space, status__in=LIVE,
                                                                occupied_end__gt=timezone.now())
                .order_by("occupied_start")[:50])
    if live:
        _refuse(_("Space %(code)s still has bookings; move or cancel them before taking it out of use.")
                % {"code": space.code}, live, "is_active")


def closure_check(closure: Closure) -> None:
    """Refuse a closure over occupying bookings of its space or of any space sharing a part with it."""
    from .services import _lapse

    leaves = leaves_by_space()
    mine = set()
    for pk in spaces_sharing_parts(closure.space):
        mine |= leaves.get(pk, {pk})
    ids = (Occupancy.objects.filter(space_id__in=mine, active=True, start__lt=closure.end, end__gt=closure.start)
           .values_list("booking_id", flat=True))
    in_way = []
    for b in Booking.objects.select_for_update().select_related("space").filter(pk__in=set(ids)).order_by(
            "occupied_start", "pk"):
        if b.is_expired_hold:
            _lapse(b, actor=None, reason=_("The hold expired."), action="expire")
        else:
            in_way.append(b)
    if in_way:
        _refuse(_("Bookings occupy %(code)s in this period; move or cancel them before closing it.")
                % {"code": closure.space.code}, in_way, "start")


# ---------------------------------------------------------------- signal receivers

def on_parts_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """After any change of `Space.parts` (either side), recompute the occupancy rows it affects."""
    if action == "pre_clear":
        field = "combinations" if reverse else "parts"
        instance._khuang_cleared = set(getattr(instance, field).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    touched = {instance.pk} | set(pk_set or ()) | getattr(instance, "_khuang_cleared", set())
    with transaction.atomic():
        try:
            occupancy_rebuild(touched)
        except IntegrityError as exc:  # PostgreSQL's constraint saw an overlap our check missed
            raise ConflictError(_("The new parts would make bookings overlap; move or cancel them first."),
                                field="parts") from exc


def on_space_saving(sender, instance: Space, raw: bool = False, **kwargs) -> None:
    """Before a space is saved inactive, check nothing live is booked on it."""
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = Space.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        space_deactivation_check(instance)


def on_closure_saving(sender, instance: Closure, raw: bool = False, **kwargs) -> None:
    """Before a closure is saved, check it does not fall on occupying bookings."""
    if raw or instance.start is None or instance.end is None or instance.space_id is None:
        return
    closure_check(instance)
