import pytest

from khuang.venues.models import Space

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(create_space):
    a = create_space("HALL-A", kind="hall", capacity_theatre=1000, booth_count=60)
    b = create_space("HALL-B", kind="hall", capacity_theatre=800, booth_count=40)
    ab = create_space("HALL-AB", kind="hall", capacity_theatre=1800, booth_count=100, parts=[a, b])
    return a, b, ab


def test_list_shows_combined_space_with_parts_and_filters(api, hall, create_space):
    create_space("MR-1", capacity_theatre=30, capacity_classroom=20)
    items = api("get", "/api/spaces").json()["items"]
    by_code = {s["code"]: s for s in items}
    assert by_code["HALL-AB"]["parts"] == ["HALL-A", "HALL-B"]
    assert by_code["HALL-A"]["parts"] == []
    big = api("get", "/api/spaces?min_capacity=900").json()["items"]
    assert {s["code"] for s in big} == {"HALL-A", "HALL-AB"}
    booths = api("get", "/api/spaces?min_capacity=50&layout=booths").json()["items"]
    assert {s["code"] for s in booths} == {"HALL-A", "HALL-AB"}
    halls = api("get", "/api/spaces?kind=hall&limit=2").json()
    assert halls["count"] == 3 and len(halls["items"]) == 2


def test_unknown_space_is_404_json(api):
    res = api("get", "/api/spaces/NOPE")
    assert res.status_code == 404
    assert "NOPE" in res.json()["detail"]


def test_staff_create_space_and_others_refused(api, staff_user, create_user, venue):
    payload = {"venue": venue.code, "code": "MR-9", "name_th": "ห้อง 9", "name_en": "Room 9",
               "kind": "meeting_room", "capacity_classroom": 40}
    assert api("post", "/api/spaces", payload).status_code == 401
    planner = create_user()
    assert api("post", "/api/spaces", payload, user=planner).status_code == 403
    res = api("post", "/api/spaces", payload, user=staff_user)
    assert res.status_code == 201, res.content
    assert res.json()["capacity"]["classroom"] == 40
    assert Space.objects.filter(code="MR-9").exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "HALL-A"}, "code"),
        ({"capacity_theatre": -5}, "capacity_theatre"),
        ({"capacity_theatre": "many"}, "capacity_theatre"),
        ({"parts": ["HALL-A"]}, "parts"),
        ({"parts": ["GHOST", "HALL-A"]}, "parts"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_bad_space_is_refused_naming_the_field_and_writes_nothing(api, staff_user, hall, venue, payload, field):
    body = {"venue": venue.code, "code": "NEW-1", "name_th": "ใหม่", "name_en": "New", "kind": "hall", **payload}
    before = Space.objects.count()
    res = api("post", "/api/spaces", body, user=staff_user)
    assert res.status_code in (400, 404, 409, 422)
    assert res.json()["field"] == field
    assert Space.objects.count() == before


def test_part_from_another_venue_is_refused(api, staff_user, hall, create_venue, create_space):
    other = create_venue("OTHER")
    create_space("FAR", venue=other)
    res = api("post", "/api/spaces", {"venue": "TEST-VENUE", "code": "MIX", "name_th": "ผสม", "name_en": "Mix",
                                      "kind": "hall", "parts": ["HALL-A", "FAR"]}, user=staff_user)
    assert res.status_code == 422
    assert res.json()["field"] == "parts" and "FAR" in res.json()["detail"]


def test_cycle_of_parts_is_refused_and_parts_unchanged(api, staff_user, hall):
    a, b, ab = hall
    c = Space.objects.create(venue=a.venue, code="HALL-C", name_th="C", name_en="C", kind="hall")
    res = api("patch", "/api/spaces/HALL-A", {"parts": ["HALL-AB", "HALL-C"]}, user=staff_user)
    assert res.status_code == 422 and res.json()["field"] == "parts"
    assert list(a.parts.all()) == []
    assert c.pk


def test_errors_follow_request_language(api, staff_user, hall):
    res = api("get", "/api/spaces/NOPE", lang="th")
    assert res.status_code == 404
    assert "ไม่พบ" in res.json()["detail"]


def test_token_command_prints_a_working_token(staff_user, hall, client):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "staff", stdout=out)
    token = out.getvalue().strip()
    res = client.patch("/api/spaces/HALL-A", data='{"notes": "checked"}', content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")
    assert res.status_code == 200
    assert Space.objects.get(code="HALL-A").notes == "checked"
    res = client.patch("/api/spaces/NOPE", data='{"notes": "x"}', content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer wrong")
    assert res.status_code == 401
