"""Who may do what, for every operations page and API operation: anonymous, an agency viewer and planner of
the booking's agency, a planner of another agency, center staff, and a staff member whose login is linked.

The tables below must name every URL of the `operations` namespace and every operation of the API's
`operations` tag, so a new page or endpoint without a row fails `test_every_route_has_a_row`.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from khuang.operations import services
from khuang.operations.models import (
    Assignment,
    CateringItem,
    EquipmentItem,
    EquipmentRequest,
    EventOrder,
    ItemRepair,
    StaffLeave,
    StaffMember,
    StaffNeed,
    TimelineEntry,
)

pytestmark = pytest.mark.django_db
BKK = ZoneInfo("Asia/Bangkok")
ROLES = ["anonymous", "viewer_own", "planner_own", "planner_other", "staff", "member"]


@dataclass
class World:
    booking: Any
    bare: Any
    eo: EventOrder
    item: EquipmentItem
    member: StaffMember
    linked: StaffMember
    day: str
    kids: dict[str, list[int]]
    repairs: list[int]
    leaves: list[int]


@pytest.fixture
def world(create_space, create_booking, create_agency, create_user, staff_user, soon) -> World:
    own = create_agency("OWN")
    room = create_space("ROOM-1")
    booking = create_booking(room, soon, hours=6, agency=own, title="Own agency's seminar")
    bare = create_booking(create_space("ROOM-2"), soon, hours=2, agency=own, title="Without an event order")
    item = EquipmentItem.objects.create(venue=room.venue, code="CHAIR", name_th="เก้าอี้", name_en="Chair", stock=100)
    services.equipment_request_set(booking, item, 10, actor=staff_user)
    eo = services.event_order_create(booking, actor=staff_user)
    member = StaffMember.objects.create(venue=room.venue, name="ช่าง", unit="อาคาร", skills=["setup_crew", "av"],
                                        working_days=[0, 1, 2, 3, 4, 5, 6])
    linked = StaffMember.objects.create(venue=room.venue, name="ผู้ประสานงาน", unit="กิจกรรม", skills=["coordinator"],
                                        user=create_user("linked", role="viewer"))
    kids: dict[str, list[int]] = {"timeline": [], "catering": [], "needs": [], "assignments": []}
    start = soon
    for i in range(8):  # one child of each kind per role that might delete it
        s, e = start + timedelta(minutes=10 * i), start + timedelta(minutes=10 * i + 5)
        kids["timeline"].append(services.timeline_add(eo, kind="session", start=s, end=e, actor=staff_user).pk)
        kids["catering"].append(services.catering_add(eo, kind="lunch", served_at=s, headcount=5, actor=staff_user).pk)
        kids["needs"].append(services.need_add(eo, skill="av", count=1, start=s, end=e, actor=staff_user).pk)
        kids["assignments"].append(services.assignment_create(eo, member, role="av", start=s, end=e,
                                                              actor=staff_user).pk)
    day = soon.date()
    repairs = [services.repair_add(item, quantity=1, first_day=day + timedelta(days=30 + i),
                                   last_day=day + timedelta(days=30 + i), actor=staff_user).pk for i in range(8)]
    leaves = [services.leave_add(member, first_day=day + timedelta(days=60 + i), last_day=day + timedelta(days=60 + i),
                                 actor=staff_user).pk for i in range(8)]
    create_user("viewer_own", role="viewer", agency=own)
    create_user("planner_own", agency=own)
    create_user("planner_other", agency=create_agency("OTHER"))
    return World(booking, bare, eo, item, member, linked, day.isoformat(), kids, repairs, leaves)


def _user(role: str, staff_user):
    from khuang.accounts.models import User

    if role == "anonymous":
        return None
    if role == "staff":
        return staff_user
    return User.objects.get(username="linked" if role == "member" else role)


def _later(w: World, hours: int) -> str:
    return (datetime.combine(w.booking.start.date(), time(20), tzinfo=BKK) + timedelta(hours=hours)).isoformat()


def _take(pool: list[int]) -> int:
    return pool.pop(0)


# ---------------------------------------------------------------- pages

# name: (method, path, form, expected {role: status}); callables see the world.
def _pages(w: World) -> list[tuple[str, str, str, dict, dict[str, int]]]:
    eo, b, m = w.eo.pk, w.booking.pk, w.member.pk
    staff_only_get = {"anonymous": 302, "viewer_own": 403, "planner_own": 403, "planner_other": 403, "staff": 200,
                      "member": 403}
    staff_only_post = {**staff_only_get, "staff": 302}
    booking_read = {"anonymous": 302, "viewer_own": 200, "planner_own": 200, "planner_other": 404, "staff": 200,
                    "member": 404}
    eo_write = {"anonymous": 302, "viewer_own": 403, "planner_own": 403, "planner_other": 404, "staff": 302,
                "member": 404}
    when = {"start": _later(w, 0)[:16], "end": _later(w, 1)[:16]}
    rows = [
        ("home", "get", "/ops/", {}, staff_only_get),
        ("equipment", "get", "/ops/equipment/", {}, staff_only_get),
        ("equipment_new", "post", "/ops/equipment/new/", lambda: {
            "code": f"NEW-{len(EquipmentItem.objects.all())}", "name_th": "ใหม่", "category": "other", "unit_th": "ชิ้น",
            "unit_en": "pcs", "stock": 3}, staff_only_post),
        ("equipment_stock", "post", f"/ops/equipment/{w.item.pk}/stock/", {f"s{w.item.pk}-stock": 100},
         staff_only_post),
        ("equipment_repair", "post", "/ops/equipment/repairs/", lambda: {
            "item": w.item.pk, "quantity": 1, "first_day": w.day, "last_day": w.day}, staff_only_post),
        ("equipment_repair_end", "post", lambda: f"/ops/equipment/repairs/{_take(w.repairs)}/end/", {},
         staff_only_post),
        ("booking", "get", f"/ops/bookings/{b}/", {}, booking_read),
        ("booking_equipment", "post", f"/ops/bookings/{b}/equipment/", {"item": "CHAIR", "quantity": 12},
         {**eo_write, "planner_own": 302}),
        ("event_order_new", "post", f"/ops/bookings/{w.bare.pk}/event-order/", {}, eo_write),
        ("event_order", "get", f"/ops/event-orders/{eo}/", {}, booking_read),
        ("event_order_edit", "post", f"/ops/event-orders/{eo}/edit/", {"capacity": 50, "catering_headcount": 50,
                                                                     "parking_spaces": 5}, eo_write),
        ("event_order_send", "post", f"/ops/event-orders/{eo}/send/", {"note": "x"}, eo_write),
        ("event_order_pdf", "get", f"/ops/event-orders/{eo}/pdf/", {}, booking_read),
        ("event_order_add", "post", f"/ops/event-orders/{eo}/timeline/add/", {"kind": "setup", **when}, eo_write),
        ("event_order_add", "post", f"/ops/event-orders/{eo}/catering/add/",
         {"kind": "lunch", "served_at": when["start"], "headcount": 10}, eo_write),
        ("event_order_add", "post", f"/ops/event-orders/{eo}/needs/add/", {"skill": "av", "count": 1, **when},
         eo_write),
        ("event_order_add", "post", f"/ops/event-orders/{eo}/assignments/add/",
         lambda: {"member": w.member.pk, "role": "setup_crew",
                  "start": _later(w, 2 * len(Assignment.objects.all()))[:16],
                  "end": _later(w, 2 * len(Assignment.objects.all()) + 1)[:16]}, eo_write),
        *[("event_order_remove", "post", (lambda k=k: f"/ops/event-orders/{eo}/{k}/{_take(w.kids[k])}/delete/"), {},
           eo_write) for k in ("timeline", "catering", "needs", "assignments")],
        ("day_today", "get", "/ops/day/", {}, staff_only_get),
        ("day", "get", f"/ops/day/{w.day}/", {}, staff_only_get),
        ("day_pdf", "get", f"/ops/day/{w.day}/pdf/", {}, staff_only_get),
        ("people", "get", "/ops/people/", {}, staff_only_get),
        ("member_new", "post", "/ops/people/new/", {"name": "ใหม่", "unit": "อาคาร", "skills": ["cleaning"],
                                                    "working_days": [0, 1], "day_starts": "08:30",
                                                    "day_ends": "16:30", "is_active": "on"}, staff_only_post),
        ("member", "get", f"/ops/people/{m}/", {}, staff_only_get),
        ("member_edit", "post", f"/ops/people/{m}/edit/", {
            "name": "ช่าง", "unit": "อาคาร", "skills": ["setup_crew", "av"], "working_days": [0, 1, 2, 3, 4, 5, 6],
            "day_starts": "08:30", "day_ends": "16:30", "is_active": "on"}, staff_only_post),
        ("member_leave", "post", f"/ops/people/{m}/leave/", {"first_day": w.day, "last_day": w.day, "kind": "sick"},
         staff_only_post),
        ("member_leave_remove", "post", lambda: f"/ops/people/{m}/leave/{_take(w.leaves)}/delete/", {},
         staff_only_post),
        ("schedule", "get", f"/ops/people/{m}/schedule/", {}, {"anonymous": 302, "viewer_own": 404,
                                                               "planner_own": 404, "planner_other": 404,
                                                               "staff": 200, "member": 404}),
        ("schedule", "get", f"/ops/people/{w.linked.pk}/schedule/", {}, {
            "anonymous": 302, "viewer_own": 404, "planner_own": 404, "planner_other": 404, "staff": 200,
            "member": 200}),
        ("my_schedule", "get", "/ops/me/", {}, {"anonymous": 302, "viewer_own": 404, "planner_own": 404,
                                               "planner_other": 404, "staff": 404, "member": 302}),
    ]
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_pages(role, world, client, staff_user):
    user = _user(role, staff_user)
    if user is not None:
        client.force_login(user)
    failures = []
    for name, method, path, data, expected in _pages(world):
        path = path() if callable(path) else path
        data = data() if callable(data) else data
        res = getattr(client, method)(path, data) if method == "post" else client.get(path)
        if res.status_code != expected[role]:
            failures.append(f"{method.upper()} {path} ({name}): {res.status_code}, expected {expected[role]}")
    assert not failures, "\n".join(failures)


def test_refused_writes_change_nothing(world, client, create_user):
    """Non-staff attempts leave the event order, equipment and people exactly as they were."""
    from khuang.operations.selectors import event_order_snapshot

    before = event_order_snapshot(world.eo)
    counts = [m.objects.count() for m in (EquipmentItem, ItemRepair, StaffMember, StaffLeave, TimelineEntry,
                                          CateringItem, StaffNeed, Assignment, EquipmentRequest)]
    for role in ("viewer_own", "planner_own", "planner_other", "member"):
        client.force_login(_user(role, None))
        for name, method, path, data, _expected in _pages(world):
            if method == "post" and name != "booking_equipment":
                path = path() if callable(path) else path
                client.post(path, data() if callable(data) else data)
    world.eo.refresh_from_db()
    assert event_order_snapshot(world.eo) == before
    assert [m.objects.count() for m in (EquipmentItem, ItemRepair, StaffMember, StaffLeave, TimelineEntry,
                                        CateringItem, StaffNeed, Assignment, EquipmentRequest)] == counts


# ---------------------------------------------------------------- API

def _api(w: World) -> list[tuple[str, str, Any, dict[str, int]]]:
    eo, b, m = w.eo.pk, w.booking.pk, w.member.pk
    everyone = {r: 200 for r in ROLES} | {"anonymous": 401}
    staff_only = {"anonymous": 401, "viewer_own": 403, "planner_own": 403, "planner_other": 403, "staff": 200,
                  "member": 403}
    booking_read = {"anonymous": 401, "viewer_own": 200, "planner_own": 200, "planner_other": 404, "staff": 200,
                    "member": 404}
    eo_write = {"anonymous": 401, "viewer_own": 403, "planner_own": 403, "planner_other": 404, "staff": 201,
                "member": 404}
    eo_delete = {**eo_write, "staff": 204}
    person = {"anonymous": 401, "viewer_own": 404, "planner_own": 404, "planner_other": 404, "staff": 200,
              "member": 404}
    when = {"start": _later(w, 0), "end": _later(w, 1)}
    return [
        ("get", "/api/equipment", None, everyone),
        ("post", "/api/equipment", lambda: {"code": f"API-{len(EquipmentItem.objects.all())}", "name_th": "ใหม่",
                                            "stock": 1}, {**staff_only, "staff": 201}),
        ("patch", "/api/equipment/CHAIR", {"notes": "ok"}, staff_only),
        ("get", "/api/equipment/CHAIR/availability", None, everyone),
        ("post", "/api/equipment/CHAIR/repairs", {"quantity": 1, "first_day": w.day, "last_day": w.day},
         {**staff_only, "staff": 201}),
        ("delete", lambda: f"/api/equipment/repairs/{_take(w.repairs)}", None, {**staff_only, "staff": 204}),
        ("get", f"/api/bookings/{b}/equipment", None, booking_read),
        ("put", f"/api/bookings/{b}/equipment/CHAIR", {"quantity": 11}, {**booking_read, "viewer_own": 403}),
        ("get", "/api/event-orders", None, everyone),
        ("post", "/api/event-orders", {"booking": b}, {**eo_write, "staff": 409}),  # staff: it exists already
        ("get", f"/api/event-orders/{eo}", None, booking_read),
        ("patch", f"/api/event-orders/{eo}", {"parking_spaces": 3}, {**eo_write, "staff": 200}),
        ("post", f"/api/event-orders/{eo}/timeline", {"kind": "setup", **when}, eo_write),
        ("delete", lambda: f"/api/event-orders/{eo}/timeline/{_take(w.kids['timeline'])}", None, eo_delete),
        ("post", f"/api/event-orders/{eo}/catering", {"kind": "lunch", "served_at": when["start"], "headcount": 1},
         eo_write),
        ("delete", lambda: f"/api/event-orders/{eo}/catering/{_take(w.kids['catering'])}", None, eo_delete),
        ("post", f"/api/event-orders/{eo}/needs", {"skill": "av", "count": 1, **when}, eo_write),
        ("delete", lambda: f"/api/event-orders/{eo}/needs/{_take(w.kids['needs'])}", None, eo_delete),
        ("post", f"/api/event-orders/{eo}/assignments", {"member": m, "role": "av", "start": _later(w, 30),
                                                         "end": _later(w, 31)}, eo_write),
        ("delete", lambda: f"/api/event-orders/{eo}/assignments/{_take(w.kids['assignments'])}", None, eo_delete),
        ("post", f"/api/event-orders/{eo}/revisions", {"note": "x"}, eo_write),
        ("get", f"/api/event-orders/{eo}/revisions", None, booking_read),
        ("get", f"/api/event-orders/{eo}/changes", None, booking_read),
        ("get", "/api/staff", None, everyone),
        ("post", "/api/staff", {"name": "ใหม่", "unit": "อาคาร", "skills": ["it"]}, {**staff_only, "staff": 201}),
        ("patch", f"/api/staff/{m}", {"phone": "081"}, person),
        ("patch", f"/api/staff/{w.linked.pk}", {"phone": "081"}, {**person, "member": 403}),
        ("post", f"/api/staff/{m}/leave", {"first_day": w.day, "last_day": w.day}, {**person, "staff": 201}),
        ("delete", lambda: f"/api/staff/{m}/leave/{_take(w.leaves)}", None, {**person, "staff": 204}),
        ("get", f"/api/staff/{m}/schedule", None, person),
        ("get", f"/api/staff/{w.linked.pk}/schedule", None, {**person, "member": 200}),
        ("get", "/api/operations/staffing", None, staff_only),
        ("get", "/api/operations/daily-limits", None, staff_only),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_api(role, world, api, staff_user):
    user = _user(role, staff_user)
    failures = []
    for method, path, body, expected in _api(world):
        path = path() if callable(path) else path
        body = body() if callable(body) else body
        res = api(method, path, body, user=user)
        if res.status_code != expected[role]:
            failures.append(f"{method.upper()} {path}: {res.status_code}, expected {expected[role]} "
                            f"{res.content[:200]}")
    assert not failures, "\n".join(failures)


def test_lists_show_only_what_the_caller_may_see(world, api, create_user):
    other = _user("planner_other", None)
    assert api("get", "/api/event-orders", user=other).json() == []
    assert [e["id"] for e in api("get", "/api/event-orders", user=_user("viewer_own", None)).json()] == [world.eo.pk]
    assert api("get", "/api/staff", user=other).json() == []
    assert [s["id"] for s in api("get", "/api/staff", user=_user("member", None)).json()] == [world.linked.pk]
    detail = api("get", f"/api/event-orders/{world.eo.pk}", user=_user("planner_own", None)).json()
    assert detail["assignments"] == [] and detail["needs"] == []  # the center's staffing stays internal


def test_every_route_has_a_row(world):
    from django.urls import get_resolver

    from config.api import api as ninja_api

    names = {row[0] for row in _pages(world)}
    resolver = get_resolver()
    ops = resolver.namespace_dict["operations"][1]
    declared = {p.name for p in ops.url_patterns}
    assert declared == names, declared ^ names
    schema = ninja_api.get_openapi_schema()
    operations = set()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            if "operations" in op.get("tags", []):
                operations.add((method, path))
    import re

    covered = set()
    for method, path, _body, _expected in _api(world):
        path = path() if callable(path) else path
        for m, p in operations:
            if m == method and re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", p), path):
                covered.add((m, p))
    assert covered == operations, operations - covered


def test_revisions_name_the_people_only_for_the_centers_staff(world, api, client, staff_user):
    """Who works the event (assignments, staff needs) stays the center's business in the revisions' and pending
    changes too, not only in the event order's own lists: the agency reads every other change."""
    from khuang.operations.selectors import revision_changes

    eo = world.eo
    services.event_order_send(eo, actor=staff_user, note="first")
    kanokwan = StaffMember.objects.create(venue=world.booking.space.venue, name="กนกวรรณ", name_en="Kanokwan",
                                          unit="โสต", skills=["av"], working_days=[0, 1, 2, 3, 4, 5, 6])
    start = datetime.fromisoformat(_later(world, 40))
    services.assignment_create(eo, kanokwan, role="av", start=start, end=start + timedelta(hours=1), actor=staff_user)
    services.need_add(eo, skill="security", count=2, start=start, end=start + timedelta(hours=1), actor=staff_user)
    services.event_order_update(eo, {"parking_spaces": 77}, actor=staff_user)
    sections = {"People assigned", "Staff needed"}

    def seen(user) -> tuple[set[str], str]:
        pending = api("get", f"/api/event-orders/{eo.pk}/changes", user=user)
        assert pending.status_code == 200
        page = (client.force_login(user), client.get(f"/ops/event-orders/{eo.pk}/", HTTP_ACCEPT_LANGUAGE="en"))[1]
        assert page.status_code == 200
        return {c["section"] for c in pending.json()["changes"]}, pending.content.decode() + page.content.decode()

    agency = {"viewer_own": _user("viewer_own", None), "planner_own": _user("planner_own", None)}
    for user in agency.values():
        found, text = seen(user)
        assert found == {"Event order"} and "Kanokwan" not in text and "กนกวรรณ" not in text
    found, text = seen(staff_user)
    assert sections < found and "Kanokwan" in text

    services.event_order_send(eo, actor=staff_user, note="second")
    for user in agency.values():
        revisions = api("get", f"/api/event-orders/{eo.pk}/revisions", user=user).json()
        assert [{c["section"] for c in r["changes"]} for r in revisions] == [set(), {"Event order"}]
        assert "Kanokwan" not in str(revisions)
    revisions = api("get", f"/api/event-orders/{eo.pk}/revisions", user=staff_user).json()
    assert sections < {c["section"] for c in revisions[1]["changes"]}
    # The PDF and the mail to the team come from the same selector.
    second = eo.revisions.get(number=2)
    assert sections < {c["section"] for c in revision_changes(second, staffing=True)}
    assert not sections & {c["section"] for c in revision_changes(second, staffing=False)}


def test_an_agency_on_a_role_that_does_not_read_it_sees_none_of_its_event_orders(world, api, create_user):
    """Event orders follow the role table like bookings do: belonging to an agency is not enough, the role must
    read its own agency's business (an executive filed under the agency does not)."""
    executive = create_user("exec_own", role="executive", agency=world.booking.agency)
    assert api("get", "/api/event-orders", user=executive).json() == []
    assert api("get", f"/api/event-orders/{world.eo.pk}", user=executive).status_code == 404
    assert not world.eo.can_view(executive)
    assert api("get", f"/api/bookings/{world.booking.pk}/equipment", user=executive).status_code == 404
