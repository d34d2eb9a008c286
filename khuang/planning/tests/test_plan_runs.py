"""Optimizer runs end to end: start, progress and figures, stop, pins kept by a re-solve, version comparison,
and approval into first-option holds — all or nothing."""

import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from khuang.bookings.models import Booking
from khuang.planning import services
from khuang.planning.models import Plan, PlanItem, PlanStatus, Proposal

from .conftest import FY

ROOT = Path(__file__).resolve().parents[3]
FAST = {"time_limit": 2, "workers": 1}


@pytest.fixture
def three(create_proposal, agencies):
    """Three proposals competing for January: a 3-day one that only fits Hall A, one for either hall,
    and a big one that needs the combined hall."""
    return [
        create_proposal("P-001", days=3, allowed=["HALL-A"], priority=5, preferred_months=[1]),
        create_proposal("P-002", days=2, allowed=["HALL-A", "HALL-B"], agency=agencies["LPN"]),
        create_proposal("P-003", days=2, attendees=1000, layout="theatre", priority=4),
    ]


def _solve(staff_user, venue, **kw) -> Plan:
    return services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, run_now=True, **{**FAST, **kw})


def _placed(plan: Plan) -> dict[str, tuple[str, date]]:
    return {i.proposal.ref: (i.space.code, i.start) for i in plan.items.select_related("proposal", "space")
            if i.scheduled}


@pytest.mark.django_db
def test_a_run_places_every_proposal_and_reports_its_figures(api, halls, three, staff_user, venue):
    plan = _solve(staff_user, venue)
    assert plan.status == PlanStatus.SOLVED and plan.version == 1
    placed = _placed(plan)
    assert set(placed) == {"P-001", "P-002", "P-003"}
    assert placed["P-001"][0] == "HALL-A" and placed["P-003"][0] == "HALL-AB"
    for ref, (_, start) in placed.items():  # inside each window
        assert date(2027, 1, 1) <= start and start + timedelta(days=Proposal.objects.get(ref=ref).days - 1) <= \
            date(2027, 1, 31)
    # value = Σ priority × days × (1 + 0.25 if the first day is in a preferred month); the objective adds the
    # venue's week bonus (default 3 per week with an event) and takes off the oversize penalty (0.5 × Σ oversize)
    parts = plan.parts
    assert parts["value"] == pytest.approx(5 * 3 * 1.25 + 3 * 2 + 4 * 2)
    assert plan.objective == pytest.approx(parts["value"] + 3 * parts["active_weeks"] - 0.5 * parts["oversize_sum"])
    assert plan.solved_with["week_bonus"] == 3 and plan.solved_with["horizon_start"] == "2026-11-28"
    assert plan.bound >= plan.objective
    assert plan.progress and plan.wall_seconds < 10
    assert set(Proposal.objects.values_list("status", flat=True)) == {"planned"}

    body = api("get", f"/api/plans/{plan.pk}", user=staff_user).json()
    assert (body["status"], body["objective"], len(body["items"])) == ("solved", plan.objective, 3)
    item = next(i for i in body["items"] if i["ref"] == "P-001")
    assert item["space"] == "HALL-A" and item["end"] == (placed["P-001"][1] + timedelta(days=2)).isoformat()


@pytest.mark.django_db
def test_planners_see_only_their_agency_in_a_plan_and_cannot_run_one(api, halls, three, staff_user, venue,
                                                                       planner_lpn):
    plan = _solve(staff_user, venue)
    items = api("get", f"/api/plans/{plan.pk}", user=planner_lpn).json()["items"]
    assert [i["ref"] for i in items] == ["P-002"]
    r = api("post", "/api/plans", {"fiscal_year": FY, **FAST}, user=planner_lpn)
    assert r.status_code == 403
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_post_plans_queues_a_run_and_stop_cancels_it_before_it_starts(api, halls, three, staff_user):
    r = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 5, "workers": 1}, user=staff_user)
    assert r.status_code == 201 and r.json()["status"] == "queued"
    pid = r.json()["id"]
    assert api("post", f"/api/plans/{pid}/stop", user=staff_user).json()["status"] == "stopped"
    assert api("post", f"/api/plans/{pid}/stop", user=staff_user).status_code == 409
    services.plan_run_execute(pid)  # a worker picking it up later leaves it alone
    assert Plan.objects.get(pk=pid).status == PlanStatus.STOPPED
    assert api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 0.1}, user=staff_user).status_code == 422


@pytest.mark.django_db
def test_pins_are_kept_by_a_resolve_and_versions_compare(api, halls, three, staff_user, venue):
    v1 = _solve(staff_user, venue)
    # Move P-002 to Hall B on 20 January and pin both space and dates.
    r = api("patch", f"/api/plans/{v1.pk}/items/P-002",
            {"space": "HALL-B", "start": "2027-01-20", "pin_space": True, "pin_start": True}, user=staff_user)
    assert r.status_code == 200, r.content
    assert (r.json()["space"], r.json()["start"], r.json()["pin_space"]) == ("HALL-B", "2027-01-20", True)
    bad = api("patch", f"/api/plans/{v1.pk}/items/P-002", {"start": "2030-01-01"}, user=staff_user)
    assert bad.status_code == 400 and bad.json()["field"] == "start"
    assert api("patch", f"/api/plans/{v1.pk}/items/P-002", {"space": "NOPE"}, user=staff_user).status_code == 404

    r = api("post", f"/api/plans/{v1.pk}/resolve", {"time_limit": 2}, user=staff_user)
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["parent"] == v1.pk
    services.plan_run_execute(r.json()["id"])
    v2 = Plan.objects.get(pk=r.json()["id"])
    assert v2.status == PlanStatus.SOLVED
    assert _placed(v2)["P-002"] == ("HALL-B", date(2027, 1, 20))
    pinned = PlanItem.objects.get(plan=v2, proposal__ref="P-002")
    assert pinned.pin_space and pinned.pin_start

    cmp = api("get", f"/api/plans/{v1.pk}/compare/{v2.pk}", user=staff_user).json()
    v1.refresh_from_db()  # the move re-scored v1
    assert cmp["a"]["objective"] == v1.objective and cmp["b"]["objective"] == v2.objective
    rows = {row["ref"]: row for row in cmp["rows"]}
    assert rows["P-002"]["b"] == {"space": "HALL-B", "start": "2027-01-20"}
    assert sum(cmp["counts"].values()) == 3


@pytest.mark.django_db
def test_compare_names_added_and_dropped(halls, create_proposal, staff_user, venue):
    from khuang.planning.selectors import plan_compare

    create_proposal("P-001", days=2)
    v1 = _solve(staff_user, venue)
    create_proposal("P-002", days=2)
    Proposal.objects.filter(ref="P-001").update(status="declined")
    v2 = _solve(staff_user, venue)
    changes = {row["ref"]: row["change"] for row in plan_compare(v1, v2)["rows"]}
    assert changes == {"P-001": "dropped", "P-002": "added"}


@pytest.mark.django_db
def test_approval_makes_first_option_holds(api, halls, three, staff_user, venue):
    plan = _solve(staff_user, venue)
    r = api("post", f"/api/plans/{plan.pk}/approve", user=staff_user)
    assert r.status_code == 200, r.content
    holds = Booking.objects.filter(pk__in=r.json()["holds"]).select_related("space")
    assert len(holds) == 3 and {(b.status, b.option_rank) for b in holds} == {("hold", 1)}
    placed = _placed(plan)
    by_title = {b.title: b for b in holds}
    p1 = by_title[Proposal.objects.get(ref="P-001").title_th]
    assert p1.space.code == "HALL-A" and p1.start.date() == placed["P-001"][1]
    assert set(Proposal.objects.values_list("status", flat=True)) == {"approved"}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_at
    assert api("post", f"/api/plans/{plan.pk}/approve", user=staff_user).status_code == 409
    assert api("patch", f"/api/plans/{plan.pk}/items/P-001", {"pin_space": True},
               user=staff_user).status_code == 409


@pytest.mark.django_db
def test_a_conflict_at_approval_aborts_everything_and_lists_it(api, halls, three, staff_user, venue, create_booking,
                                                             bkk):
    plan = _solve(staff_user, venue)
    space, start = _placed(plan)["P-001"]
    # Someone confirms a booking on those dates after the run.
    rival = create_booking(space=halls[space], start=bkk(start.year, start.month, start.day, 10), hours=3,
                           title="Wedding fair")
    before = Booking.objects.count()
    r = api("post", f"/api/plans/{plan.pk}/approve", user=staff_user)
    assert r.status_code == 409, r.content
    conflicts = r.json()["conflicts"]
    assert any(c["proposal"] == "P-001" and c.get("id") == rival.pk for c in conflicts), conflicts
    assert Booking.objects.count() == before  # not one hold was written
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SOLVED
    assert not PlanItem.objects.filter(plan=plan, booking_id__isnull=False).exists()
    assert not Proposal.objects.filter(status="approved").exists()


@pytest.mark.django_db(transaction=True)
def test_stop_keeps_the_best_plan_found(halls, create_proposal, staff_user, venue, agencies):
    """A long run stopped from the page ends within seconds, keeping the best plan so far."""
    for n in range(60):  # many overlapping wishes: far from solved in a second
        create_proposal(f"P-{n:03d}", days=2 + n % 5, allowed=["HALL-A", "HALL-B", "HALL-AB"][n % 3:],
                        earliest=date(2027, 1, 1), latest_end=date(2027, 3, 15), priority=1 + n % 5,
                        preferred_months=[2])
    plan = services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, time_limit=60, workers=1)
    worker = threading.Thread(target=services.plan_run_execute, args=(plan.pk,))
    t0 = time.monotonic()
    worker.start()
    time.sleep(2)
    services.plan_stop(Plan.objects.get(pk=plan.pk), actor=staff_user)
    worker.join(timeout=30)
    assert not worker.is_alive()
    plan.refresh_from_db()
    assert time.monotonic() - t0 < 15
    assert plan.status == PlanStatus.STOPPED, plan.error
    assert plan.objective and plan.objective > 0 and PlanItem.objects.filter(plan=plan).exists()
    assert plan.progress


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_plan_posted_to_the_api(api, halls, three, staff_user, child_env):
    r = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 2, "workers": 1}, user=staff_user)
    pid = r.json()["id"]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Plan.objects.get(pk=pid).is_finished:
                break
            time.sleep(0.3)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
    body = api("get", f"/api/plans/{pid}", user=staff_user).json()
    assert body["status"] == "solved", output[-2000:]
    assert len([i for i in body["items"] if i["space"]]) == 3 and body["objective"] > 0
    assert body["bound"] >= body["objective"] and body["gap"] is not None
