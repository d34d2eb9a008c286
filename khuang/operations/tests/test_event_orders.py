"""Event orders: made from a booking, edited by staff, sent as numbered revisions listing exactly what changed."""

from datetime import timedelta

import pytest
from django.utils import translation

from khuang.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from khuang.operations import selectors, services
from khuang.operations.models import EventOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(create_space, create_booking, create_agency, soon):
    hall = create_space("HALL", equipment=["av", "power"], capacity_classroom=300)
    return create_booking(hall, soon + timedelta(days=1), hours=8, setup_minutes=24 * 60, teardown_minutes=6 * 60,
                          attendees=300, layout="classroom", contact_name="คุณสมศรี", contact_phone="081-234-5678",
                          agency=create_agency("OWN"), title="มหกรรมเซรามิก")


def test_created_from_the_booking(fair, staff_user):
    eo = services.event_order_create(fair, actor=staff_user)
    assert (eo.layout, eo.capacity, eo.catering_headcount) == ("classroom", 300, 300)
    assert (eo.day_contact_name, eo.day_contact_phone) == ("คุณสมศรี", "081-234-5678")
    kinds = [(t.kind, t.start, t.end) for t in eo.timeline.all()]
    assert kinds == [("move_in", fair.occupied_start, fair.start), ("session", fair.start, fair.end),
                     ("move_out", fair.end, fair.occupied_end)]
    needs = sorted((n.skill, n.count) for n in eo.needs.all())
    assert needs == [("av", 1), ("coordinator", 1), ("setup_crew", 2), ("setup_crew", 2)]
    with pytest.raises(ConflictError):
        services.event_order_create(fair, actor=staff_user)


def test_only_staff_make_and_change_event_orders(fair, staff_user, create_user, create_agency):
    planner = create_user("own-planner", agency=fair.agency)
    with pytest.raises(PermissionDeniedError):
        services.event_order_create(fair, actor=planner)
    eo = services.event_order_create(fair, actor=staff_user)
    with pytest.raises(PermissionDeniedError):
        services.event_order_update(eo, {"capacity": 10}, actor=planner)
    # The booking's agency reads it; another agency does not even learn it exists.
    assert selectors.event_order_get(eo.pk, viewer=planner) == eo
    with pytest.raises(NotFoundError):
        selectors.event_order_get(eo.pk, viewer=create_user("other", agency=create_agency("OTHER")))
    assert not EventOrder.objects.visible_to(None).exists()


def test_revision_lists_exactly_what_changed(fair, staff_user, create_member, create_item, soon):
    chairs = create_item("CHAIR", stock=500)
    services.equipment_request_set(fair, chairs, 300, actor=staff_user)
    eo = services.event_order_create(fair, actor=staff_user)
    first = services.event_order_send(eo, actor=staff_user)
    assert first.number == 1 and first.changes == []
    with pytest.raises(ConflictError):
        services.event_order_send(eo, actor=staff_user)  # nothing changed since revision 1

    session = eo.timeline.get(kind="session")
    move_out = eo.timeline.get(kind="move_out")
    move_out_key = str(move_out.pk)
    services.event_order_update(eo, {"catering_headcount": 320, "notes_security": "ประตู 2 เปิด 07:00"},
                                actor=staff_user)
    lunch = services.catering_add(eo, kind="lunch", served_at=session.start.replace(hour=12), headcount=320,
                                  actor=staff_user)
    services.equipment_request_set(fair, chairs, 350, actor=staff_user)
    services.timeline_remove(move_out, actor=staff_user)
    member = create_member("ประเสริฐ", skills=["coordinator"])
    a = services.assignment_create(eo, member, role="coordinator", start=session.start, end=session.end,
                                   actor=staff_user)
    second = services.event_order_send(eo, actor=staff_user, note="ลูกค้าเพิ่มผู้เข้าร่วม")
    assert second.number == 2
    assert [(c["section"], c["key"], c["change"]) for c in second.changes] == [
        ("fields", "catering_headcount", "changed"),
        ("fields", "notes_security", "changed"),
        ("timeline", move_out_key, "removed"),
        ("catering", str(lunch.pk), "added"),
        ("equipment", "CHAIR", "changed"),
        ("staff", str(a.pk), "added"),
    ]
    by_key = {c["key"]: c for c in second.changes}
    assert (by_key["catering_headcount"]["before"], by_key["catering_headcount"]["after"]) == (300, 320)
    assert (by_key["CHAIR"]["before"], by_key["CHAIR"]["after"]) == (300, 350)
    # Described for people, in Thai with Buddhist-Era dates.
    with translation.override("th"):
        described = selectors.revision_changes(second, staffing=True)
    assert described[0]["what"] == "จำนวนผู้รับประทานอาหาร" and described[0]["before"] == "300"
    assert described[4]["what"] == "อุปกรณ์ CHAIR" and described[4]["after"] == "350 ชิ้น"
    assert str(session.start.year + 543) in described[5]["after"]
    # Nothing is pending right after sending; the next edit shows up as pending at once.
    eo.refresh_from_db()
    assert selectors.event_order_changes(eo, staffing=True)["changes"] == []
    services.event_order_update(eo, {"parking_spaces": 40}, actor=staff_user)
    eo.refresh_from_db()
    pending = selectors.event_order_changes(eo, staffing=True)
    assert pending["last"].number == 2 and [c["kind"] for c in pending["changes"]] == ["changed"]


def test_a_booking_moved_after_sending_shows_in_the_next_revision(fair, staff_user):
    from khuang.bookings.services import booking_update

    eo = services.event_order_create(fair, actor=staff_user)
    services.event_order_send(eo, actor=staff_user)
    booking_update(fair, {"attendees": 250}, actor=staff_user)
    eo.refresh_from_db()
    rev = services.event_order_send(eo, actor=staff_user)
    assert [(c["section"], c["key"], c["before"], c["after"]) for c in rev.changes] == [
        ("booking", "attendees", 300, 250)]


def test_sending_a_revision_tells_the_people_assigned(fair, staff_user, create_member, mailoutbox):
    from khuang.operations.tasks import notify_revision

    eo = services.event_order_create(fair, actor=staff_user)
    member = create_member("ประเสริฐ", skills=["coordinator"], email="prasert@example.org")
    services.assignment_create(eo, member, role="coordinator", start=fair.start, end=fair.end, actor=staff_user)
    services.event_order_send(eo, actor=staff_user)
    services.event_order_update(eo, {"catering_headcount": 280}, actor=staff_user)
    revision = services.event_order_send(eo, actor=staff_user)
    assert notify_revision.call(revision.pk) == 1
    mail = mailoutbox[-1]
    assert mail.to == ["prasert@example.org"] and "ฉบับแก้ไขที่ 2" in mail.subject
    assert "จำนวนผู้รับประทานอาหาร" in mail.body and "300 → 280" in mail.body
