"""Equipment booked by quantity: only occupying bookings count, on every occupied day (setup and teardown
included), inside the booking's own transaction; repairs reduce stock; refusals name item, days and free."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from khuang.bookings import services as diary
from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.operations import services
from khuang.operations.models import EquipmentRequest, ItemDay
from khuang.operations.selectors import item_availability

pytestmark = pytest.mark.django_db


def _reserved(item, day) -> int:
    row = ItemDay.objects.filter(item=item, day=day).first()
    return row.reserved if row else 0


def _local_day(dt):
    return timezone.localtime(dt).date()


def test_setup_and_teardown_days_count_against_stock(rooms, create_booking, create_item, ask, soon):
    chairs = create_item("CHAIR", stock=10)
    # A fair on day 2 with a whole day of setup before (day 1) and of teardown after (day 3).
    fair = create_booking(rooms[0], soon + timedelta(days=1), hours=8, setup_minutes=24 * 60,
                          teardown_minutes=24 * 60, title="Fair")
    ask(fair, chairs, 10)
    days = [_local_day(soon) + timedelta(days=i) for i in range(3)]
    assert [_reserved(chairs, d) for d in days] == [10, 10, 10]
    assert _reserved(chairs, days[0] - timedelta(days=1)) == 0 and _reserved(chairs, days[2] + timedelta(days=1)) == 0
    # A meeting on the setup day and one on the teardown day find no chair free ...
    for day_offset, title in ((0, "On the setup day"), (2, "On the teardown day")):
        other = create_booking(rooms[1], soon + timedelta(days=day_offset), hours=2, title=title)
        with pytest.raises(ConflictError) as exc:
            ask(other, chairs, 1)
        assert "CHAIR" in exc.value.message and exc.value.extra["shortages"][0]["days"] == [
            {"day": days[day_offset].isoformat(), "free": 0}]
        assert not EquipmentRequest.objects.filter(booking=other).exists()
    # ... and the day after the teardown has them all.
    later = create_booking(rooms[1], soon + timedelta(days=3), hours=2, title="After")
    assert ask(later, chairs, 10).is_reserved


def test_item_under_repair_is_not_bookable(rooms, create_booking, create_item, ask, staff_user, soon):
    projectors = create_item("PROJ", stock=3, category="av")
    day = _local_day(soon)
    services.repair_add(projectors, quantity=2, first_day=day, last_day=day + timedelta(days=1), reason="lamp",
                        actor=staff_user)
    booking = create_booking(rooms[0], soon, hours=3)
    with pytest.raises(ConflictError) as exc:
        ask(booking, projectors, 2)
    assert "PROJ" in exc.value.message
    assert exc.value.extra["shortages"][0]["days"] == [{"day": day.isoformat(), "free": 1}]
    assert ask(booking, projectors, 1).is_reserved
    # Outside the repair the whole stock is there again.
    later = create_booking(rooms[1], soon + timedelta(days=2), hours=3)
    assert ask(later, projectors, 3).is_reserved
    # All three out for repair on a day is refused while one is reserved then, naming the booking.
    with pytest.raises(ConflictError) as exc:
        services.repair_add(projectors, quantity=1, first_day=day, last_day=day, actor=staff_user)
    assert "Booking" in exc.value.message
    assert item_availability(projectors, [day])[0] == {"day": day, "capacity": 1, "reserved": 1, "free": 0,
                                                       "stock": 3}


def test_repair_that_ends_gives_units_back(rooms, create_booking, create_item, ask, staff_user, soon):
    tables = create_item("TABLE", stock=4, category="tables")
    day = _local_day(soon)
    repair = services.repair_add(tables, quantity=4, first_day=day, last_day=day, actor=staff_user)
    booking = create_booking(rooms[0], soon, hours=3)
    with pytest.raises(ConflictError):
        ask(booking, tables, 1)
    services.repair_remove(repair, actor=staff_user)
    assert ask(booking, tables, 4).is_reserved


def test_inquiry_keeps_its_wish_and_confirming_claims_it_or_is_refused(rooms, create_booking, create_item, ask,
                                                                      staff_user, soon):
    chairs = create_item("CHAIR", stock=10)
    inquiry = create_booking(rooms[0], soon, hours=3, status="inquiry", title="Inquiry")
    line = ask(inquiry, chairs, 8)
    assert not line.is_reserved and _reserved(chairs, _local_day(soon)) == 0
    rival = create_booking(rooms[1], soon, hours=3, title="Rival")
    ask(rival, chairs, 5)
    # Confirming needs 8 chairs but only 5 are free: the whole confirmation is refused.
    with pytest.raises(ConflictError) as exc:
        diary.booking_confirm(inquiry, actor=staff_user)
    assert "CHAIR" in exc.value.message and "5" in exc.value.message
    inquiry.refresh_from_db()
    assert inquiry.status == "inquiry" and not inquiry.occupancies.filter(active=True).exists()
    # Once the rival lets go of its chairs, the confirmation claims them in the same transaction.
    diary.booking_cancel(rival, actor=staff_user, reason="moved elsewhere")
    assert _reserved(chairs, _local_day(soon)) == 0
    diary.booking_confirm(inquiry, actor=staff_user)
    assert EquipmentRequest.objects.get(booking=inquiry).claimed_quantity == 8
    assert _reserved(chairs, _local_day(soon)) == 8


def test_release_cancel_and_expiry_give_units_back(rooms, create_booking, create_item, ask, staff_user, soon):
    mics = create_item("MIC", stock=6, category="av")
    day = _local_day(soon)
    hold = create_booking(rooms[0], soon, hours=2, status="hold")
    confirmed = create_booking(rooms[1], soon, hours=2)
    lapsing = create_booking(rooms[2], soon, hours=2, status="hold")
    for b in (hold, confirmed, lapsing):
        ask(b, mics, 2)
    assert _reserved(mics, day) == 6
    diary.hold_release(hold, actor=staff_user)
    assert _reserved(mics, day) == 4
    diary.booking_cancel(confirmed, actor=staff_user, reason="called off")
    assert _reserved(mics, day) == 2
    type(lapsing).objects.filter(pk=lapsing.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    diary.hold_expire(lapsing.pk)
    assert _reserved(mics, day) == 0
    assert not EquipmentRequest.objects.filter(claimed_quantity__gt=0).exists()


def test_date_change_moves_the_claim_or_is_refused(rooms, create_booking, create_item, ask, staff_user, soon):
    chairs = create_item("CHAIR", stock=10)
    day = _local_day(soon)
    moving = create_booking(rooms[0], soon, hours=2, title="Moving")
    ask(moving, chairs, 6)
    busy = create_booking(rooms[1], soon + timedelta(days=5), hours=2, title="Busy")
    ask(busy, chairs, 6)
    diary.booking_update(moving, {"start": soon + timedelta(days=2), "end": soon + timedelta(days=2, hours=2)},
                         actor=staff_user)
    assert _reserved(chairs, day) == 0 and _reserved(chairs, day + timedelta(days=2)) == 6
    # Onto the busy day: 4 free, 6 needed → refused, and the booking stays where it was.
    with pytest.raises(ConflictError) as exc:
        diary.booking_update(moving, {"start": soon + timedelta(days=5), "end": soon + timedelta(days=5, hours=2)},
                             actor=staff_user)
    assert "CHAIR" in exc.value.message
    moving.refresh_from_db()
    assert _local_day(moving.start) == day + timedelta(days=2)
    assert _reserved(chairs, day + timedelta(days=2)) == 6 and _reserved(chairs, day + timedelta(days=5)) == 6


def test_promotion_waits_when_the_next_options_equipment_does_not_fit(create_space, create_booking, create_item,
                                                                       ask, staff_user, soon):
    hall = create_space("HALL")
    room = create_space("ROOM-X")
    chairs = create_item("CHAIR", stock=10)
    first = create_booking(hall, soon, hours=3, status="hold", title="First")
    second = create_booking(hall, soon, hours=3, status="hold", title="Second")
    third = create_booking(hall, soon, hours=3, status="hold", title="Third")
    assert (first.option_rank, second.option_rank, third.option_rank) == (1, 2, 3)
    ask(first, chairs, 2)
    ask(second, chairs, 9)  # a wish: not counted while it waits
    ask(third, chairs, 3)
    other = create_booking(room, soon, hours=3, title="Other room")
    ask(other, chairs, 5)
    # Releasing the first option frees 2 chairs: 5 free, the second option needs 9, so it keeps waiting
    # and the third (3 chairs) takes the hall. The release itself goes through.
    diary.hold_release(first, actor=staff_user)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.option_rank != 1 and third.option_rank == 1
    assert _reserved(chairs, _local_day(soon)) == 8


def test_stock_cannot_drop_below_what_is_reserved(rooms, create_booking, create_item, ask, staff_user, soon):
    chairs = create_item("CHAIR", stock=10)
    ask(create_booking(rooms[0], soon, hours=2), chairs, 7)
    with pytest.raises(ConflictError) as exc:
        services.equipment_item_update(chairs, {"stock": 6}, actor=staff_user)
    assert exc.value.field == "stock"
    chairs.refresh_from_db()
    assert chairs.stock == 10
    services.equipment_item_update(chairs, {"stock": 7}, actor=staff_user)
    assert ItemDay.objects.get(item=chairs, day=_local_day(soon)).capacity == 7


def test_the_check_constraint_refuses_any_writer_that_skips_the_service(rooms, create_booking, create_item, ask,
                                                                        soon):
    chairs = create_item("CHAIR", stock=10)
    ask(create_booking(rooms[0], soon, hours=2), chairs, 10)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemDay.objects.filter(item=chairs).update(reserved=11)


def test_who_may_change_equipment(rooms, create_booking, create_item, create_user, create_agency, soon):
    chairs = create_item("CHAIR", stock=10)
    own = create_agency("OWN")
    booking = create_booking(rooms[0], soon, hours=2, agency=own)
    planner = create_user("p-own", agency=own)
    assert services.equipment_request_set(booking, chairs, 2, actor=planner).is_reserved
    for user in (create_user("p-other", agency=create_agency("OTHER")),
                 create_user("viewer", role="viewer", agency=own), None):
        with pytest.raises(PermissionDeniedError):
            services.equipment_request_set(booking, chairs, 3, actor=user)
    assert EquipmentRequest.objects.get(booking=booking).quantity == 2


def test_deleting_a_booking_gives_its_units_back(rooms, create_booking, create_item, ask, soon):
    chairs = create_item("CHAIR", stock=10)
    booking = create_booking(rooms[0], soon, hours=2)
    ask(booking, chairs, 7)
    booking.delete()
    assert _reserved(chairs, _local_day(soon)) == 0


def test_a_first_option_counts_and_confirming_it_keeps_the_same_units(rooms, create_booking, create_item, ask,
                                                                      staff_user, soon):
    chairs = create_item("CHAIR", stock=10)
    hold = create_booking(rooms[0], soon, hours=2, status="hold")
    assert hold.option_rank == 1
    ask(hold, chairs, 6)
    assert _reserved(chairs, _local_day(soon)) == 6
    diary.booking_confirm(hold, actor=staff_user)
    assert _reserved(chairs, _local_day(soon)) == 6
    assert EquipmentRequest.objects.get(booking=hold).claimed_quantity == 6
