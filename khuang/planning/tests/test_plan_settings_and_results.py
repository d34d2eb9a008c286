"""Planning settings, the horizon from today, results a planner reads at a glance, versions on one scale, the
capped and staff-only solve: pages and API."""

import json
import re
from datetime import date

import pytest

from khuang.bookings.models import BookingRule
from khuang.core.errors import ApplicationError
from khuang.planning import services
from khuang.planning.instance import run_settings
from khuang.planning.models import Plan, PlanItem, PlanningSettings
from khuang.planning.optimizer import model as opt

from .conftest import FY, TODAY

pytestmark = pytest.mark.django_db
TH = {"HTTP_ACCEPT_LANGUAGE": "th"}
FAST = {"time_limit": 2, "workers": 1}


def _solve(staff_user, venue, **kw) -> Plan:
    return services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, run_now=True, **{**FAST, **kw})


def _text(html: str) -> str:
    """The page's words without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- settings: who, what, in words

def test_settings_page_staff_edit_planners_read_others_are_refused(client, venue, halls, create_user, planner_lpg,
                                                                    staff_user):
    url = f"/plan/settings/?venue={venue.code}"
    good = {"venue": venue.code, "max_events_per_day": 3, "max_moveins_per_day": 2, "week_bonus": 3,
            "oversize_penalty": 0.5}
    r = client.get(url)
    assert r.status_code == 302 and "/login" in r["Location"]  # anonymous: to the login page
    assert client.post(url, good).status_code == 302 and not PlanningSettings.objects.exists()

    client.force_login(create_user("viewer", role="viewer"))
    assert client.get(url).status_code == 403
    assert client.post(url, good).status_code == 403

    client.force_login(planner_lpg)
    r = client.get(url, **TH)
    assert r.status_code == 200
    html = r.content.decode()
    assert "สัปดาห์ที่มีกิจกรรมเพิ่มขึ้นหนึ่งสัปดาห์ มีค่า 3 คะแนน" in html  # the defaults, in words, in Thai
    assert 'name="week_bonus"' in html and "disabled" in html and "<button" not in html.split("settings-form")[1]
    assert client.post(url, good).status_code == 403
    assert not PlanningSettings.objects.exists()

    client.force_login(staff_user)
    r = client.post(url, {**good, "week_bonus": 4, "max_events_per_day": 5}, **TH)
    assert r.status_code == 302
    ps = PlanningSettings.objects.get(venue=venue)
    assert (ps.week_bonus, ps.oversize_penalty, ps.max_events_per_day, ps.max_moveins_per_day) == (4, 0.5, 5, 2)
    html = client.get(url + "&lang=en").content.decode()
    assert "One more week with an event is worth 4 points: as much as a priority-4 one-day event." in html
    assert "At most 5 events run on the same day." in html and "At most 2 events move in" in html


@pytest.mark.parametrize(("field", "value", "words"), [
    ("oversize_penalty", "1", "less than 1"),
    ("oversize_penalty", "-0.1", "less than 1"),
    ("week_bonus", "-1", "0 turns the week bonus off"),
    ("week_bonus", "500", "0 to 50 points"),
    ("max_events_per_day", "0", "leave it empty for no limit"),
])
def test_bad_settings_are_refused_on_the_field_and_nothing_changes(client, venue, staff_user, field, value, words):
    PlanningSettings.objects.create(venue=venue, week_bonus=3, oversize_penalty=0.5)
    client.force_login(staff_user)
    data = {"venue": venue.code, "max_events_per_day": "", "max_moveins_per_day": "", "week_bonus": 3,
            "oversize_penalty": 0.5, field: value}
    r = client.post(f"/plan/settings/?venue={venue.code}&lang=en", data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    assert any(words in e for e in r.context["form"].errors[field]), r.context["form"].errors
    ps = PlanningSettings.objects.get(venue=venue)
    assert (ps.week_bonus, ps.oversize_penalty, ps.max_events_per_day) == (3, 0.5, None)


def test_admin_edits_the_settings_with_the_same_checks(client, venue, create_user):
    admin = create_user("boss", role="center_staff", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/planning/planningsettings/add/"
    r = client.post(url, {"venue": venue.pk, "week_bonus": 3, "oversize_penalty": 2}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and "น้อยกว่า 1" in r.content.decode()  # the model's message (Thai page)
    r = client.post(url, {"venue": venue.pk, "week_bonus": 3, "oversize_penalty": 0.5, "max_events_per_day": 3})
    assert r.status_code == 302 and PlanningSettings.objects.get(venue=venue).max_events_per_day == 3


def test_a_plan_keeps_the_settings_it_was_solved_with(halls, create_proposal, staff_user, venue):
    create_proposal("P-001")
    services.planning_settings_save(venue, {"week_bonus": 2, "oversize_penalty": 0.25, "max_events_per_day": 3,
                                            "max_moveins_per_day": 2}, actor=staff_user)
    plan = _solve(staff_user, venue)
    services.planning_settings_save(venue, {"week_bonus": 5}, actor=staff_user)
    plan.refresh_from_db()
    assert plan.solved_with["week_bonus"] == 2 and plan.solved_with["max_moveins_per_day"] == 2
    assert plan.objective_weights == opt.Objective(week_bonus=2, oversize_penalty=0.25)
    assert plan.limits == opt.Limits(max_events_per_day=3, max_moveins_per_day=2)
    assert run_settings(venue, FY)["week_bonus"] == 5  # the next run takes the new value


# ---------------------------------------------------------------- the horizon starts where the year still is

def test_the_horizon_starts_today_plus_the_booking_lead_time(halls, venue):
    s = run_settings(venue, FY)
    assert (s["today"], s["horizon_start"], s["horizon_end"], s["lead_days"]) == (
        "2026-11-28", "2026-11-28", "2027-09-30", 0)
    assert run_settings(venue, FY, today=date(2026, 6, 1))["horizon_start"] == "2026-10-01"  # before the year
    for space in halls.values():
        BookingRule.objects.create(space=space, min_lead_days=7)
    BookingRule.objects.filter(space=halls["MR-1"]).update(min_lead_days=21)
    s = run_settings(venue, FY, today=date(2027, 1, 10))
    assert s["horizon_start"] == "2027-01-17" and s["lead_days"] == 7
    assert s["space_leads"] == {"MR-1": 21}  # the longer lead of one room becomes a closure of that room


def test_past_weeks_are_neither_planned_nor_counted(halls, create_proposal, staff_user, venue):
    create_proposal("P-001", earliest=date(2027, 1, 1), latest_end=date(2027, 1, 31))
    create_proposal("P-002", earliest=date(2027, 1, 1), latest_end=date(2027, 1, 12))  # over by the 20th
    create_proposal("P-003", fixed_start=date(2027, 1, 5))
    plan = _solve(staff_user, venue, today=date(2027, 1, 20))
    assert plan.solved_with["horizon_start"] == "2027-01-20"
    items = {i.proposal.ref: i for i in plan.items.select_related("proposal", "space")}
    assert items["P-001"].scheduled and items["P-001"].start >= date(2027, 1, 20)
    for ref in ("P-002", "P-003"):
        assert not items[ref].scheduled and items[ref].explanation["reason"] == "window_passed"
    # Weeks counted from the week of 20 January (a Wednesday) to the year's end: 37, not the year's 53.
    assert plan.parts["weeks_in_horizon"] == 37 and plan.parts["active_weeks"] == 1
    assert plan.parts["longest_idle"]["start"] >= "2027-01-20"
    with pytest.raises(ApplicationError) as refused:
        _solve(staff_user, venue, today=date(2027, 10, 2))
    assert refused.value.field == "fiscal_year" and "สิ้นสุดแล้ว" in refused.value.message  # Thai by default


def test_a_longer_lead_time_keeps_that_room_free(halls, create_proposal, staff_user, venue):
    for space in halls.values():
        BookingRule.objects.create(space=space, min_lead_days=21 if space.code == "MR-1" else 0)
    create_proposal("P-001", attendees=30, allowed=["MR-1"], earliest=date(2026, 12, 1),
                    latest_end=date(2026, 12, 31))
    plan = _solve(staff_user, venue, today=date(2026, 12, 1))
    item = plan.items.get()
    assert item.scheduled and item.start >= date(2026, 12, 22)


# ---------------------------------------------------------------- results at a glance

@pytest.fixture
def small_plan(halls, create_proposal, agencies, staff_user, venue):
    """Three proposals in January: one fits only a large hall for 100 people (far too big), one is too big for
    every room, one is a class."""
    create_proposal("P-001", attendees=100, allowed=["HALL-A"], priority=4, preferred_months=[1])
    create_proposal("P-002", attendees=5000, agency=agencies["LPN"])
    create_proposal("P-003", attendees=25, layout="classroom", days=2, priority=2)
    return _solve(staff_user, venue)


def test_the_results_page_reads_at_a_glance_in_thai(client, small_plan, staff_user):
    client.force_login(staff_user)
    r = client.get(f"/plan/plans/{small_plan.pk}/", **TH)
    html = r.content.decode()
    glance = _text(html.split('class="card glance"')[1].split("</section>")[0])
    assert "กิจกรรมที่จัดลงแผน 2 จาก 3" in glance
    parts = small_plan.parts
    assert f"สัปดาห์ที่มีกิจกรรม {parts['active_weeks']} จาก 45 สัปดาห์ที่เหลือ" in glance  # 28 Nov 2026 on
    idle = r.context["results"]["idle"]
    assert f"ช่วงว่างที่ยาวที่สุด {idle['days']} วัน" in glance and "2569" in glance and "2570" in glance
    assert "ฤดูท่องเที่ยว (พ.ย.–ก.พ.) 100 % ของกิจกรรม (2 งาน)" in glance  # both in January
    assert "ห้องใหญ่เกินไปมาก 1" in glance  # 100 people in a 600-seat hall
    assert len(re.findall(r'<li class="[a-z]*" data-month=', html)) == 11  # November … September
    assert re.search(r'data-month="2027-01" title="มกราคม 2570: 2"', html)
    # The score in its units, the gap in words, the solver's knobs tucked away.
    # value: P-001 4 × 1 day × 1.25 (January is preferred) + P-003 2 × 2 days = 9
    assert f"{small_plan.objective:.2f} คะแนน = 9.00 จากกิจกรรม (ลำดับความสำคัญ × จำนวนวัน +25 % ในเดือนที่ต้องการ)" \
        in glance, glance
    assert f"3 × {parts['active_weeks']} สัปดาห์ที่มีกิจกรรม" in glance and "จากห้องที่ใหญ่เกิน" in glance
    assert "แผนที่ดีกว่านี้" in glance or "พิสูจน์แล้วว่าแผนนี้ดีที่สุด" in glance
    assert re.search(r'<details class="advanced settings-used">.*ค่าสุ่มตั้งต้น 0', html, re.S)
    assert "ใหญ่เกินไปมาก</span>" in html  # the item's row is flagged
    why = re.search(r'data-ref="P-002">.*?<td class="why" data-reason="no_space">(.*?)</td>', html, re.S).group(1)
    assert "ใหญ่พอ" in why and "no_space" not in _text(html)  # a reason in words; never the code as text


def test_the_results_page_in_english_and_for_a_planner(client, small_plan, planner_lpn):
    client.force_login(planner_lpn)
    html = client.get(f"/plan/plans/{small_plan.pk}/?lang=en", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    glance = _text(html.split('class="card glance"')[1].split("</section>")[0])
    assert "Events planned 2 of 3" in glance and "of the 45 weeks left" in glance
    assert "points =" in glance and "for the events (priority × days, +25 % in a preferred month)" in glance
    # The planner sees the whole plan's figures but only their agency's items.
    assert 'data-ref="P-002"' in html and 'data-ref="P-001"' not in html


def test_the_gap_never_widens_when_a_run_ends():
    """The final bound is the tightest one reported: the gap shown at the end is at most the last one shown."""
    h = opt.Horizon(date(2027, 1, 1), date(2027, 1, 31))
    instance = opt.Instance(horizon=h, spaces=(opt.Space("R", capacity=100),),
                            activities=(opt.Activity("A", days=2, attendees=100, priority=5),))
    plan = [opt.Assignment("A", "R", date(2027, 1, 4))]
    solution = opt.Solution(assignments=plan, unscheduled=[], objective=10.0, bound=14.0, status="FEASIBLE")
    trace = [{"t": 1.0, "objective": 10.0, "bound": 11.0, "gap": opt.relative_gap(10, 11)}]
    parts, objective, bound = services._final_figures(instance, solution, trace)
    assert objective == parts.objective == 10.0 and bound == 11.0
    assert opt.relative_gap(objective, bound) <= trace[-1]["gap"]


def test_moving_an_item_updates_the_figures(api, small_plan, staff_user):
    before = dict(small_plan.parts)
    r = api("patch", f"/api/plans/{small_plan.pk}/items/P-003", {"start": "2027-03-10", "pin_start": True},
            user=staff_user)
    assert r.status_code == 200, r.content
    small_plan.refresh_from_db()
    assert small_plan.parts["value"] == before["value"]  # no preferred month on P-003
    p1 = small_plan.items.get(proposal__ref="P-001")
    weeks = {p1.start.isocalendar()[:2], date(2027, 3, 10).isocalendar()[:2]}  # P-001 is one day
    assert small_plan.parts["active_weeks"] == len(weeks) == 2
    assert small_plan.objective == pytest.approx(small_plan.parts["objective"])
    bad = api("patch", f"/api/plans/{small_plan.pk}/items/P-003", {"start": "2026-11-01"}, user=staff_user)
    assert bad.status_code == 400 and bad.json()["field"] == "start"  # before the plan's start: the past


# ---------------------------------------------------------------- compare on one scale

def test_versions_compare_on_one_scale_in_planner_terms(client, api, halls, create_proposal, staff_user, venue):
    for n in range(4):
        create_proposal(f"P-{n:03d}", earliest=date(2027, 1, 4), latest_end=date(2027, 1, 10), attendees=30,
                        allowed=["MR-1"])
    services.planning_settings_save(venue, {"week_bonus": 0, "oversize_penalty": 0}, actor=staff_user)
    v1 = _solve(staff_user, venue)
    services.planning_settings_save(venue, {"week_bonus": 3, "oversize_penalty": 0.5}, actor=staff_user)
    v2 = _solve(staff_user, venue)
    body = api("get", f"/api/plans/{v1.pk}/compare/{v2.pk}", user=staff_user).json()
    scale = body["scale"]
    assert scale["basis"]["week_bonus"] == 3 and scale["basis"]["horizon_start"] == TODAY.isoformat()
    # v1 as solved has no week bonus; on the common scale both carry it.
    assert body["a"]["objective"] == pytest.approx(v1.objective)
    a, b = scale["a"], scale["b"]
    assert a["objective"] == pytest.approx(a["value"] + 3 * a["active_weeks"] - 0.5 * a["oversize_sum"])
    assert b["objective"] == pytest.approx(b["value"] + 3 * b["active_weeks"] - 0.5 * b["oversize_sum"])
    keys = [m["key"] for m in scale["measures"]]
    assert keys[:5] == ["objective", "planned", "active_weeks", "idle_days", "oversized"]
    weeks = next(m for m in scale["measures"] if m["key"] == "active_weeks")
    assert (weeks["a"], weeks["b"], weeks["diff"]) == (a["active_weeks"], b["active_weeks"],
                                                       b["active_weeks"] - a["active_weeks"])
    client.force_login(staff_user)
    html = client.get(f"/plan/plans/compare/?a={v1.pk}&b={v2.pk}", **TH).content.decode()
    assert "เทียบด้วยเกณฑ์เดียวกัน" in html and "สัปดาห์ที่มีกิจกรรม" in html and "ช่วงว่างที่ยาวที่สุด (วัน)" in html
    assert 'class="grid measures stack"' in html and 'data-label="ฉบับ' not in html  # labels are v1/v2
    assert html.count('data-label="v1"') >= 8


# ---------------------------------------------------------------- the solve endpoint and the caps

EXCHANGE = {"horizon": {"start": "2027-01-01", "end": "2027-01-31"},
            "spaces": [{"code": "R1", "capacity": 50, "parts": []}],
            "activities": [{"id": "A", "days": 2, "attendees": 20, "priority": 3}],
            "objective": {"week_bonus": 3, "oversize_penalty": 0.5}, "limits": {"max_events_per_day": 1}}


def _solve_api(client, token=None, **query):
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/plan/solve?{qs}", json.dumps(EXCHANGE), content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="en", **headers)


def test_solve_endpoint_is_for_staff_only(client, create_user, planner_lpg, staff_user):
    from khuang.accounts.models import ApiToken

    r = _solve_api(client)
    assert r.status_code == 401 and r["Content-Type"].startswith("application/json")
    for user in (create_user("viewer", role="viewer"), planner_lpg):
        r = _solve_api(client, ApiToken.issue(user)[1], time_limit=2, workers=1)
        assert r.status_code == 403 and r.json()["detail"] == "Only center staff may run the optimizer."
    r = _solve_api(client, ApiToken.issue(staff_user)[1], time_limit=2, workers=1)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["assignments"][0]["activity"] == "A"
    # Version 2 read and written: 6 points of value; the two days straddle a Sunday and Monday, so two weeks have
    # an event (+ 2 × 3); 0.5 × (1 − 20/50) oversize.
    start = date.fromisoformat(body["assignments"][0]["start"])
    assert start.weekday() == 6 and body["meta"]["active_weeks"] == 2
    assert body["objective"] == pytest.approx(6 + 6 - 0.3) == body["meta"]["objective"]
    assert body["meta"]["weights"]["week_bonus"] == 3


def test_time_limit_and_threads_are_capped_by_settings(client, api, settings, halls, create_proposal, staff_user,
                                                       venue):
    from khuang.accounts.models import ApiToken

    settings.KHUANG_SOLVE_MAX_SECONDS = 20
    settings.KHUANG_SOLVE_MAX_WORKERS = 2
    token = ApiToken.issue(staff_user)[1]
    r = _solve_api(client, token, time_limit=60, workers=1)
    assert r.status_code == 400 and r.json()["field"] == "time_limit" and "20 seconds" in r.json()["detail"]
    r = _solve_api(client, token, time_limit=2, workers=8)
    assert r.status_code == 400 and r.json()["field"] == "workers"
    # The same caps hold for plan runs from the API and the pages.
    create_proposal("P-001")
    r = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 30, "workers": 1}, user=staff_user)
    assert r.status_code == 400 and r.json()["field"] == "time_limit"
    r = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 5, "workers": 4}, user=staff_user)
    assert r.status_code == 400 and r.json()["field"] == "workers"
    client.force_login(staff_user)
    r = client.post(f"/plan/runs/?fy={FY}&venue={venue.code}", {"time_limit": 30, "seed": 0, "workers": 1}, **TH)
    assert r.status_code == 422 and r.context["run_form"].errors["time_limit"]
    assert not Plan.objects.exists()
    assert 'max="20"' in client.get(f"/plan/?fy={FY}", **TH).content.decode()
    assert PlanItem.objects.count() == 0
