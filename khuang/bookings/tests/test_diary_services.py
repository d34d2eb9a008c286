"""The diary's rules: occupancy, combined spaces, closures, option ranks, state changes, audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from khuang.bookings.models import Booking, BookingRule, Occupancy
from khuang.bookings.services import (
    BookingDraft,
    ValidationFailed,
    booking_cancel,
    booking_confirm,
    booking_create,
    booking_update,
    hold_expire,
    hold_release,
    series_create,
    series_preview,
)
from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.core.models import audit_trail
from khuang.venues.models import Closure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Service messages follow the active language; these tests read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def hall(create_halls):
    return create_halls()


def draft(space, start, hours=2, **kw):
    kw.setdefault("title", "Event")
    return BookingDraft(space=space, start=start, end=start + timedelta(hours=hours), **kw)


def test_confirmed_booking_occupies_each_atomic_part(hall, soon, staff_user):
    a, b, ab = hall
    booking = booking_create(draft(ab, soon, status="confirmed"), actor=staff_user)
    assert sorted(Occupancy.objects.filter(booking=booking).values_list("space__code", flat=True)) == [
        "HALL-A", "HALL-B"]


def test_setup_and_teardown_extend_the_occupied_span(hall, soon, staff_user):
    a, _, _ = hall
    booking_create(draft(a, soon, status="confirmed", setup_minutes=120, teardown_minutes=60), actor=staff_user)
    # An event ending an hour before the first one's start collides with its two-hour setup.
    with pytest.raises(ConflictError):
        booking_create(draft(a, soon - timedelta(hours=2), hours=1, status="confirmed"), actor=staff_user)
    # Starting after the teardown is fine.
    booking_create(draft(a, soon + timedelta(hours=3), hours=1, status="confirmed"), actor=staff_user)


def test_part_blocks_combination_and_combination_blocks_part(hall, soon, staff_user):
    a, b, ab = hall
    booking_create(draft(a, soon, status="confirmed"), actor=staff_user)
    with pytest.raises(ConflictError) as exc:
        booking_create(draft(ab, soon, status="confirmed"), actor=staff_user)
    assert exc.value.extra["conflicts"][0].space == "HALL-A"
    booking_create(draft(b, soon, status="confirmed"), actor=staff_user)  # the other part is free
    ab_next_day = booking_create(draft(ab, soon + timedelta(days=1), status="confirmed"), actor=staff_user)
    with pytest.raises(ConflictError):  # the combination now blocks each part
        booking_create(draft(b, soon + timedelta(days=1), status="confirmed"), actor=staff_user)
    assert ab_next_day.occupies


def test_closure_of_a_part_blocks_the_combination(hall, soon, staff_user):
    a, b, ab = hall
    Closure.objects.create(space=a, start=soon - timedelta(hours=1), end=soon + timedelta(hours=5),
                           reason="maintenance")
    with pytest.raises(ConflictError) as exc:
        booking_create(draft(ab, soon, status="hold"), actor=staff_user)
    assert exc.value.extra["conflicts"][0].kind == "closure"
    assert "maintenance" in exc.value.extra["conflicts"][0].title
    assert Booking.objects.count() == 0


def test_holds_queue_as_options_and_promote_on_release(hall, soon, staff_user, create_user, create_agency):
    a, _, _ = hall
    p1 = create_user("p1", agency=create_agency("AG-1"))
    p2 = create_user("p2", agency=create_agency("AG-2"))
    first = booking_create(draft(a, soon, status="hold", contact_email="one@example.org"), actor=p1)
    second = booking_create(draft(a, soon, status="hold", contact_email="two@example.org"), actor=p2)
    assert (first.option_rank, second.option_rank) == (1, 2)
    assert first.occupies and not second.occupies
    assert not Occupancy.objects.filter(booking=second).exists()
    with pytest.raises(ConflictError):
        booking_create(draft(a, soon, status="confirmed"), actor=staff_user)

    hold_release(first, actor=p1, reason="plans changed")
    second.refresh_from_db()
    assert second.option_rank == 1 and second.occupies
    assert Occupancy.objects.filter(booking=second, active=True).count() == 1
    assert [e.action for e in audit_trail(second)] == ["create", "promote"]


def test_confirming_a_first_option_declines_waiting_rivals(hall, soon, staff_user, create_user):
    a, _, _ = hall
    first = booking_create(draft(a, soon, status="hold"), actor=staff_user)
    second = booking_create(draft(a, soon, status="hold"), actor=staff_user)
    booking_confirm(first, actor=staff_user, reason="contract signed")
    second.refresh_from_db()
    assert second.status == "cancelled"
    assert "confirmed for another" in second.status_reason


def test_planner_cannot_confirm_and_nothing_changes(hall, soon, create_user):
    a, _, _ = hall
    planner = create_user()
    hold = booking_create(draft(a, soon, status="hold"), actor=planner)
    with pytest.raises(PermissionDeniedError):
        booking_confirm(hold, actor=planner)
    with pytest.raises(PermissionDeniedError):
        booking_create(draft(a, soon + timedelta(days=1), status="confirmed"), actor=planner)
    hold.refresh_from_db()
    assert hold.status == "hold"


def test_confirm_of_expired_hold_is_refused(hall, soon, staff_user):
    a, _, _ = hall
    hold = booking_create(draft(a, soon, status="hold"), actor=staff_user)
    Booking.objects.filter(pk=hold.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    hold.refresh_from_db()
    with pytest.raises(ConflictError) as exc:
        booking_confirm(hold, actor=staff_user)
    assert exc.value.field == "status"
    hold.refresh_from_db()
    assert hold.status == "hold"


def test_expiry_lapses_hold_and_promotes_next(hall, soon, staff_user):
    a, _, _ = hall
    first = booking_create(draft(a, soon, status="hold"), actor=staff_user)
    second = booking_create(draft(a, soon, status="hold"), actor=staff_user)
    assert hold_expire(first.pk) is None  # not due yet: nothing happens
    Booking.objects.filter(pk=first.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    hold_expire(first.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and second.option_rank == 1


def test_cancel_needs_reason_and_frees_the_space(hall, soon, staff_user):
    a, _, ab = hall
    booking = booking_create(draft(a, soon, status="confirmed"), actor=staff_user)
    with pytest.raises(ValidationFailed):
        booking_cancel(booking, actor=staff_user, reason=" ")
    booking_cancel(booking, actor=staff_user, reason="client withdrew")
    booking_create(draft(ab, soon, status="confirmed"), actor=staff_user)
    entry = list(audit_trail(booking))[-1]
    assert (entry.action, entry.from_state, entry.to_state, entry.reason) == (
        "cancel", "confirmed", "cancelled", "client withdrew")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours": -1}, "end"),
        ({"hours": 0}, "end"),
        ({"naive": True}, "start"),
        ({"layout": "booths"}, "layout"),
        ({"attendees": 5000, "layout": "theatre"}, "attendees"),
    ],
)
def test_bad_input_is_refused_with_field_and_writes_nothing(hall, soon, staff_user, change, field):
    a, _, _ = hall
    start = soon.replace(tzinfo=None) if change.get("naive") else soon
    kw = {k: v for k, v in change.items() if k in ("layout", "attendees")}
    with pytest.raises(ValidationFailed) as exc:
        booking_create(draft(a, start, hours=change.get("hours", 2), status="confirmed", **kw), actor=staff_user)
    assert exc.value.field == field
    assert Booking.objects.count() == 0 and Occupancy.objects.count() == 0


def test_rules_refuse_with_rule_named_and_staff_override_is_audited(hall, soon, staff_user, create_user):
    a, _, _ = hall
    BookingRule.objects.create(space=a, min_attendees=30, max_duration_minutes=240)
    planner = create_user()
    with pytest.raises(ValidationFailed) as exc:
        booking_create(draft(a, soon, status="hold", attendees=10), actor=planner)
    assert "minimum attendance" in exc.value.message and exc.value.field == "attendees"
    with pytest.raises(ValidationFailed):  # planners cannot override
        booking_create(draft(a, soon, status="hold", attendees=10), actor=planner, override_rules=True,
                       reason="VIP")
    with pytest.raises(ValidationFailed) as exc:  # staff must say why
        booking_create(draft(a, soon, status="hold", attendees=10), actor=staff_user, override_rules=True)
    assert exc.value.field == "reason"
    booking = booking_create(draft(a, soon, status="hold", attendees=10), actor=staff_user, override_rules=True,
                             reason="ministry visit")
    assert booking.rules_overridden
    assert list(audit_trail(booking))[0].data["rules_overridden"] is True


def test_moving_an_occupying_booking_moves_its_occupancy(hall, soon, staff_user):
    a, b, _ = hall
    booking = booking_create(draft(a, soon, status="confirmed"), actor=staff_user)
    booking_update(booking, {"space": b, "start": soon + timedelta(hours=1), "end": soon + timedelta(hours=3)},
                   actor=staff_user, reason="bigger room")
    active = Occupancy.objects.filter(booking=booking, active=True)
    assert [o.space.code for o in active] == ["HALL-B"]
    booking_create(draft(a, soon, status="confirmed"), actor=staff_user)  # the old slot is free again
    other = booking_create(draft(b, soon + timedelta(hours=5), status="confirmed"), actor=staff_user)
    with pytest.raises(ConflictError):
        booking_update(other, {"start": soon, "end": soon + timedelta(hours=2)}, actor=staff_user)
    other.refresh_from_db()
    assert other.start == soon + timedelta(hours=5)


def test_series_all_or_nothing_and_skip(hall, soon, staff_user):
    a, _, _ = hall
    booking_create(draft(a, soon + timedelta(days=14), status="confirmed", title="In the way"), actor=staff_user)
    weekly = draft(a, soon, status="confirmed", title="Weekly training")
    preview = series_preview(weekly, every_days=7, count=4, viewer=staff_user)
    assert [bool(row["conflicts"]) for row in preview] == [False, False, True, False]
    with pytest.raises(ConflictError):
        series_create(weekly, every_days=7, count=4, skip_conflicts=False, actor=staff_user)
    assert Booking.objects.filter(title="Weekly training").count() == 0
    _, created, skipped = series_create(weekly, every_days=7, count=4, skip_conflicts=True, actor=staff_user)
    assert len(created) == 3 and len(skipped) == 1


def test_space_parts_must_stay_valid(create_space):
    from khuang.venues.services import validate_space_parts

    a = create_space("X")
    with pytest.raises(ValidationError):
        validate_space_parts(a, a.venue, [a])
