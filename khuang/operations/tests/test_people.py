"""The center's people: assignments by role and time, leave, a day's demand against people available,
hours and overtime, schedules and the venue's daily limits suggested from the staff."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.operations import selectors, services
from khuang.operations.services import ValidationFailed

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")


def _monday_after(d: date) -> date:
    return d + timedelta(days=(7 - d.weekday()) % 7 or 7)


@pytest.fixture
def monday(soon) -> date:
    return _monday_after(soon.date())


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BKK)


@pytest.fixture
def crew(create_member):
    return [create_member(f"ช่าง {i}", skills=["setup_crew"]) for i in range(2)]


def _order(create_booking, create_space, staff_user, day: date, code: str):
    from khuang.operations.models import StaffNeed

    booking = create_booking(create_space(code), _at(day, 9), hours=8, title=f"Event {code}")
    eo = services.event_order_create(booking, actor=staff_user)
    StaffNeed.objects.filter(event_order=eo).delete()  # each test states its own needs
    return eo


def test_staff_shortage_is_reported_for_the_right_day(crew, create_booking, create_space, staff_user, monday):
    tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
    a = _order(create_booking, create_space, staff_user, monday, "R1")
    b = _order(create_booking, create_space, staff_user, tuesday, "R2")
    # Monday: two setups at the same time need 3 people; Tuesday needs 2 at once (in two shifts: 1 + 1 + 1).
    services.need_add(a, skill="setup_crew", count=2, start=_at(monday, 8), end=_at(monday, 12), actor=staff_user)
    services.need_add(a, skill="setup_crew", count=1, start=_at(monday, 10), end=_at(monday, 11), actor=staff_user)
    services.need_add(b, skill="setup_crew", count=1, start=_at(tuesday, 8), end=_at(tuesday, 12), actor=staff_user)
    services.need_add(b, skill="setup_crew", count=1, start=_at(tuesday, 11), end=_at(tuesday, 15), actor=staff_user)
    services.need_add(b, skill="setup_crew", count=1, start=_at(tuesday, 12), end=_at(tuesday, 16), actor=staff_user)
    days = selectors.staff_days(a.booking.space.venue, monday, wednesday)
    assert [(d["day"], d["demand"], d["available"], d["short"]) for d in days] == [
        (monday, 3, 2, True), (tuesday, 2, 2, False), (wednesday, 0, 2, False)]
    assert [d["day"] for d in selectors.staff_shortages(a.booking.space.venue, monday, wednesday)] == [monday]
    # One of the two crew on leave on Tuesday: now Tuesday is short too, and only by the setup-crew skill.
    services.leave_add(crew[0], first_day=tuesday, last_day=tuesday, actor=staff_user)
    short = selectors.staff_shortages(a.booking.space.venue, monday, wednesday)
    assert [d["day"] for d in short] == [monday, tuesday]
    assert [(s["skill"], s["demand"], s["available"]) for s in short[1]["by_skill"]] == [("setup_crew", 2, 1)]


def test_a_cancelled_event_makes_no_demand(crew, create_booking, create_space, staff_user, monday):
    from khuang.bookings.services import booking_cancel

    eo = _order(create_booking, create_space, staff_user, monday, "R1")
    services.need_add(eo, skill="setup_crew", count=5, start=_at(monday, 8), end=_at(monday, 12), actor=staff_user)
    assert selectors.staff_day(eo.booking.space.venue, monday)["short"]
    booking_cancel(eo.booking, actor=staff_user, reason="called off")
    assert not selectors.staff_day(eo.booking.space.venue, monday)["short"]


def test_assignment_rules(crew, create_member, create_booking, create_space, staff_user, monday):
    eo = _order(create_booking, create_space, staff_user, monday, "R1")
    other = _order(create_booking, create_space, staff_user, monday, "R2")
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_create(eo, crew[0], role="av", start=_at(monday, 8), end=_at(monday, 12),
                                   actor=staff_user)
    assert exc.value.field == "role"
    services.assignment_create(eo, crew[0], role="setup_crew", start=_at(monday, 8), end=_at(monday, 12),
                               actor=staff_user)
    with pytest.raises(ConflictError) as exc:  # the same person cannot be in two places at once
        services.assignment_create(other, crew[0], role="setup_crew", start=_at(monday, 11), end=_at(monday, 13),
                                   actor=staff_user)
    assert "Event R1" in exc.value.message
    services.leave_add(crew[1], first_day=monday, last_day=monday, actor=staff_user)
    with pytest.raises(ConflictError) as exc:
        services.assignment_create(other, crew[1], role="setup_crew", start=_at(monday, 8), end=_at(monday, 9),
                                   actor=staff_user)
    assert exc.value.field == "member"
    with pytest.raises(PermissionDeniedError):
        services.assignment_create(other, crew[0], role="setup_crew", start=_at(monday, 14), end=_at(monday, 15),
                                   actor=None)


def test_hours_and_overtime_by_month_and_fiscal_year(create_member, create_booking, create_space, staff_user, venue):
    from khuang.core.thaidates import fiscal_year

    day = _monday_after(date.today() + timedelta(days=20))
    saturday = day + timedelta(days=5)
    member = create_member("นภา", skills=["av"])  # works Mon–Fri 08:30–16:30
    eo = _order(create_booking, create_space, staff_user, day, "R1")
    weekend = _order(create_booking, create_space, staff_user, saturday, "R2")
    services.assignment_create(eo, member, role="av", start=_at(day, 8), end=_at(day, 18), actor=staff_user)
    services.assignment_create(weekend, member, role="av", start=_at(saturday, 9), end=_at(saturday, 12),
                               actor=staff_user)
    fy = fiscal_year(day)
    summary = selectors.personnel_summary(venue, fy, viewer=staff_user)
    assert summary["headcount"] == 1 and summary["hours"] == 13.0
    assert summary["overtime"] == 5.0  # 08:00–08:30 and 16:30–18:00 on Monday, and all of Saturday
    assert summary["people"] == [{"name": "นภา", "unit": "งานอาคารสถานที่", "hours": 13.0, "overtime": 5.0,
                                  "events": 2}]
    assert [s["count"] for s in summary["by_skill"] if s["skill"] == "av"] == [1]
    months = {(m["year"], m["month"]): m for m in summary["months"]}
    hours_by_month = {k: v["hours"] for k, v in months.items() if v["hours"]}
    assert sum(hours_by_month.values()) == 13.0 and (day.year, day.month) in hours_by_month


def test_schedule_shows_a_persons_assignments(create_member, create_booking, create_space, staff_user, monday,
                                              create_user):
    user = create_user("somchai", role="viewer")
    member = create_member("สมชาย", skills=["coordinator"], user=user)
    eo = _order(create_booking, create_space, staff_user, monday, "R1")
    services.assignment_create(eo, member, role="coordinator", start=_at(monday, 8), end=_at(monday, 17),
                               actor=staff_user)
    plan = selectors.member_schedule(member, monday - timedelta(days=1), 7)
    assert [(d["day"], [a.event_order_id for a in d["assignments"]]) for d in plan["days"]] == [(monday, [eo.pk])]
    assert member.can_view_schedule(user) and member.can_view_schedule(staff_user)
    assert not member.can_view_schedule(create_user("someone", role="viewer"))


def test_daily_limits_suggested_from_the_staff(create_member, venue):
    for i in range(3):
        create_member(f"ผู้ประสานงาน {i}", skills=["coordinator"])
    for i in range(9):
        create_member(f"ช่าง {i}", skills=["setup_crew"])
    create_member("ช่างเสาร์", skills=["setup_crew", "coordinator"], working_days=[5])
    create_member("ช่างจันทร์", skills=["setup_crew"], working_days=[0])
    s = selectors.daily_limits_suggestion(venue)
    # Weekends are not regular working days; Tuesday–Friday have 3 coordinators and 9 crew (Monday 10).
    assert (s["events_per_day"], s["moveins_per_day"], s["coordinators"], s["setup_crew"]) == (3, 3, 3, 9)
