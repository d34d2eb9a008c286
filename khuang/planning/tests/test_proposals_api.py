"""Proposals through the API: who sees and edits what, the state flow, and refusals that write nothing."""

import pytest

from khuang.core.models import AuditEntry
from khuang.planning.models import Proposal

from .conftest import FY

pytestmark = pytest.mark.django_db

BODY = {"fiscal_year": FY, "ref": "P-100", "title_th": "สัมมนาเซรามิก", "title_en": "Ceramics seminar",
        "activity_type": "seminar", "days": 2, "attendees": 80, "allowed_spaces": ["HALL-A"],
        "earliest": "2027-02-01", "latest_end": "2027-02-28", "preferred_months": [2], "priority": 4}


def test_planner_creates_a_draft_for_their_own_agency(api, halls, planner_lpg):
    r = api("post", "/api/proposals", BODY, user=planner_lpg)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["agency"], body["allowed_spaces"], body["days"]) == ("draft", "LPG-IND",
                                                                                       ["HALL-A"], 2)
    assert Proposal.objects.get(ref="P-100").created_by == planner_lpg


def test_planner_cannot_propose_for_another_agency(api, halls, planner_lpg):
    r = api("post", "/api/proposals", {**BODY, "agency": "LPN-IND"}, user=planner_lpg)
    assert r.status_code == 403 and r.json()["field"] == "agency"
    assert not Proposal.objects.exists()


def test_staff_must_name_the_agency(api, halls, staff_user, agencies):
    r = api("post", "/api/proposals", BODY, user=staff_user)
    assert r.status_code == 400 and r.json()["field"] == "agency"
    r = api("post", "/api/proposals", {**BODY, "agency": "LPN-IND"}, user=staff_user)
    assert r.status_code == 201 and r.json()["agency"] == "LPN-IND"


@pytest.mark.parametrize(("change", "field"), [
    ({"days": 0}, "days"),
    ({"latest_end": "2027-02-01"}, "latest_end"),  # a one-day window for a two-day event
    ({"fixed_start": "2027-03-05"}, "fixed_start"),  # outside the window
    ({"earliest": "2026-09-01", "latest_end": "2026-09-30"}, "earliest"),  # before FY 2570 began
    ({"preferred_months": [13]}, "preferred_months"),
    ({"allowed_spaces": ["NOPE"]}, "allowed_spaces"),
    ({"activity_type": "party"}, "activity_type"),
    ({"priority": 9}, "priority"),
    ({"colour": "red"}, "colour"),
])
def test_bad_proposals_are_refused_naming_the_field_and_nothing_is_written(api, halls, planner_lpg, change, field):
    r = api("post", "/api/proposals", {**BODY, **change}, user=planner_lpg)
    assert 400 <= r.status_code < 500, r.content
    assert r.json()["field"] == field, r.json()
    assert not Proposal.objects.exists()


def test_a_reference_is_used_once_per_fiscal_year(api, halls, planner_lpg):
    assert api("post", "/api/proposals", BODY, user=planner_lpg).status_code == 201
    r = api("post", "/api/proposals", BODY, user=planner_lpg)
    assert r.status_code == 400 and r.json()["field"] == "ref"
    assert Proposal.objects.count() == 1


def test_planners_see_only_their_agency_and_staff_see_all(api, halls, planner_lpg, planner_lpn, staff_user,
                                                          create_proposal, agencies):
    create_proposal("P-001")
    other = create_proposal("P-002", agency=agencies["LPN"])
    refs = [p["ref"] for p in api("get", "/api/proposals", user=planner_lpg).json()["items"]]
    assert refs == ["P-001"]
    assert [p["ref"] for p in api("get", "/api/proposals?venue=TEST-VENUE&status=submitted",
                                  user=staff_user).json()["items"]] == ["P-001", "P-002"]
    assert api("get", f"/api/proposals?fiscal_year={FY}&agency=LPN-IND",
               user=staff_user).json()["count"] == 1
    assert api("get", f"/api/proposals/{other.pk}", user=planner_lpg).status_code == 404
    r = api("patch", f"/api/proposals/{other.pk}", {"days": 3}, user=planner_lpg)
    assert r.status_code == 404
    other.refresh_from_db()
    assert other.days == 1


def test_list_filters_are_validated(api, halls, staff_user):
    assert api("get", "/api/proposals?status=nonsense", user=staff_user).status_code == 422
    assert api("get", "/api/proposals?venue=NOWHERE", user=staff_user).status_code == 404
    assert api("get", "/api/proposals").status_code == 401


def test_edit_submit_withdraw_decline_flow(api, halls, planner_lpg, staff_user):
    pid = api("post", "/api/proposals", BODY, user=planner_lpg).json()["id"]
    r = api("patch", f"/api/proposals/{pid}", {"days": 3, "allowed_spaces": ["HALL-A", "HALL-AB"]}, user=planner_lpg)
    assert r.status_code == 200 and r.json()["days"] == 3 and r.json()["allowed_spaces"] == ["HALL-A", "HALL-AB"]
    bad = api("patch", f"/api/proposals/{pid}", {"days": 40}, user=planner_lpg)  # longer than the window
    assert bad.status_code == 422 and bad.json()["field"] == "latest_end"
    assert Proposal.objects.get(pk=pid).days == 3

    assert api("post", f"/api/proposals/{pid}/decline", {}, user=staff_user).status_code == 409  # still a draft
    assert api("post", f"/api/proposals/{pid}/submit", {}, user=planner_lpg).json()["status"] == "submitted"
    assert api("post", f"/api/proposals/{pid}/submit", {}, user=planner_lpg).status_code == 409
    assert api("post", f"/api/proposals/{pid}/withdraw", {}, user=planner_lpg).json()["status"] == "draft"
    assert api("post", f"/api/proposals/{pid}/submit", {}, user=planner_lpg).status_code == 200
    # Declining is for center staff: a planner is refused as a matter of permission.
    assert api("post", f"/api/proposals/{pid}/decline", {"reason": "x"}, user=planner_lpg).status_code == 403
    r = api("post", f"/api/proposals/{pid}/decline", {"reason": "No budget this year"}, user=staff_user)
    assert r.json()["status"] == "declined"
    # Declined: the planner can no longer change it.
    assert api("patch", f"/api/proposals/{pid}", {"days": 2}, user=planner_lpg).status_code == 403
    trail = AuditEntry.objects.filter(object_id=pid, action="status").order_by("pk")
    trail = list(trail.values_list("to_state", "reason"))
    assert trail[-1] == ("declined", "No budget this year")


def test_template_download_has_thai_and_english_headers(api, staff_user):
    from io import BytesIO

    from openpyxl import load_workbook

    r = api("get", "/api/proposals/template.xlsx", user=staff_user)
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    headers = [c.value for c in load_workbook(BytesIO(r.content)).active[1]]
    assert "จำนวนวันจัดงาน / Event days" in headers and "รหัสข้อเสนอ / Reference" in headers
