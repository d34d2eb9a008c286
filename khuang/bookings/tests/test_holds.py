"""Holds: an expired hold never blocks (finding 6), the sweep runs by itself, non-staff holds are capped (10)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from khuang.bookings.models import Booking, BookingRule, Occupancy

pytestmark = pytest.mark.django_db


def _lapse_now(booking: Booking) -> None:
    """Move a hold's expiry into the past without the worker noticing (as when the worker is down)."""
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))


def _body(start, status="confirmed", space="ROOM-1", **kw):
    return {"space": space, "title": f"{status} booking", "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(), "status": status, **kw}


def test_finding_6_an_expired_hold_does_not_block_a_confirmation(api, create_booking, staff_user, soon):
    hold = create_booking(status="hold", title="Lapsed option")
    _lapse_now(hold)
    res = api("post", "/api/bookings", _body(soon), user=staff_user)
    assert res.status_code == 201, res.content
    hold.refresh_from_db()
    assert hold.status == "cancelled" and not hold.occupancies.filter(active=True).exists()
    assert [e.action for e in hold_audit(hold)][-1] == "expire"


def hold_audit(booking):
    from khuang.core.models import audit_trail

    return list(audit_trail(booking))


def test_finding_6_the_next_option_moves_up_first_and_keeps_its_place(api, create_booking, staff_user, soon):
    first = create_booking(status="hold", title="First option")
    second = create_booking(status="hold", title="Second option")
    assert (first.option_rank, second.option_rank) == (1, 2)
    _lapse_now(first)
    res = api("post", "/api/bookings", _body(soon), user=staff_user)
    # The lapsed first option is released in the same transaction and the queue moves on: the second option
    # now holds the dates, so the confirmation is refused naming it (not the expired hold).
    assert res.status_code == 409
    assert [c["id"] for c in res.json()["conflicts"]] == [second.pk]
    # The refusal changed nothing; a new hold queues behind the live option.
    held = api("post", "/api/bookings", _body(soon, status="hold"), user=staff_user)
    assert held.status_code == 201 and held.json()["option_rank"] == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "cancelled" and second.option_rank == 1 and second.occupies


def test_expired_hold_does_not_block_a_move_or_a_confirmation(api, create_booking, staff_user, soon):
    hold = create_booking(status="hold", title="Lapsed option", start=soon + timedelta(days=1))
    _lapse_now(hold)
    mover = create_booking(title="Mover", start=soon)
    res = api("patch", f"/api/bookings/{mover.pk}", {"start": (soon + timedelta(days=1)).isoformat(),
                                                      "end": (soon + timedelta(days=1, hours=2)).isoformat()},
              user=staff_user)
    assert res.status_code == 200, res.content
    inquiry = create_booking(status="inquiry", title="Inquiry", start=soon + timedelta(days=2))
    lapsed = create_booking(status="hold", title="Lapsed too", start=soon + timedelta(days=2))
    _lapse_now(lapsed)
    assert api("post", f"/api/bookings/{inquiry.pk}/confirm", {}, user=staff_user).status_code == 200


def test_availability_ignores_expired_holds(api, create_booking, staff_user, soon):
    hold = create_booking(status="hold")
    url = f"/api/availability?start={soon.isoformat()}&end={(soon + timedelta(hours=1)).isoformat()}"
    url = url.replace("+", "%2B")
    assert api("get", url, user=staff_user).json() == []
    _lapse_now(hold)
    assert [s["code"] for s in api("get", url, user=staff_user).json()] == ["ROOM-1"]


def test_finding_6_the_sweep_is_scheduled_by_itself(create_booking, settings):
    """The scheduler started by `make run` enqueues the sweep every five minutes, and the sweep lapses the hold."""
    from crontask import scheduler as cron_scheduler
    from django.core.management import call_command

    jobs = {path: schedule for _name, path, schedule in settings.KHUANG_PERIODIC_JOBS}
    assert jobs["khuang.bookings.tasks.expire_due_holds"] == "*/5 * * * *"
    call_command("scheduler", "--list")
    job = next(j for j in cron_scheduler.get_jobs() if "expire_due_holds" in j.name)
    hold = create_booking(status="hold")
    _lapse_now(hold)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    job.func()  # what the scheduler runs when the job is due: enqueue the sweep (run at once here)
    hold.refresh_from_db()
    assert hold.status == "cancelled"


# ---------------------------------------------------------------- finding 10: caps for non-staff

@pytest.fixture
def planner(create_user, create_agency):
    return create_user("planner", role="agency_planner", agency=create_agency("LPG-IND"))


def test_finding_10_a_planner_cannot_hold_for_eleven_months_until_2199(api, create_space, planner, soon):
    create_space("HALL-ABC", kind="hall", capacity_theatre=3000)
    body = {"space": "HALL-ABC", "title": "Eleven months", "start": soon.isoformat(),
            "end": (soon + timedelta(days=330)).isoformat(), "status": "hold",
            "hold_expires_at": "2199-12-31T00:00:00+07:00"}
    res = api("post", "/api/bookings", body, user=planner)
    assert res.status_code == 422 and res.json()["field"] == "end"
    assert "31" in res.json()["detail"]
    body["end"] = (soon + timedelta(days=3)).isoformat()
    res = api("post", "/api/bookings", body, user=planner)
    assert res.status_code == 422 and res.json()["field"] == "hold_expires_at"
    assert "30" in res.json()["detail"]
    body["hold_expires_at"] = (timezone.now() + timedelta(days=29)).isoformat()
    made = api("post", "/api/bookings", body, user=planner)
    assert made.status_code == 201
    # ...nor stretch it afterwards.
    res = api("patch", f"/api/bookings/{made.json()['id']}", {"hold_expires_at": "2199-01-01T00:00:00+07:00"},
              user=planner)
    assert res.status_code == 422 and res.json()["field"] == "hold_expires_at"
    res = api("patch", f"/api/bookings/{made.json()['id']}", {"end": (soon + timedelta(days=60)).isoformat()},
              user=planner)
    assert res.status_code == 422 and res.json()["field"] == "end"
    assert Booking.objects.count() == 1 and Occupancy.objects.filter(active=True).count() == 1


def test_caps_come_from_the_space_rule_and_staff_are_not_bound(api, create_space, planner, staff_user, soon):
    room = create_space()
    BookingRule.objects.create(space=room, max_hold_days=3, max_span_days=2)
    body = _body(soon, status="hold", hold_expires_at=(timezone.now() + timedelta(days=5)).isoformat())
    assert api("post", "/api/bookings", body, user=planner).json()["field"] == "hold_expires_at"
    assert api("post", "/api/bookings", body, user=staff_user).status_code == 201
    long = {**_body(soon + timedelta(days=10), status="hold"),
            "end": (soon + timedelta(days=13)).isoformat()}
    assert api("post", "/api/bookings", long, user=planner).json()["field"] == "end"
    # A planner's hold without an expiry gets the default, never beyond the cap.
    BookingRule.objects.filter(space=room).update(default_hold_days=14)
    made = api("post", "/api/bookings", _body(soon + timedelta(days=20), status="hold"), user=planner)
    assert made.status_code == 201
    expires = Booking.objects.get(pk=made.json()["id"]).hold_expires_at
    assert expires <= timezone.now() + timedelta(days=3)
