"""Who may do what, for every exhibitions page and API operation: anonymous, the organiser's viewer, a planner of
another agency, the organiser's planner, center staff, a finance officer, and the exhibitor's private token.

Refusals change nothing, so each operation is tried by the roles from least to most allowed on one setup."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from khuang.accounts.models import ApiToken
from khuang.exhibitions import billing, services
from khuang.exhibitions.models import BoothClaim, Exhibition

pytestmark = pytest.mark.django_db
ROLES = ("anon", "viewer", "other", "planner", "staff")


@pytest.fixture
def world(exhibition, apply_to, people, create_user, staff_user, settings, tmp_path):
    """An exhibition of the organiser's, with an accepted exhibitor holding a document and a reservation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    app = apply_to(exhibition, "Indra", documents=[("registration", SimpleUploadedFile(
        "reg.pdf", b"%PDF-1.4 test", content_type="application/pdf"))])
    services.claim_reserve(exhibition, "A11", app, actor=staff_user)
    other_app = apply_to(exhibition, "Other exhibitor", category="community")
    run = services.run_start(exhibition, actor=staff_user, time_limit=2, run_now=True)
    people["finance"] = create_user("expo-finance", role="finance_officer")
    return {"ex": exhibition, "app": app, "other_app": other_app, "run": run, "people": people,
            "doc": app.documents.get()}


def _client(world, role: str) -> Client:
    client = Client()
    if role != "anon":
        client.force_login(world["people"][role])
    return client


def _api(world, role: str, method: str, path: str, body=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if role != "anon":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(world['people'][role])[1]}"
    kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
    return getattr(Client(), method)(path, **kwargs, **headers)


def _check(world, expected: dict[str, int], call) -> None:
    got = {role: call(role).status_code for role in expected}
    assert got == expected


# ---------------------------------------------------------------- pages

PAGE_GETS = [
    ("/expo/", {"anon": 302, "viewer": 200, "other": 403, "planner": 200, "staff": 200}),
    ("/expo/plans/", {"anon": 302, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
    ("/expo/plans/{plan}/", {"anon": 302, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
    ("/expo/plans/{plan}/layout.json", {"anon": 302, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
    ("/expo/plans/{plan}/layout.csv", {"anon": 302, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
    ("/expo/{ex}/", {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/booths.json", {"anon": 302, "viewer": 403, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/applications/", {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/applications/{app}/", {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/applications/{app}/documents/{doc}/",
     {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/runs/{run}/", {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/{ex}/runs/{run}/progress/", {"anon": 302, "viewer": 200, "other": 404, "planner": 200, "staff": 200}),
    ("/expo/new/?booking={booking}", {"anon": 302, "viewer": 403, "other": 404, "planner": 200, "staff": 200}),
    ("/events/{booking}/exhibitors/", {"anon": 200, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
    ("/events/{booking}/apply/", {"anon": 200, "viewer": 200, "other": 200, "planner": 200, "staff": 200}),
]


def _fill(world, path: str) -> str:
    ex = world["ex"]
    return path.format(plan=ex.floor_plan_id, ex=ex.pk, app=world["app"].pk, doc=world["doc"].pk,
                       run=world["run"].pk, booking=ex.booking_id)


@pytest.mark.parametrize(("path", "expected"), PAGE_GETS, ids=[p for p, _ in PAGE_GETS])
def test_page_reads(world, path, expected):
    if "/new/" in path:  # a booking without an exhibition yet
        Exhibition.objects.filter(pk=world["ex"].pk).delete()
    _check(world, expected, lambda role: _client(world, role).get(_fill(world, path)))


def test_page_writes(world):
    ex, app = world["ex"], world["app"]
    post = lambda path, data: (lambda role: _client(world, role).post(_fill(world, path), data))  # noqa: E731
    no_staff = {"anon": 302, "viewer": 403, "other": 403, "planner": 403}
    _check(world, {**no_staff, "staff": 302}, post("/expo/plans/new/", {
        "space": ex.floor_plan.space_id, "name_th": "ผังใหม่", "width_m": 20, "depth_m": 10}))
    _check(world, {**no_staff, "staff": 302}, post("/expo/plans/{plan}/copy/", {}))
    csv_text = _client(world, "staff").get(_fill(world, "/expo/plans/{plan}/layout.csv")).content
    _check(world, {**no_staff, "staff": 302}, lambda role: _client(world, role).post(
        _fill(world, "/expo/plans/{plan}/import/"), {"file": SimpleUploadedFile("plan.csv", csv_text)}))
    managers = {"anon": 302, "viewer": 403, "other": 404}
    _check(world, {**managers, "planner": 302, "staff": 302}, post("/expo/{ex}/settings/", {
        "hold_days": 7, "deposit_pct": 40, "competitor_distance_m": 0, "community_prime_quota": 1,
        "application_deadline": "10/1/2590",  # typed in the Buddhist Era
        **{f"price__{cls}__{cat}": 6500 for cls in ("standard", "corner")
           for cat in ("community", "sme", "corporate", "government")}}))
    ex.refresh_from_db()
    assert ex.deposit_pct == 40
    assert ex.application_deadline.isoformat() == "2047-01-10"
    _check(world, {**managers, "planner": 302, "staff": 302},
           lambda role: _client(world, role).post(_fill(world, "/expo/{ex}/booths/"), {
               "action": "block", "booth": {"planner": "B11", "staff": "B12"}.get(role, "B21")}))
    assert set(BoothClaim.objects.filter(status="blocked").values_list("booth__code", flat=True)) == {"B11", "B12"}
    _check(world, {**managers, "planner": 302, "staff": 302}, post("/expo/{ex}/applications/{app}/", {
        "form": "optimizer", "priority_points": 9}))
    _check(world, {**managers, "planner": 302, "staff": 302}, post("/expo/{ex}/runs/", {"time_limit": 2}))
    _check(world, {**managers, "planner": 302}, post(f"/expo/{{ex}}/runs/{world['run'].pk}/apply/", {}))
    # The money forms: center staff and finance officers bill, finance officers invoice.
    bill = {"anon": 302, "viewer": 403, "other": 404, "planner": 403}
    _check(world, {**bill, "staff": 302}, post("/expo/{ex}/applications/{app}/", {"form": "bill"}))
    app.refresh_from_db()
    assert app.quotation is not None
    assert _client(world, "staff").post(_fill(world, "/expo/{ex}/applications/{app}/"),
                                        {"form": "invoice", "kind": "deposit"}).status_code == 403
    # Finance officers see every exhibition (to bill) but manage none.
    finance = _client(world, "finance")
    assert finance.get(_fill(world, "/expo/{ex}/applications/{app}/")).status_code == 200
    assert finance.post(_fill(world, "/expo/{ex}/applications/{app}/"),
                        {"form": "invoice", "kind": "deposit"}).status_code == 302
    assert finance.post(_fill(world, "/expo/{ex}/settings/"), {"hold_days": 3}).status_code == 403


def test_setting_up_an_exhibition_from_a_page(world, fair_booking, staff_user):
    from khuang.bookings.services import BookingDraft, booking_create

    start = fair_booking.start + timedelta(days=60)
    booking = booking_create(BookingDraft(space=fair_booking.space, title="Next fair", start=start,
                                          end=start + timedelta(hours=8), status="confirmed",
                                          agency=fair_booking.agency, is_public=True), actor=staff_user)
    body = {"booking": booking.pk, "floor_plan": world["ex"].floor_plan_id}
    _check(world, {"anon": 302, "viewer": 403, "other": 404, "planner": 302},
           lambda role: _client(world, role).post("/expo/new/", body))
    assert Exhibition.objects.filter(booking=booking).exists()


def test_public_application_form_and_the_exhibitors_private_page(world, client):
    ex, app = world["ex"], world["app"]
    res = client.post(f"/events/{ex.booking_id}/apply/", {
        "company_name": "บ้านศาลาบัวบก", "contact_name": "คุณสมศรี", "email": "new@example.org", "phone": "0812345678",
        "province": "Lampang", "category": "community", "community_reg_no": "5-52", "product_category": "ceramics",
        "booths_wanted": "1", "public_listing": "on"})
    assert res.status_code == 302 and res["Location"].startswith("/exhibitor/")
    assert client.get(res["Location"]).status_code == 200
    assert client.get(f"/exhibitor/{app.token}/").status_code == 200
    assert client.get(f"/exhibitor/{app.token}x/").status_code == 404
    assert client.get(f"/exhibitor/{app.token}/documents/{world['doc'].pk}/").status_code == 200
    other = world["other_app"]
    assert client.get(f"/exhibitor/{other.token}/documents/{world['doc'].pk}/").status_code == 404
    assert client.post(f"/exhibitor/{app.token}/", {"action": "listing"}).status_code == 302
    app.refresh_from_db()
    assert app.public_listing is False
    assert client.post(f"/exhibitor/{app.token}/", {"action": "sales", "sales_thb": "100"}).status_code == 409


# ---------------------------------------------------------------- API

def test_api_floor_plans(world):
    plan = world["ex"].floor_plan
    signed_in = {"viewer": 200, "other": 200, "planner": 200, "staff": 200}
    _check(world, {"anon": 401, **signed_in}, lambda r: _api(world, r, "get", "/api/floorplans"))
    _check(world, {"anon": 401, **signed_in}, lambda r: _api(world, r, "get", f"/api/floorplans/{plan.pk}"))
    body = {"space": plan.space.code, "venue": plan.space.venue.code, "name_th": "ผัง", "width_m": 10,
            "depth_m": 10}
    staff_only = {"anon": 401, "viewer": 403, "other": 403, "planner": 403}
    _check(world, {**staff_only, "staff": 201}, lambda r: _api(world, r, "post", "/api/floorplans", body))
    layout = _api(world, "staff", "get", f"/api/floorplans/{plan.pk}").json()["layout"]
    _check(world, {**staff_only, "staff": 200},
           lambda r: _api(world, r, "put", f"/api/floorplans/{plan.pk}/layout", layout))
    csv_text = _client(world, "staff").get(f"/expo/plans/{plan.pk}/layout.csv").content.decode()
    _check(world, {**staff_only, "staff": 200}, lambda r: _api(
        world, r, "post", f"/api/floorplans/{plan.pk}/import", {"format": "csv", "text": csv_text}))


def test_api_exhibitions_and_booths(world, fair_booking, create_space, staff_user):
    ex = world["ex"]
    _check(world, {"anon": 401, "viewer": 200, "other": 200, "planner": 200, "staff": 200},
           lambda r: _api(world, r, "get", "/api/exhibitions"))
    assert _api(world, "other", "get", "/api/exhibitions").json() == []
    seen = {"anon": 401, "viewer": 200, "other": 404, "planner": 200, "staff": 200}
    _check(world, seen, lambda r: _api(world, r, "get", f"/api/exhibitions/{ex.pk}"))
    _check(world, seen, lambda r: _api(world, r, "get", f"/api/exhibitions/{ex.pk}/booths"))
    names = {r["code"]: r["exhibitor_name"] for r in _api(world, "viewer", "get",
                                                          f"/api/exhibitions/{ex.pk}/booths").json()}
    assert names["A11"] is None  # viewers see states, not who holds them
    manage = {"anon": 401, "viewer": 403, "other": 404}
    prices = {"prices": [{"price_class": "standard", "category": c, "price_thb": 5000}
                         for c in ("community", "sme", "corporate", "government")]
              + [{"price_class": "corner", "category": c, "price_thb": 7000}
                 for c in ("community", "sme", "corporate", "government")]}
    _check(world, {**manage, "planner": 200, "staff": 200},
           lambda r: _api(world, r, "put", f"/api/exhibitions/{ex.pk}/prices", prices))
    app = world["app"]
    _check(world, {**manage, "planner": 201, "staff": 201}, lambda r: _api(
        world, r, "post", f"/api/exhibitions/{ex.pk}/claims",
        {"booth": {"planner": "A12", "staff": "A21"}.get(r, "A22"), "application": app.pk, "action": "sell"}))
    claim = BoothClaim.objects.get(booth__code="A12", status="sold")
    _check(world, {**manage, "planner": 200}, lambda r: _api(
        world, r, "post", f"/api/exhibitions/{ex.pk}/claims/{claim.pk}/release", {"reason": "moved"}))
    _check(world, {**manage, "planner": 201, "staff": 201}, lambda r: _api(
        world, r, "post", f"/api/exhibitions/{ex.pk}/booths/{ {'planner': 'B11', 'staff': 'B12'}.get(r, 'B21') }"
                          "/block", {"reason": "desk"}))
    _check(world, {**manage, "planner": 200}, lambda r: _api(
        world, r, "post", f"/api/exhibitions/{ex.pk}/booths/B11/unblock"))
    # A new exhibition: the organiser's planner on its booking, not a viewer or another agency.
    Exhibition.objects.filter(pk=ex.pk).update(booking=_second_booking(fair_booking, staff_user))
    body = {"booking": fair_booking.pk, "floor_plan": ex.floor_plan_id}
    _check(world, {"anon": 401, "viewer": 403, "other": 404, "planner": 201},
           lambda r: _api(world, r, "post", "/api/exhibitions", body))


def _second_booking(fair_booking, staff_user):
    from khuang.bookings.services import BookingDraft, booking_create

    start = fair_booking.start + timedelta(days=40)
    return booking_create(BookingDraft(space=fair_booking.space, title="Another fair", start=start,
                                       end=start + timedelta(hours=8), status="confirmed",
                                       agency=fair_booking.agency, is_public=True), actor=staff_user)


def test_api_applications_and_decisions(world):
    ex, app = world["ex"], world["app"]
    seen = {"anon": 401, "viewer": 200, "other": 404, "planner": 200, "staff": 200}
    _check(world, seen, lambda r: _api(world, r, "get", f"/api/exhibitions/{ex.pk}/applications"))
    _check(world, seen, lambda r: _api(world, r, "get", f"/api/applications/{app.pk}"))
    manage = {"anon": 401, "viewer": 403, "other": 404, "planner": 200, "staff": 200}
    _check(world, manage, lambda r: _api(world, r, "patch", f"/api/applications/{app.pk}", {"priority_points": 7}))
    _check(world, manage, lambda r: _api(world, r, "post", f"/api/applications/{app.pk}/decision",
                                         {"decision": "accept"}))
    # Sales: the fair has not begun, so managers get 409 — the permission comes first.
    _check(world, {**manage, "planner": 409, "staff": 409}, lambda r: _api(
        world, r, "post", f"/api/applications/{world['other_app'].pk}/sales", {"amount_thb": "100"}))
    body = {"company_name": "Apply", "contact_name": "C", "phone": "081 234 5678", "province": "Lampang",
            "category": "sme", "product_category": "food"}
    _check(world, {r: 201 for r in ROLES}, lambda r: _api(world, r, "post", f"/api/exhibitions/{ex.pk}/applications",
                                                          {**body, "email": f"{r}@example.org"}))


def test_api_runs(world):
    ex, run = world["ex"], world["run"]
    manage = {"anon": 401, "viewer": 403, "other": 404}
    _check(world, {**manage, "planner": 201, "staff": 201},
           lambda r: _api(world, r, "post", f"/api/exhibitions/{ex.pk}/assignment-runs", {"time_limit": 2}))
    _check(world, {"anon": 401, "viewer": 200, "other": 404, "planner": 200, "staff": 200},
           lambda r: _api(world, r, "get", f"/api/assignment-runs/{run.pk}"))
    _check(world, {**manage, "planner": 200}, lambda r: _api(world, r, "post",
                                                            f"/api/assignment-runs/{run.pk}/apply"))


def test_api_billing(world):
    app = world["app"]
    base = {"anon": 401, "viewer": 403, "other": 404, "planner": 403}
    _check(world, {**base, "staff": 201}, lambda r: _api(world, r, "post", f"/api/applications/{app.pk}/bill"))
    world["people"]["finance"]  # noqa: B018 - the finance officer below
    _check(world, {**base, "staff": 403}, lambda r: _api(world, r, "post", f"/api/applications/{app.pk}/invoices",
                                                         {"kind": "deposit"}))
    res = _api(world, "finance", "post", f"/api/applications/{app.pk}/invoices", {"kind": "deposit"})
    assert res.status_code == 201 and res.json()["instalments"][0]["invoice"].startswith("INV-")


def test_api_token_and_public(world, client):
    app, ex = world["app"], world["ex"]
    assert client.get(f"/api/exhibitor/{app.token}").status_code == 200
    assert client.get("/api/exhibitor/not-a-token").status_code == 404
    res = client.post(f"/api/exhibitor/{app.token}/sales", data={"amount_thb": "100"},
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 409 and res.json()["field"] == "sales_thb"
    assert client.post("/api/exhibitor/nope/sales", data={"amount_thb": "1"},
                       content_type="application/json").status_code == 404
    listed = client.get(f"/api/events/{ex.booking_id}/exhibitors").json()
    assert [e["name"] for e in listed] == ["Indra"] and listed[0]["booths"] == ["A11"]
    assert "email" not in listed[0]
    type(ex.booking).objects.filter(pk=ex.booking_id).update(is_public=False)
    assert client.get(f"/api/events/{ex.booking_id}/exhibitors").status_code == 404
    assert client.get(f"/events/{ex.booking_id}/exhibitors/").status_code == 404


def test_billing_is_refused_to_the_exhibitor_token_holder(world, client):
    # A token opens the exhibitor's page, never the managers' operations.
    app = world["app"]
    assert client.post(f"/api/applications/{app.pk}/bill",
                       HTTP_AUTHORIZATION=f"Bearer {app.token}").status_code == 401
    assert billing.exhibitor_money(app) is None
    assert timezone.now()
