"""The demo year as a new user meets it after `make run`: FY 2570 solved with the demo venue's default settings."""

import io

import pytest
from django.core.management import call_command

from khuang.planning import services
from khuang.planning.models import PlanStatus
from khuang.venues.models import Venue

pytestmark = pytest.mark.django_db

FY = 2570


def test_the_demo_year_keeps_its_value_and_is_busy_all_year_within_the_team_limits(staff_user):
    """Version 1 (main, 28 Nov 2026): 39 of 40 proposals, 303.75 points, events in 15 of 53 weeks, six events and five
    move-ins on one day, oversize 15.4. With the demo's settings (week bonus 3, oversize 0.5, at most 3 events and
    2 move-ins a day) and the horizon from today, the same value with events in at least 40 weeks."""
    call_command("load_demo", stdout=io.StringIO())  # as `make run` does
    venue = Venue.objects.get(code="DIPROM-MICE")
    plan = services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff_user, run_now=True)  # page defaults
    assert plan.status == PlanStatus.SOLVED, plan.error
    assert (plan.time_limit, plan.workers, plan.seed) == (30, 2, 0)
    assert plan.solved_with["horizon_start"] == "2026-11-28"
    items = list(plan.items.all())
    assert (sum(1 for i in items if i.scheduled), len(items)) == (39, 40)
    parts = plan.parts
    assert parts["value"] == pytest.approx(303.75)
    assert parts["weeks_in_horizon"] == 45 and parts["active_weeks"] >= 40
    assert parts["max_events_in_a_day"] <= 3 and parts["max_moveins_in_a_day"] <= 2
    assert parts["oversize_sum"] < 15.4
