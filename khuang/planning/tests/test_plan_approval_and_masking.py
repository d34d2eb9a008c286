"""Approval you can trust (a confirmation listing the holds, items changed since the run skipped and named) and
explanations that name other agencies' private bookings and proposals only as the diary does."""

import re
from datetime import date

import pytest

from khuang.bookings.models import Booking
from khuang.planning import services
from khuang.planning.models import Plan, PlanItem, PlanStatus, Proposal

from .conftest import FY

pytestmark = pytest.mark.django_db
TH = {"HTTP_ACCEPT_LANGUAGE": "th"}


def _solve(staff_user, venue) -> Plan:
    return services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, run_now=True, time_limit=2,
                                   workers=1)


@pytest.fixture
def three(create_proposal, agencies):
    return [
        create_proposal("P-001", days=3, allowed=["HALL-A"], priority=5, preferred_months=[1]),
        create_proposal("P-002", days=2, allowed=["HALL-A", "HALL-B"], agency=agencies["LPN"]),
        create_proposal("P-003", days=2, attendees=1000, layout="theatre", priority=4),
    ]


def test_the_confirmation_page_lists_the_holds_and_a_declined_proposal_is_skipped(client, halls, three, staff_user,
                                                                                  venue):
    plan = _solve(staff_user, venue)
    assert plan.items.filter(space__isnull=False).count() == 3
    # After the run, staff decline P-002.
    services.proposal_set_status(Proposal.objects.get(ref="P-002"), "declined", actor=staff_user, reason="budget")
    client.force_login(staff_user)
    # The plan page's button leads to the confirmation; nothing is made by looking at it.
    html = client.get(f"/plan/plans/{plan.pk}/", **TH).content.decode()
    assert f'href="/plan/plans/{plan.pk}/approve/"' in html
    r = client.get(f"/plan/plans/{plan.pk}/approve/", **TH)
    assert r.status_code == 200 and not Booking.objects.exists()
    page = r.content.decode()
    holds = re.findall(r'<tr data-ref="(P-\d+)">', page)
    assert holds == sorted(holds, key=lambda ref: plan.items.get(proposal__ref=ref).start) and set(holds) == {
        "P-001", "P-003"}
    assert "จะสร้างการจองลำดับแรก 2 รายการ" in page
    assert re.search(r'data-ref="P-002" data-reason="declined">.*ถูกปฏิเสธหลังการคำนวณ', page)
    assert "อนุมัติและสร้างการจอง 2 รายการ" in page
    confirm = re.findall(r'name="confirm" value="(P-\d+)"', page)
    r = client.post(f"/plan/plans/{plan.pk}/approve/", {"confirmed": "1", "confirm": confirm}, **TH)
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    made = PlanItem.objects.filter(plan=plan, booking_id__isnull=False).values_list("proposal__ref", flat=True)
    assert sorted(made) == ["P-001", "P-003"] and Booking.objects.count() == 2
    p2 = Proposal.objects.get(ref="P-002")
    assert p2.status == "declined"  # not brought back to life
    assert not Booking.objects.filter(title=p2.title_th).exists()
    after = client.get(f"/plan/plans/{plan.pk}/", **TH).content.decode()
    assert "P-002 (ถูกปฏิเสธหลังการคำนวณ)" in after  # the message names what was skipped


def test_a_decline_between_confirmation_and_click_refuses_and_shows_the_new_list(client, halls, three, staff_user,
                                                                                 venue):
    plan = _solve(staff_user, venue)
    client.force_login(staff_user)
    confirm = re.findall(r'name="confirm" value="(P-\d+)"',
                         client.get(f"/plan/plans/{plan.pk}/approve/").content.decode())
    assert sorted(confirm) == ["P-001", "P-002", "P-003"]
    services.proposal_set_status(Proposal.objects.get(ref="P-003"), "declined", actor=staff_user)
    r = client.post(f"/plan/plans/{plan.pk}/approve/", {"confirmed": "1", "confirm": confirm}, **TH)
    assert r.status_code == 409
    page = r.content.decode()
    assert "แผนเปลี่ยนไปหลังจากแสดงหน้ายืนยัน" in page and 'data-reason="declined"' in page
    assert not Booking.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLVED


def test_api_approval_preview_and_skipped_items(api, halls, three, staff_user, planner_lpg, venue):
    plan = _solve(staff_user, venue)
    services.proposal_set_status(Proposal.objects.get(ref="P-001"), "declined", actor=staff_user)
    assert api("get", f"/api/plans/{plan.pk}/approval", user=planner_lpg).status_code == 403
    preview = api("get", f"/api/plans/{plan.pk}/approval", user=staff_user).json()
    assert set(preview["holds"]) == {"P-002", "P-003"}
    assert preview["skipped"] == [{"ref": "P-001", "reason": "declined", "message": "declined since the run"}]
    stale = api("post", f"/api/plans/{plan.pk}/approve", {"confirm": ["P-001", "P-002", "P-003"]}, user=staff_user)
    assert stale.status_code == 409 and stale.json()["field"] == "confirm" and not Booking.objects.exists()
    bad = api("post", f"/api/plans/{plan.pk}/approve", {"confirm": "P-002"}, user=staff_user)
    assert bad.status_code == 400 and bad.json()["field"] == "confirm"
    r = api("post", f"/api/plans/{plan.pk}/approve", {"confirm": preview["holds"]}, user=staff_user)
    assert r.status_code == 200, r.content
    body = r.json()
    assert len(body["holds"]) == 2 and body["skipped"][0]["ref"] == "P-001"
    assert Proposal.objects.get(ref="P-001").status == "declined"
    # A decline after approval is refused: the proposal is approved now.
    r = api("post", f"/api/proposals/{Proposal.objects.get(ref='P-002').pk}/decline", {"reason": ""},
            user=staff_user)
    assert r.status_code == 409


# ---------------------------------------------------------------- masking

SECRET = "SECRET merger talks"


@pytest.fixture
def blocked(halls, create_proposal, create_booking, agencies, bkk, staff_user, venue):
    """LPN's P-010 wants Hall A on 12–13 January, which LPG holds for a private meeting; LPN's P-011 wants MR-1
    on 20 January, where LPG's higher-priority P-012 ("ประชุมลับ") also has to be."""
    create_booking(space=halls["HALL-A"], start=bkk(2027, 1, 11, 8), hours=24 * 4, title=SECRET,
                   agency=agencies["LPG"])
    create_proposal("P-010", agency=agencies["LPN"], allowed=["HALL-A"], earliest=date(2027, 1, 12),
                    latest_end=date(2027, 1, 13), days=2, title_th="งาน LPN")
    create_proposal("P-011", agency=agencies["LPN"], allowed=["MR-1"], fixed_start=date(2027, 1, 20),
                    attendees=20, priority=1, title_th="อบรม LPN")
    create_proposal("P-012", agency=agencies["LPG"], allowed=["MR-1"], fixed_start=date(2027, 1, 20),
                    attendees=20, priority=5, title_th="ประชุมลับ", title_en="Closed-door board")
    plan = _solve(staff_user, venue)
    items = {i.proposal.ref: i for i in plan.items.select_related("proposal")}
    assert not items["P-010"].scheduled and not items["P-011"].scheduled and items["P-012"].scheduled
    return plan


def _why(html: str, ref: str) -> str:
    row = re.search(rf'<tr id="item-\d+" data-ref="{ref}">(.*?)</tr>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1)))


def test_another_agencys_planner_sees_private_titles_masked_on_the_page(client, blocked, planner_lpn, staff_user):
    client.force_login(planner_lpn)
    html = client.get(f"/plan/plans/{blocked.pk}/", **TH).content.decode()
    assert SECRET not in html and "ประชุมลับ" not in html and "Closed-door" not in html
    p10, p11 = _why(html, "P-010"), _why(html, "P-011")
    assert "HALL-A" in p10 and ("มีการจอง" in p10)  # something is booked there: not what
    assert "กิจกรรมในแผนของหน่วยงานอื่น" in p11 and "MR-1" in p11
    client.force_login(staff_user)
    html = client.get(f"/plan/plans/{blocked.pk}/", **TH).content.decode()
    assert SECRET in _why(html, "P-010") and "ประชุมลับ" in _why(html, "P-011")


def test_another_agencys_planner_sees_private_titles_masked_in_the_api(api, blocked, planner_lpn, staff_user):
    body = api("get", f"/api/plans/{blocked.pk}", user=planner_lpn).json()
    text = str(body)
    assert SECRET not in text and "ประชุมลับ" not in text and "Closed-door" not in text
    items = {i["ref"]: i for i in body["items"]}
    assert set(items) == {"P-010", "P-011"}  # their own items only
    e10, e11 = items["P-010"]["explanation"], items["P-011"]["explanation"]
    assert e10["message"] and "_" not in e10["message"]  # words, not a code
    assert {(r["kind"], r["space"], r["title"]) for r in e10["in_the_way"]} >= {("busy", "HALL-A", "Booked")}
    assert ("activity", "MR-1", "Another agency's planned activity") in {
        (r["kind"], r["space"], r["title"]) for r in e11["in_the_way"]}
    staff = str(api("get", f"/api/plans/{blocked.pk}", user=staff_user).json())
    assert SECRET in staff and "P-012" in staff


def test_full_days_are_named_when_the_team_limit_binds(client, api, halls, create_proposal, staff_user, venue):
    services.planning_settings_save(venue, {"max_events_per_day": 1, "max_moveins_per_day": 1}, actor=staff_user)
    create_proposal("P-020", fixed_start=date(2027, 1, 14), allowed=["HALL-A"], priority=5)
    create_proposal("P-021", fixed_start=date(2027, 1, 14), allowed=["HALL-B"], priority=2)
    plan = _solve(staff_user, venue)
    item = plan.items.get(proposal__ref="P-021")
    assert not item.scheduled and item.explanation["reason"] == "day_limit"
    assert plan.parts["max_events_in_a_day"] == 1
    client.force_login(staff_user)
    row = _why(client.get(f"/plan/plans/{plan.pk}/", **TH).content.decode(), "P-021")
    assert "วันที่จัดได้มีกิจกรรมหรือการขนของเข้าเต็มจำนวนที่ทีมดูแลได้แล้ว" in row
    assert "วันที่เต็มแล้ว: 14 ม.ค. 2570" in row
    e = next(i for i in api("get", f"/api/plans/{plan.pk}", user=staff_user).json()["items"]
             if i["ref"] == "P-021")["explanation"]
    assert e["reason"] == "day_limit" and e["full_days"] == ["2027-01-14"]
