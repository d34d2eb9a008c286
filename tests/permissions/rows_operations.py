"""Operations: center staff run equipment, event orders, daily sheets and people. Members of the booking's agency
read its equipment and event order (planners also ask for equipment); who works an event, and people's leave and
schedules, are the center's business, except one's own schedule (`ops/me/`)."""

from datetime import timedelta

from . import Row


def build(world: dict) -> None:
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.operations import services
    from khuang.operations.models import EquipmentItem, StaffMember
    from khuang.venues.models import Space, Venue

    venue = Venue.objects.get(code=world["venue"])
    staff, a = world["users"]["staff"], world["agency_a"]
    room = Space.objects.get(code="ROOM-2")
    start = world["soon"] + timedelta(days=43)  # a day no other table books ROOM-2

    def book(title: str, day: int):
        s = start + timedelta(days=day)
        return booking_create(BookingDraft(space=room, title=title, start=s, end=s + timedelta(hours=6),
                                           status="confirmed", agency=a, attendees=80, contact_name="Khun A",
                                           contact_phone="081-000-0000"), actor=staff)

    booking, bare = book("Seminar of A with an event order", 0), book("Workshop of A without one", 1)
    item = EquipmentItem.objects.create(venue=venue, code="OPS-CHAIR", name_th="เก้าอี้", name_en="Chair",
                                        category="seating", stock=100)
    services.equipment_request_set(booking, item, 10, actor=staff)
    day = start.date()
    repair = services.repair_add(item, quantity=1, first_day=day + timedelta(days=30),
                                 last_day=day + timedelta(days=31), actor=staff)
    every_day = [0, 1, 2, 3, 4, 5, 6]
    member = StaffMember.objects.create(venue=venue, name="ช่างสมชาย", name_en="Somchai", unit="อาคารสถานที่",
                                        skills=["setup_crew", "av"], phone="081-111-1111", email="somchai@example.org",
                                        working_days=every_day)
    # A person of the center whose login is the viewer without an agency: they see their own schedule, no one else's.
    linked = StaffMember.objects.create(venue=venue, name="ผู้ประสานงาน", name_en="Coordinator", unit="กิจกรรม",
                                        skills=["coordinator"], phone="081-222-2222", working_days=every_day,
                                        user=world["users"]["viewer_none"])
    leave = services.leave_add(member, first_day=day + timedelta(days=60), last_day=day + timedelta(days=61),
                               kind="sick", actor=staff)
    eo = services.event_order_create(booking, actor=staff)
    timeline = services.timeline_add(eo, kind="setup", start=start - timedelta(hours=1), end=start, title="Chairs",
                                     team="setup", actor=staff)
    catering = services.catering_add(eo, kind="lunch", served_at=start + timedelta(hours=3), headcount=80, actor=staff)
    need = services.need_add(eo, skill="av", count=1, start=start, end=start + timedelta(hours=6), actor=staff)
    services.assignment_create(eo, linked, role="coordinator", start=start, end=start + timedelta(hours=6),
                               actor=staff)
    services.event_order_send(eo, actor=staff, note="first")
    # Changed after revision 1 was sent: a person put on the event, so there is something to send again.
    assignment = services.assignment_create(eo, member, role="av", start=start, end=start + timedelta(hours=2),
                                            actor=staff)
    world.update({
        "ops_booking": booking.pk, "ops_bare": bare.pk, "ops_item": item.pk, "ops_repair": repair.pk,
        "ops_member": member.pk, "ops_linked": linked.pk, "ops_leave": leave.pk, "ops_eo": eo.pk,
        "ops_timeline": timeline.pk, "ops_catering": catering.pk, "ops_need": need.pk, "ops_assignment": assignment.pk,
        "ops_day": day.isoformat(), "ops_later": start + timedelta(hours=3),
    })


def _later(world: dict, hours: int = 0, *, form: bool = False) -> str:
    """A time during the event, after the existing assignments (ISO with offset for the API, local for forms)."""
    moment = world["ops_later"] + timedelta(hours=hours)
    return moment.strftime("%Y-%m-%dT%H:%M") if form else moment.isoformat()


def _span(world: dict, *, form: bool = False) -> dict:
    return {"start": _later(world, 0, form=form), "end": _later(world, 1, form=form)}


def _day(world: dict, n: int) -> str:
    from datetime import date

    return (date.fromisoformat(world["ops_day"]) + timedelta(days=n)).isoformat()


MEMBER_FORM = {"name": "ช่างใหม่", "unit": "อาคารสถานที่", "skills": ["cleaning"], "working_days": [0, 1, 2, 3, 4],
               "day_starts": "08:30", "day_ends": "16:30", "is_active": "on"}

ROWS = [
    # ---------------------------------------------------------------- API: equipment
    #   method    path                                                  anon staff plan planB view viewB none exec
    Row("GET",    "/api/equipment",                                     "401  200   200  200   200  200   200  200",
        url="/api/equipment?venue={venue}"),
    Row("POST",   "/api/equipment",                                     "401  201   403  403   403  403   403  403",
        body=lambda w: {"venue": w["venue"], "code": "OPS-TABLE", "name_th": "โต๊ะ", "stock": 5}),
    Row("PATCH",  "/api/equipment/{code}",                              "401  200   403  403   403  403   403  403",
        url="/api/equipment/OPS-CHAIR?venue={venue}", body={"stock": 120}),
    Row("GET",    "/api/equipment/{code}/availability",                 "401  200   200  200   200  200   200  200",
        url="/api/equipment/OPS-CHAIR/availability?venue={venue}&first={ops_day}&days=3"),
    Row("POST",   "/api/equipment/{code}/repairs",                      "401  201   403  403   403  403   403  403",
        url="/api/equipment/OPS-CHAIR/repairs?venue={venue}",
        body=lambda w: {"quantity": 2, "first_day": _day(w, 5), "last_day": _day(w, 6)}),
    Row("DELETE", "/api/equipment/repairs/{repair_id}",                 "401  204   403  403   403  403   403  403",
        url="/api/equipment/repairs/{ops_repair}"),
    Row("GET",    "/api/bookings/{booking_id}/equipment",               "401  200   200  404   200  404   404  404",
        url="/api/bookings/{ops_booking}/equipment", also={"finance": 200}),
    Row("PUT",    "/api/bookings/{booking_id}/equipment/{code}",        "401  200   200  404   403  404   404  404",
        url="/api/bookings/{ops_booking}/equipment/OPS-CHAIR", body={"quantity": 12}, also={"finance": 403}),
    # ---------------------------------------------------------------- API: event orders
    Row("GET",    "/api/event-orders",                                  "401  200   200  200   200  200   200  200"),
    Row("POST",   "/api/event-orders",                                  "401  201   403  404   403  404   404  404",
        body=lambda w: {"booking": w["ops_bare"]}, also={"finance": 403}),
    Row("GET",    "/api/event-orders/{eo_id}",                          "401  200   200  404   200  404   404  404",
        url="/api/event-orders/{ops_eo}"),
    Row("PATCH",  "/api/event-orders/{eo_id}",                          "401  200   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}", body={"parking_spaces": 12}),
    Row("POST",   "/api/event-orders/{eo_id}/timeline",                 "401  201   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/timeline", body=lambda w: {"kind": "break", **_span(w)}),
    Row("DELETE", "/api/event-orders/{eo_id}/timeline/{entry_id}",      "401  204   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/timeline/{ops_timeline}"),
    Row("POST",   "/api/event-orders/{eo_id}/catering",                 "401  201   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/catering",
        body=lambda w: {"kind": "coffee_break", "served_at": _later(w), "headcount": 80}),
    Row("DELETE", "/api/event-orders/{eo_id}/catering/{item_id}",       "401  204   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/catering/{ops_catering}"),
    Row("POST",   "/api/event-orders/{eo_id}/needs",                    "401  201   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/needs", body=lambda w: {"skill": "cleaning", "count": 2, **_span(w)}),
    Row("DELETE", "/api/event-orders/{eo_id}/needs/{need_id}",          "401  204   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/needs/{ops_need}"),
    Row("POST",   "/api/event-orders/{eo_id}/assignments",              "401  201   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/assignments",
        body=lambda w: {"member": w["ops_member"], "role": "setup_crew", **_span(w)}),
    Row("DELETE", "/api/event-orders/{eo_id}/assignments/{assignment_id}",
        #                                                                anon staff plan planB view viewB none exec
                                                                        "401  204   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/assignments/{ops_assignment}"),
    Row("POST",   "/api/event-orders/{eo_id}/revisions",                "401  201   403  404   403  404   404  404",
        url="/api/event-orders/{ops_eo}/revisions", body={"note": "second"}),
    Row("GET",    "/api/event-orders/{eo_id}/revisions",                "401  200   200  404   200  404   404  404",
        url="/api/event-orders/{ops_eo}/revisions"),
    Row("GET",    "/api/event-orders/{eo_id}/changes",                  "401  200   200  404   200  404   404  404",
        url="/api/event-orders/{ops_eo}/changes"),
    # ---------------------------------------------------------------- API: people (lists: staff all, a member themself)
    Row("GET",    "/api/staff",                                         "401  200   200  200   200  200   200  200",
        url="/api/staff?venue={venue}"),
    Row("POST",   "/api/staff",                                         "401  201   403  403   403  403   403  403",
        body=lambda w: {"venue": w["venue"], "name": "ช่างใหม่", "unit": "อาคาร", "skills": ["it"]}),
    Row("PATCH",  "/api/staff/{member_id}",                             "401  200   404  404   404  404   404  404",
        url="/api/staff/{ops_member}", body={"phone": "081-333-3333"}),
    Row("PATCH",  "/api/staff/{member_id}",                             "401  200   404  404   404  404   403  404",
        url="/api/staff/{ops_linked}", body={"phone": "081-333-3333"}, note="their own record: read, not changed"),
    Row("POST",   "/api/staff/{member_id}/leave",                       "401  201   404  404   404  404   404  404",
        url="/api/staff/{ops_member}/leave", body=lambda w: {"first_day": _day(w, 90), "last_day": _day(w, 90)}),
    Row("POST",   "/api/staff/{member_id}/leave",                       "401  201   404  404   404  404   403  404",
        url="/api/staff/{ops_linked}/leave", body=lambda w: {"first_day": _day(w, 90), "last_day": _day(w, 90)},
        note="their own leave: recorded by staff"),
    Row("DELETE", "/api/staff/{member_id}/leave/{leave_id}",            "401  204   404  404   404  404   404  404",
        url="/api/staff/{ops_member}/leave/{ops_leave}"),
    Row("GET",    "/api/staff/{member_id}/schedule",                    "401  200   404  404   404  404   404  404",
        url="/api/staff/{ops_member}/schedule?first={ops_day}"),
    Row("GET",    "/api/staff/{member_id}/schedule",                    "401  200   404  404   404  404   200  404",
        url="/api/staff/{ops_linked}/schedule?first={ops_day}", note="their own schedule"),
    Row("GET",    "/api/operations/staffing",                           "401  200   403  403   403  403   403  403",
        url="/api/operations/staffing?venue={venue}&first={ops_day}&days=3"),
    Row("GET",    "/api/operations/daily-limits",                       "401  200   403  403   403  403   403  403",
        url="/api/operations/daily-limits?venue={venue}"),

    # ---------------------------------------------------------------- pages
    #   method  route                                                   anon staff plan planB view viewB none exec
    Row("GET",  "ops/",                                                 "302  200   403  403   403  403   403  403",
        url="/ops/?venue={venue}"),
    Row("GET",  "ops/equipment/",                                       "302  200   403  403   403  403   403  403",
        url="/ops/equipment/?venue={venue}"),
    Row("POST", "ops/equipment/new/",                                   "302  302   403  403   403  403   403  403",
        url="/ops/equipment/new/?venue={venue}",
        body={"code": "OPS-TABLE", "name_th": "โต๊ะ", "category": "tables", "unit_th": "ตัว", "unit_en": "tables",
              "stock": 5}),
    Row("POST", "ops/equipment/repairs/",                               "302  302   403  403   403  403   403  403",
        url="/ops/equipment/repairs/?venue={venue}",
        body=lambda w: {"item": w["ops_item"], "quantity": 1, "first_day": _day(w, 5), "last_day": _day(w, 5)}),
    Row("POST", "ops/equipment/repairs/<int:repair_id>/end/",           "302  302   403  403   403  403   403  403",
        url="/ops/equipment/repairs/{ops_repair}/end/"),
    Row("POST", "ops/equipment/<int:item_id>/stock/",                   "302  302   403  403   403  403   403  403",
        url="/ops/equipment/{ops_item}/stock/?venue={venue}", body=lambda w: {f"s{w['ops_item']}-stock": 120}),
    Row("GET",  "ops/bookings/<int:booking_id>/",                       "302  200   200  404   200  404   404  404",
        url="/ops/bookings/{ops_booking}/", also={"finance": 200}),
    Row("POST", "ops/bookings/<int:booking_id>/equipment/",             "302  302   302  404   403  404   404  404",
        url="/ops/bookings/{ops_booking}/equipment/", body={"item": "OPS-CHAIR", "quantity": 12},
        also={"finance": 403}),
    Row("POST", "ops/bookings/<int:booking_id>/event-order/",           "302  302   403  404   403  404   404  404",
        url="/ops/bookings/{ops_bare}/event-order/", also={"finance": 403}),
    Row("GET",  "ops/event-orders/<int:eo_id>/",                        "302  200   200  404   200  404   404  404",
        url="/ops/event-orders/{ops_eo}/"),
    Row("POST", "ops/event-orders/<int:eo_id>/edit/",                   "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/edit/", body={"capacity": 80, "catering_headcount": 80, "parking_spaces": 9}),
    Row("POST", "ops/event-orders/<int:eo_id>/send/",                   "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/send/", body={"note": "second"}),
    Row("GET",  "ops/event-orders/<int:eo_id>/pdf/",                    "302  200   200  404   200  404   404  404",
        url="/ops/event-orders/{ops_eo}/pdf/"),
    Row("POST", "ops/event-orders/<int:eo_id>/<slug:kind>/add/",        "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/timeline/add/", body=lambda w: {"kind": "break", **_span(w, form=True)},
        note="timeline"),
    Row("POST", "ops/event-orders/<int:eo_id>/<slug:kind>/add/",        "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/assignments/add/",
        body=lambda w: {"member": w["ops_member"], "role": "setup_crew", **_span(w, form=True)}, note="assignments"),
    Row("POST", "ops/event-orders/<int:eo_id>/<slug:kind>/<int:child_id>/delete/",
        #                                                                anon staff plan planB view viewB none exec
                                                                        "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/catering/{ops_catering}/delete/", note="catering"),
    Row("POST", "ops/event-orders/<int:eo_id>/<slug:kind>/<int:child_id>/delete/",
                                                                        "302  302   403  404   403  404   404  404",
        url="/ops/event-orders/{ops_eo}/assignments/{ops_assignment}/delete/", note="assignments"),
    Row("GET",  "ops/day/",                                             "302  200   403  403   403  403   403  403",
        url="/ops/day/?venue={venue}"),
    Row("GET",  "ops/day/<str:day>/",                                   "302  200   403  403   403  403   403  403",
        url="/ops/day/{ops_day}/?venue={venue}"),
    Row("GET",  "ops/day/<str:day>/pdf/",                               "302  200   403  403   403  403   403  403",
        url="/ops/day/{ops_day}/pdf/?venue={venue}"),
    Row("GET",  "ops/people/",                                          "302  200   403  403   403  403   403  403",
        url="/ops/people/?venue={venue}"),
    Row("POST", "ops/people/new/",                                      "302  302   403  403   403  403   403  403",
        url="/ops/people/new/?venue={venue}", body=MEMBER_FORM),
    Row("GET",  "ops/people/<int:member_id>/",                          "302  200   403  403   403  403   403  403",
        url="/ops/people/{ops_member}/"),
    Row("POST", "ops/people/<int:member_id>/edit/",                     "302  302   403  403   403  403   403  403",
        url="/ops/people/{ops_linked}/edit/", body={**MEMBER_FORM, "skills": ["coordinator"]}),
    Row("POST", "ops/people/<int:member_id>/leave/",                    "302  302   403  403   403  403   403  403",
        url="/ops/people/{ops_linked}/leave/",
        body=lambda w: {"first_day": _day(w, 90), "last_day": _day(w, 90), "kind": "annual"}),
    Row("POST", "ops/people/<int:member_id>/leave/<int:leave_id>/delete/",
                                                                        "302  302   403  403   403  403   403  403",
        url="/ops/people/{ops_member}/leave/{ops_leave}/delete/"),
    Row("GET",  "ops/people/<int:member_id>/schedule/",                 "302  200   404  404   404  404   404  404",
        url="/ops/people/{ops_member}/schedule/?date={ops_day}"),
    Row("GET",  "ops/people/<int:member_id>/schedule/",                 "302  200   404  404   404  404   200  404",
        url="/ops/people/{ops_linked}/schedule/?date={ops_day}", note="their own schedule"),
    # One's own schedule: the viewer without an agency is the linked person; staff's login is linked to no one.
    Row("GET",  "ops/me/",                                              "302  404   404  404   404  404   302  404",
        url="/ops/me/"),
]
