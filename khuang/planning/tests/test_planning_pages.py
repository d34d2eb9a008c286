"""The planning pages through the test client: board with the season overlay, proposals, import, runs, plans."""

import re
from datetime import date

import pytest

from khuang.bookings.models import Booking
from khuang.planning import services
from khuang.planning.models import Plan, PlanItem, PlanStatus, Proposal

from .conftest import FY

pytestmark = pytest.mark.django_db
TH = {"HTTP_ACCEPT_LANGUAGE": "th"}


@pytest.fixture
def festivals(db):
    from khuang.public.services import tourism_seed

    tourism_seed()


@pytest.fixture
def three(create_proposal, agencies):
    return [
        create_proposal("P-001", days=3, allowed=["HALL-A"], priority=5, preferred_months=[1]),
        create_proposal("P-002", days=2, allowed=["HALL-A", "HALL-B"], agency=agencies["LPN"]),
        create_proposal("P-003", days=2, attendees=1000, layout="theatre", priority=4),
    ]


def _solve(staff_user, venue) -> Plan:
    return services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, run_now=True, time_limit=2,
                                   workers=1)


def _get(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, **TH, **kw)


def test_board_shows_holidays_festivals_seasons_and_be_months(client, halls, staff_user, festivals, venue):
    r = _get(client, staff_user, f"/plan/?fy={FY}&month=2027-02&venue={venue.code}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "วันมาฆบูชา" in html  # a Thai public holiday from the holidays package, in Thai
    assert "ประเพณีแห่สลุงหลวง" not in html  # April's festival is not in February
    assert "งานขันโตกช้าง" in html  # a Lampang festival from the public app's calendar
    assert "ฤดูหนาว" in html and "ฤดูร้อน" in html  # the seasons turn mid-February
    assert "ก.พ. 2570" in html and "ต.ค. 2569" in html  # month tabs in the Buddhist Era
    heading = r'<th scope="col" class="day-col[^"]*holiday[^"]*"[^>]*data-day="%s"'
    assert re.search(heading % "2027-02-21", html)  # Makha Bucha (a Sunday) …
    assert re.search(heading % "2027-02-22", html)  # … and its substitution day
    assert re.search(heading % "2027-02-10", html) is None
    year = _get(client, staff_user, f"/plan/?fy={FY}&view=year")
    assert year.status_code == 200
    text = year.content.decode()
    assert "ช่วงฤดูท่องเที่ยว (ไฮซีซัน) ภาคเหนือ" in text and "เทศกาลสงกรานต์" in text
    assert text.count("high-tag") == 4  # Nov, Dec, Jan, Feb


def test_board_default_is_the_current_fiscal_year(client, halls, staff_user):
    from django.utils import timezone

    from khuang.core.thaidates import fiscal_year

    r = _get(client, staff_user, "/plan/")
    assert r.status_code == 200 and r.context["fy"] == fiscal_year(timezone.localdate())


def test_board_shows_the_latest_plan_items_and_diary_bookings(client, halls, three, staff_user, venue,
                                                               create_booking, bkk):
    plan = _solve(staff_user, venue)
    item = plan.items.filter(proposal__ref="P-001").select_related("space").get()
    create_booking(halls["MR-1"], bkk(2027, 1, 20, 9), title="ประชุมคณะกรรมการ")
    r = _get(client, staff_user, f"/plan/?fy={FY}&month=2027-01")
    html = r.content.decode()
    cell = re.search(rf'data-space="{item.space.code}" data-day="{item.start.isoformat()}">(.*?)</td>', html, re.S)
    assert cell and "P-001" in cell.group(1)
    assert "ประชุมคณะกรรมการ" in html
    assert f"/plan/plans/{plan.pk}/" in html


def test_planning_pages_need_a_member(client, halls, create_user):
    assert client.get("/plan/").status_code == 302  # to the login page
    viewer = create_user("viewer", role="viewer")
    client.force_login(viewer)
    assert client.get("/plan/").status_code == 403
    assert client.get("/plan/proposals/").status_code == 403


def test_planners_see_their_agency_proposals_and_staff_all(client, halls, three, planner_lpg, staff_user):
    r = _get(client, planner_lpg, f"/plan/proposals/?fy={FY}")
    assert r.status_code == 200
    refs = [p.ref for p in r.context["page"]]
    assert refs == ["P-001", "P-003"]
    r = _get(client, staff_user, f"/plan/proposals/?fy={FY}")
    assert [p.ref for p in r.context["page"]] == ["P-001", "P-002", "P-003"]
    other = Proposal.objects.get(ref="P-002")
    assert _get(client, planner_lpg, f"/plan/proposals/{other.pk}/").status_code == 404


def test_proposal_list_is_paginated(client, halls, create_proposal, staff_user):
    for n in range(30):
        create_proposal(f"P-{n:03d}")
    r = _get(client, staff_user, f"/plan/proposals/?fy={FY}")
    assert len(r.context["page"]) == 25 and r.context["page"].has_next()
    assert len(_get(client, staff_user, f"/plan/proposals/?fy={FY}&page=2").context["page"]) == 5


def test_a_planner_proposes_edits_and_submits(client, halls, planner_lpg, agencies):
    client.force_login(planner_lpg)
    form = {"fiscal_year": FY, "ref": "P-100", "title_th": "อบรมเครื่องปั้นดินเผา", "activity_type": "training",
            "days": 2, "setup_days": 0, "teardown_days": 0, "attendees": 40, "priority": 3,
            "earliest": "2027-03-01", "latest_end": "2027-03-31", "preferred_months": ["3"],
            "allowed_spaces": ["MR-1"]}
    r = client.post("/plan/proposals/new/", form, **TH)
    assert r.status_code == 302, r.content.decode()[:3000]
    p = Proposal.objects.get(ref="P-100")
    assert p.agency == agencies["LPG"] and p.status == "draft" and p.preferred_months == [3]
    assert [s.code for s in p.allowed_spaces.all()] == ["MR-1"]
    # A window shorter than the event is refused on the field, nothing changes.
    bad = {**form, "days": 5, "latest_end": "2027-03-02"}
    r = client.post(f"/plan/proposals/{p.pk}/", bad, **TH)
    assert r.status_code == 422 and r.context["form"].errors.get("latest_end")
    p.refresh_from_db()
    assert p.days == 2
    assert client.post(f"/plan/proposals/{p.pk}/submitted/", **TH).status_code == 302
    p.refresh_from_db()
    assert p.status == "submitted"


def test_template_download_and_upload_with_a_bad_row_saves_nothing(client, halls, staff_user, agencies):
    client.force_login(staff_user)
    r = client.get("/plan/proposals/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = ("ref,agency,title_th,activity_type,days,earliest,latest_end\n"
           "P-201,LPG-IND,สัมมนาหนึ่ง,seminar,1,2027-01-05,2027-01-31\n"
           "P-202,NOPE,สัมมนาสอง,seminar,two,2027-01-05,2027-01-31\n"
           "P-203,LPG-IND,สัมมนาสาม,seminar,1,2027-13-01,2027-01-31\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("proposals.csv", csv, content_type="text/csv")
    r = client.post("/plan/proposals/import/", {"fiscal_year": FY, "file": upload}, **TH)
    assert r.status_code == 422
    errors = {(e["row"], e["field"]) for e in r.context["errors"]}
    assert {(3, "agency"), (3, "days"), (4, "earliest")} <= errors
    html = r.content.decode()
    assert "P-202" in html and "P-203" in html
    # Fields are named by their column headers in the page's language, never by internal names.
    assert "<td>รหัสหน่วยงาน</td>" in html and "<td>เริ่มได้ตั้งแต่</td>" in html and "<td>agency</td>" not in html
    assert not Proposal.objects.exists()
    good = SimpleUploadedFile("proposals.csv", csv.split(b"\n")[0] + b"\n" + csv.split(b"\n")[1] + b"\n")
    r = client.post("/plan/proposals/import/", {"fiscal_year": FY, "file": good}, **TH)
    assert r.status_code == 302 and Proposal.objects.filter(ref="P-201").exists()


def test_import_problems_name_columns_in_english(client, halls, staff_user, agencies):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff_user)
    client.get("/plan/proposals/import/?lang=en")
    csv = ("ref,agency,title_th,activity_type,days,earliest,latest_end\n"
           "P-301,LPG-IND,สัมมนาหนึ่ง,seminar,5,2027-01-05,2027-01-06\n").encode()
    r = client.post("/plan/proposals/import/", {"fiscal_year": FY, "file": SimpleUploadedFile("p.csv", csv)})
    html = r.content.decode()
    assert r.status_code == 422 and {e["field"] for e in r.context["errors"]} == {"latest_end"}
    assert "<td>Latest end</td>" in html and "latest_end" not in html
    assert "is shorter than the event" in html
    r = client.post("/plan/proposals/import/", {"fiscal_year": FY, "file": SimpleUploadedFile("p.csv", b"ref\nP-1\n")})
    assert "Missing columns: Activity type, Agency code" in r.content.decode()


def test_a_planner_cannot_start_or_stop_a_run(client, halls, three, planner_lpg, venue):
    client.force_login(planner_lpg)
    r = client.post(f"/plan/runs/?fy={FY}", {"time_limit": 5, "seed": 0, "workers": 1})
    assert r.status_code == 403 and not Plan.objects.exists()


def test_staff_start_a_run_and_the_run_page_polls(client, halls, three, staff_user, venue):
    client.force_login(staff_user)
    r = client.post(f"/plan/runs/?fy={FY}&venue={venue.code}", {"time_limit": 5, "seed": 7, "workers": 1})
    plan = Plan.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/plan/plans/{plan.pk}/"
    assert (plan.status, plan.seed, plan.time_limit) == ("queued", 7, 5)
    assert plan.solved_with["week_bonus"] == 3  # the venue's settings at the time of the run
    html = client.get(r["Location"], **TH).content.decode()
    assert 'hx-trigger="every 1s"' in html and "หยุด (เก็บแผนที่ดีที่สุดไว้)" in html
    bad = client.post(f"/plan/runs/?fy={FY}", {"time_limit": 0, "seed": 0, "workers": 1})
    assert bad.status_code == 422 and Plan.objects.count() == 1
    # The worker would solve it; here the service runs it in-process.
    services.plan_run_execute(plan.pk)
    frag = client.get(f"/plan/plans/{plan.pk}/progress/?live=1", HTTP_HX_REQUEST="true", **TH)
    assert frag["HX-Refresh"] == "true" and 'hx-trigger' not in frag.content.decode()
    r = client.get(f"/plan/plans/{plan.pk}/", **TH)
    html = r.content.decode()
    assert "P-001" in html and "2570" in html and "สัปดาห์ที่มีกิจกรรม" in html


def test_stop_on_a_queued_run_keeps_nothing_running(client, halls, three, staff_user, venue):
    plan = services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, time_limit=5, workers=1)
    client.force_login(staff_user)
    assert client.post(f"/plan/plans/{plan.pk}/stop/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.STOPPED


def test_unscheduled_items_are_explained(client, halls, create_proposal, staff_user, venue):
    create_proposal("P-001", days=1, attendees=5000)  # no space is large enough
    create_proposal("P-002", days=1)
    plan = _solve(staff_user, venue)
    r = _get(client, staff_user, f"/plan/plans/{plan.pk}/")
    html = r.content.decode()
    item = PlanItem.objects.get(plan=plan, proposal__ref="P-001")
    assert not item.scheduled and item.explanation["reason"] == "no_space"
    why = re.search(r'<td class="why" data-reason="no_space">(.*?)</td>', html, re.S).group(1)
    assert "no_space" not in why and "ใหญ่พอ" in why  # the reason in words, in Thai, never the code


def test_pin_resolve_and_compare(client, halls, three, staff_user, venue):
    plan = _solve(staff_user, venue)
    item = plan.items.get(proposal__ref="P-002")
    client.force_login(staff_user)
    page = client.get(f"/plan/plans/{plan.pk}/", **TH).content.decode()
    assert 'name="start"' in page and "be-date-pick" in page  # the pin form's day in the Buddhist Era
    r = client.post(f"/plan/plans/{plan.pk}/items/{item.pk}/pin/",
                    {"space": "HALL-B", "start": "25/1/2570", "pin_space": "on", "pin_start": "on"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.space.code, item.start, item.pin_space, item.pin_start) == ("HALL-B", date(2027, 1, 25), True, True)
    outside = client.post(f"/plan/plans/{plan.pk}/items/{item.pk}/pin/", {"start": "2030-01-01"}, **TH)
    assert outside.status_code == 400
    r = client.post(f"/plan/plans/{plan.pk}/resolve/")
    new = Plan.objects.exclude(pk=plan.pk).get()
    assert r.status_code == 302 and new.parent == plan and new.items.get(proposal__ref="P-002").pin_start
    services.plan_run_execute(new.pk)
    cmp = _get(client, staff_user, f"/plan/plans/compare/?a={plan.pk}&b={new.pk}")
    assert cmp.status_code == 200
    rows = {row["ref"]: row for row in cmp.context["cmp"]["rows"]}
    assert rows["P-002"]["b"]["start"] == "2027-01-25"
    html = cmp.content.decode()
    assert "25 ม.ค. 2570" in html
    # What changed is listed first; activities alike in both versions fold into one closed section.
    folded = html[html.index('<details class="unchanged">'):]
    changed = [r["ref"] for r in cmp.context["cmp"]["rows"] if r["change"] in ("moved", "added", "dropped")]
    assert all(f'data-ref="{ref}"' in html[:html.index('<details class="unchanged">')] for ref in changed)
    unchanged = [r["ref"] for r in cmp.context["cmp"]["rows"] if r["change"] in ("same", "unscheduled")]
    assert unchanged and all(f'data-ref="{ref}"' in folded for ref in unchanged)
    assert "เหมือนกันทั้งสองฉบับ" in folded
    assert _get(client, staff_user, "/plan/plans/compare/?a=x&b=1").status_code == 404


def test_approve_conflict_is_listed_and_nothing_changes(client, halls, three, staff_user, venue, create_booking,
                                                       bkk):
    plan = _solve(staff_user, venue)
    item = plan.items.select_related("space").get(proposal__ref="P-001")
    rival = create_booking(space=item.space, start=bkk(item.start.year, item.start.month, item.start.day, 10),
                           hours=3, title="งานแต่งงาน")
    before = Booking.objects.count()
    client.force_login(staff_user)
    r = client.post(f"/plan/plans/{plan.pk}/approve/", **TH)
    assert r.status_code == 409
    html = r.content.decode()
    assert "งานแต่งงาน" in html and f"#{rival.pk}" in html and "P-001" in html
    assert Booking.objects.count() == before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLVED
    rival.delete()
    r = client.post(f"/plan/plans/{plan.pk}/approve/")
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert PlanItem.objects.filter(plan=plan, booking_id__isnull=False).count() == 3


def test_planners_see_plans_but_only_their_items_and_no_actions(client, halls, three, staff_user, planner_lpg,
                                                                venue):
    plan = _solve(staff_user, venue)
    r = _get(client, planner_lpg, f"/plan/plans/{plan.pk}/")
    html = r.content.decode()
    assert r.status_code == 200 and "P-001" in html and "P-002" not in html
    assert "pin-form" not in html and "approve" not in html
    client.force_login(planner_lpg)
    assert client.post(f"/plan/plans/{plan.pk}/approve/").status_code == 403


def test_an_empty_board_month_points_to_the_next_booking(client, halls, staff_user, venue, create_booking, bkk):
    create_booking(halls["MR-1"], bkk(2027, 2, 10, 9), title="ประชุมผู้ประกอบการเซรามิก")
    html = _get(client, staff_user, f"/plan/?fy={FY}&month=2026-11&venue={venue.code}").content.decode()
    assert 'class="next-hint"' in html and "ถัดไป: 10 ก.พ. 2570 · ประชุมผู้ประกอบการเซรามิก" in html
    assert "month=2027-02" in html and f"fy={FY}" in html
    html = _get(client, staff_user, f"/plan/?fy={FY}&month=2027-02&venue={venue.code}").content.decode()
    assert 'class="next-hint"' not in html
