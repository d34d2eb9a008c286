"""Objective v2 (week bonus, oversize penalty, daily limits): plans a planner would approve, an honest bound.

Judged by the independent checker and by an independent brute force on instances small enough to enumerate.
"""

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from khuang.planning.optimizer.bound import _Columns, _subgradient, lp_bound
from khuang.planning.optimizer.cpsat import solve
from khuang.planning.optimizer.generate import generate, generate_center
from khuang.planning.optimizer.greedy import solve_greedy
from khuang.planning.optimizer.io import InstanceError, instance_to_json, parse_instance, solution_to_json
from khuang.planning.optimizer.model import Activity, Busy, Horizon, Instance, Limits, Objective, SolveOptions, Space
from khuang.planning.optimizer.prep import prepare

from .checker import atomic_parts, check

DATA = Path(__file__).parent / "data"


def _act(aid, **kw):
    return {"id": aid, "days": 1, "priority": 3, **kw}


def _solve(data, **kw):
    kw.setdefault("time_limit", 5)
    return solve(parse_instance(data), SolveOptions(**kw))


def _checked(data, solution):
    """The plan's output, checked: valid, its meta block true to the plan, the bound above the objective."""
    out = solution_to_json(solution)
    result = check(data, out)
    assert result.problems == []
    assert result.objective == pytest.approx(solution.objective, abs=1e-6)
    assert solution.bound >= solution.objective - 1e-9
    return result


# -- brute force, written from DESIGN.md alone ------------------------------------------------------------------------

def _brute_force(data) -> float:
    """The best objective v2 over every valid plan: each activity unscheduled or on one (space, start)."""
    h0, h1 = date.fromisoformat(data["horizon"]["start"]), date.fromisoformat(data["horizon"]["end"])
    spaces = {s["code"]: s for s in data["spaces"]}
    leaves = atomic_parts(spaces)
    weights = data.get("objective") or {}
    bonus, penalty = weights.get("week_bonus") or 0, weights.get("oversize_penalty") or 0
    limits = data.get("limits") or {}
    max_events, max_moveins = limits.get("max_events_per_day"), limits.get("max_moveins_per_day")
    closed = set()
    for c in data.get("closures") or []:
        d = date.fromisoformat(c["start"])
        while d <= date.fromisoformat(c["end"]):
            closed |= {(leaf, d) for leaf in leaves[c["space"]]}
            d += timedelta(days=1)
    choices = []
    for a in data["activities"]:
        opts = []
        lo = date.fromisoformat(a.get("earliest") or data["horizon"]["start"])
        hi = date.fromisoformat(a.get("latest_end") or data["horizon"]["end"])
        for code, s in spaces.items():
            if a.get("allowed_spaces") is not None and code not in a["allowed_spaces"]:
                continue
            if (s.get("capacity") or 0) < (a.get("attendees") or 0):
                continue
            d = lo
            while d + timedelta(days=a["days"] - 1) <= hi:
                first = d - timedelta(days=a.get("setup_days") or 0)
                last = d + timedelta(days=a["days"] - 1 + (a.get("teardown_days") or 0))
                if (a.get("fixed_start") is None or d.isoformat() == a["fixed_start"]) and first >= h0 and last <= h1:
                    occupied = {(leaf, first + timedelta(days=k)) for k in range((last - first).days + 1)
                                for leaf in leaves[code]}
                    if not occupied & closed:
                        cap = s.get("capacity") or 0
                        month = 0.25 if d.month in (a.get("preferred_months") or []) else 0.0
                        value = a["priority"] * a["days"] * (1 + month) - penalty * (
                            1 - (a.get("attendees") or 0) / cap if cap else 0.0)
                        days = [d + timedelta(days=k) for k in range(a["days"])]
                        opts.append((occupied, days, first, value))
                d += timedelta(days=1)
        choices.append(opts)
    best = [0.0]

    def dfs(k, taken, events, moveins, value):
        if k == len(choices):
            weeks = {d.isocalendar()[:2] for d, n in events.items() if n > 0}
            best[0] = max(best[0], value + bonus * len(weeks))
            return
        dfs(k + 1, taken, events, moveins, value)  # unscheduled
        for occupied, days, first, v in choices[k]:
            if occupied & taken:
                continue
            if max_events is not None and any(events.get(d, 0) >= max_events for d in days):
                continue
            if max_moveins is not None and moveins.get(first, 0) >= max_moveins:
                continue
            for d in days:
                events[d] = events.get(d, 0) + 1
            moveins[first] = moveins.get(first, 0) + 1
            dfs(k + 1, taken | occupied, events, moveins, value + v)
            for d in days:
                events[d] -= 1
            moveins[first] -= 1

    dfs(0, frozenset(), {}, {}, 0.0)
    return best[0]


def _random_small(seed: int) -> dict:
    rng = random.Random(seed)
    acts = []
    for k in range(rng.choice([4, 5, 6])):
        days = rng.choice([1, 2, 2, 3, 4])
        lo = rng.randrange(0, 8)
        hi = min(13, lo + days - 1 + rng.choice([1, 3, 5, 9]))
        acts.append(_act(f"T{k}", days=days, setup_days=rng.choice([0, 0, 1]), teardown_days=rng.choice([0, 1]),
                         attendees=rng.choice([20, 50, 90, 150]), priority=rng.randint(1, 5),
                         preferred_months=[1] if rng.random() < 0.5 else [],
                         earliest=(date(2027, 1, 1) + timedelta(days=lo)).isoformat(),
                         latest_end=(date(2027, 1, 1) + timedelta(days=hi)).isoformat()))
    data = {"horizon": {"start": "2027-01-01", "end": "2027-01-14"},  # a Friday: three ISO weeks
            "spaces": [{"code": "A", "capacity": 100}, {"code": "B", "capacity": 60},
                       {"code": "AB", "capacity": 160, "parts": ["A", "B"]}, {"code": "C", "capacity": 30}],
            "closures": [{"space": "B", "start": "2027-01-06", "end": "2027-01-06", "reason": "x"}],
            "activities": acts,
            "objective": {"week_bonus": rng.choice([0, 1, 2.5, 6]), "oversize_penalty": rng.choice([0, 0.3, 0.9])},
            "limits": {"max_events_per_day": rng.choice([1, 2, None]), "max_moveins_per_day": rng.choice([1, 2, None])}}
    return data


@pytest.mark.parametrize("seed", range(24))
def test_bound_is_never_below_the_brute_force_optimum_and_optimal_means_optimal(seed):
    data = _random_small(seed)
    best = _brute_force(data)
    prep = prepare(parse_instance(data))
    lp = lp_bound(prep)
    assert lp.bound >= best - 1e-6  # the LP relaxation (column generation)
    sub = _subgradient(prep, _Columns(prep), time_limit=5, target=0.0) if prep.options else None
    assert sub is None or sub.bound >= best - 1e-6  # the Lagrangian steps used on very large instances
    solution = _solve(data)
    _checked(data, solution)
    assert solution.bound >= best - 1e-6
    assert solution.objective <= best + 1e-6
    if solution.status == "OPTIMAL":
        assert solution.objective == pytest.approx(best, abs=1e-4)
    greedy = solve_greedy(parse_instance(data))
    assert check(data, solution_to_json(greedy)).problems == []
    assert greedy.bound >= best - 1e-6


# -- what a planner sees -----------------------------------------------------------------------------------------------

def _sparse(week_bonus: float) -> dict:
    """Eight one-day proposals that could all go in the first week; eight weeks; one room."""
    acts = [_act(f"S{k}", priority=2, earliest="2027-01-04", latest_end="2027-02-28") for k in range(8)]
    return {"horizon": {"start": "2027-01-04", "end": "2027-02-28"}, "spaces": [{"code": "R", "capacity": 50}],
            "activities": acts, "objective": {"week_bonus": week_bonus}}


def test_a_week_bonus_spreads_sparse_proposals_one_a_week():
    data = _sparse(3)
    solution = _solve(data)
    result = _checked(data, solution)
    weeks = sorted((a.start - date(2027, 1, 4)).days // 7 for a in solution.assignments)
    assert weeks == list(range(8))  # one event in each of the eight weeks
    assert result.active_weeks == 8 and solution.status == "OPTIMAL"
    assert solution.objective == pytest.approx(8 * 2 + 3 * 8)
    greedy = solve_greedy(parse_instance(data))
    assert sorted((a.start - date(2027, 1, 4)).days // 7 for a in greedy.assignments) == list(range(8))


def test_without_the_week_bonus_the_same_proposals_may_cluster():
    data = _sparse(0)
    solution = _solve(data)
    result = _checked(data, solution)
    assert len(solution.assignments) == 8
    assert solution.objective == pytest.approx(16)  # value alone: where the events go does not matter
    assert result.active_weeks <= 8


def _rooms(**objective):
    return {"horizon": {"start": "2027-01-04", "end": "2027-01-10"},
            "spaces": [{"code": "HALL-ABC", "capacity": 3000}, {"code": "MR-300", "capacity": 300},
                       {"code": "MR-40", "capacity": 40}, {"code": "MR-20", "capacity": 20}],
            "activities": [_act("T-021", type="seminar", attendees=25, earliest="2027-01-05", latest_end="2027-01-05")],
            "objective": objective}


def test_a_25_person_seminar_goes_to_the_smallest_room_that_fits():
    data = _rooms(week_bonus=20, oversize_penalty=0.5)
    solution = _solve(data)
    _checked(data, solution)
    assert [(a.activity, a.space) for a in solution.assignments] == [("T-021", "MR-40")]
    assert solution.parts.oversize_sum == pytest.approx(1 - 25 / 40)
    assert [(a.space) for a in solve_greedy(parse_instance(data)).assignments] == ["MR-40"]


def _busy_days(max_events=2, max_moveins=1):
    """Four proposals for two days; two rooms; at most `max_events` events and `max_moveins` move-ins a day."""
    acts = [_act("A", days=2, priority=5, setup_days=1, earliest="2027-01-05", latest_end="2027-01-06",
                 allowed_spaces=["R1"]),
            _act("B", days=2, priority=4, earliest="2027-01-05", latest_end="2027-01-06", allowed_spaces=["R2"]),
            _act("C", priority=1, earliest="2027-01-05", latest_end="2027-01-06", allowed_spaces=["R3"]),
            _act("D", priority=1, earliest="2027-01-08", latest_end="2027-01-08", allowed_spaces=["R3"])]
    return {"horizon": {"start": "2027-01-04", "end": "2027-01-10"},
            "spaces": [{"code": f"R{k}", "capacity": 50} for k in (1, 2, 3)], "activities": acts,
            "limits": {"max_events_per_day": max_events, "max_moveins_per_day": max_moveins}}


def test_daily_limits_hold_and_the_explanation_names_the_full_days():
    data = _busy_days()
    solution = _solve(data)
    result = _checked(data, solution)
    assert result.max_events_in_a_day <= 2 and result.max_moveins_in_a_day <= 1
    assert {a.activity for a in solution.assignments} == {"A", "B", "D"}
    expl = solution.explanations["C"]
    assert expl.reason == "day_limit"
    assert expl.full_days == (date(2027, 1, 5), date(2027, 1, 6))
    assert [b.kind for b in expl.blockers] == ["day_limit", "day_limit"]
    assert "2027-01-05" in expl.message_en and "2570" in expl.message_th  # Thai readers get Buddhist-Era years
    assert expl.nearest_alternative is not None and expl.nearest_alternative.start not in expl.full_days
    greedy = solve_greedy(parse_instance(data))
    assert check(data, solution_to_json(greedy)).problems == []


def test_move_in_limit_counts_the_first_occupied_day():
    data = _busy_days(max_events=5, max_moveins=1)
    data["activities"][1].update(setup_days=1)  # B now also moves in on the 4th, like A
    solution = _solve(data)
    result = _checked(data, solution)
    assert result.max_moveins_in_a_day == 1
    assert {"A", "B"} - {a.activity for a in solution.assignments} == {"B"}
    assert solution.explanations["B"].reason == "day_limit"
    assert solution.explanations["B"].full_days == (date(2027, 1, 4),)


def test_blockers_carry_ref_and_agency_so_private_titles_can_be_masked():
    instance = Instance(
        horizon=Horizon(date(2027, 1, 4), date(2027, 1, 10)), spaces=(Space("R", capacity=50),),
        activities=(Activity("P", days=2, agency="LPG-IND", earliest=date(2027, 1, 5), latest_end=date(2027, 1, 6)),),
        busy=(Busy("R", date(2027, 1, 5), date(2027, 1, 5), label="SECRET merger talks", ref="b-17", agency="OTHER"),),
        objective=Objective(week_bonus=3))
    solution = solve(instance, SolveOptions(time_limit=5))
    expl = solution.explanations["P"]
    assert expl.reason == "blocked"
    [blocker] = expl.blockers
    assert (blocker.kind, blocker.ref, blocker.agency) == ("busy", "b-17", "OTHER")
    assert blocker.label == "SECRET merger talks"  # raw: the caller masks it for other agencies
    assert "SECRET" not in expl.message_en and "SECRET" not in expl.message_th


def test_an_outcompeted_proposal_names_the_planned_rival_as_a_blocker():
    data = {"horizon": {"start": "2027-01-04", "end": "2027-01-10"}, "spaces": [{"code": "R", "capacity": 50}],
            "activities": [_act("BIG", priority=5, earliest="2027-01-05", latest_end="2027-01-05", agency="X",
                                title="Big fair"),
                           _act("SMALL", priority=1, earliest="2027-01-05", latest_end="2027-01-05")],
            "objective": {"week_bonus": 1}}
    solution = _solve(data)
    expl = solution.explanations["SMALL"]
    assert expl.reason == "outcompeted"
    assert [(b.kind, b.ref, b.label, b.agency) for b in expl.blockers] == [("activity", "BIG", "Big fair", "X")]


# -- version 1 stays version 1 -----------------------------------------------------------------------------------------

def test_version_1_input_gives_the_version_1_plan_and_numbers():
    data = json.loads((DATA / "plan-small.json").read_text())
    assert "objective" not in data and "limits" not in data
    solution = _solve(data, time_limit=10)
    result = _checked(data, solution)
    assert solution.objective == pytest.approx(777.25) == solution.bound  # as before version 2
    assert solution.parts.value == solution.objective and solution.status == "OPTIMAL"
    meta = solution_to_json(solution)["meta"]
    assert meta["objective"] == meta["value"] == 777.25 and meta["active_weeks"] == result.active_weeks


def test_zero_weights_and_no_limits_are_version_1():
    data = json.loads((DATA / "plan-small.json").read_text())
    v1 = solution_to_json(_solve(data, time_limit=120, work_limit=2, seed=3))
    data["objective"] = {"week_bonus": 0, "oversize_penalty": 0}
    data["limits"] = {"max_events_per_day": None}
    same = solution_to_json(_solve(data, time_limit=120, work_limit=2, seed=3))
    assert same["assignments"] == v1["assignments"]


# -- bigger generated instances: valid, limits respected, honest and monotone progress ---------------------------------

@pytest.mark.parametrize("make", [lambda: generate(90, 1, seed=4, version2=True),
                                  lambda: generate_center(70, seed=2)])
def test_generated_v2_plans_are_valid_and_progress_only_improves(make):
    data = make()
    trace = []
    solution = _solve(data, time_limit=8, on_progress=trace.append)
    result = _checked(data, solution)
    limits = data["limits"]
    assert result.max_events_in_a_day <= limits["max_events_per_day"]
    assert result.max_moveins_in_a_day <= limits["max_moveins_per_day"]
    assert trace, "progress was reported"
    for before, after in zip(trace, trace[1:], strict=False):
        assert after.objective >= before.objective - 1e-9
        assert after.bound <= before.bound + 1e-9
    assert solution.objective >= trace[-1].objective - 1e-9
    assert solution.bound <= trace[-1].bound + 1e-9
    assert solution.gap <= trace[-1].gap + 1e-12
    assert solution.objective >= solution.greedy_objective - 1e-9


def test_the_real_center_example_meets_its_planners_intent():
    data = json.loads((DATA / "plan-center-v2.json").read_text())
    solution = _solve(data, time_limit=20)
    result = _checked(data, solution)
    assert len(solution.unscheduled) == 0
    assert result.active_weeks == result.weeks_in_horizon
    assert result.max_events_in_a_day <= 3 and result.max_moveins_in_a_day <= 2
    assert solution.gap <= 0.005


def test_same_seed_gives_the_same_v2_plan():
    data = generate(120, 1, seed=7, version2=True)
    first = solution_to_json(_solve(data, time_limit=120, work_limit=3, seed=5))
    second = solution_to_json(_solve(data, time_limit=120, work_limit=3, seed=5))
    assert first["assignments"] == second["assignments"]


# -- exchange format ---------------------------------------------------------------------------------------------------

def test_v2_blocks_round_trip():
    data = json.loads((DATA / "plan-center-v2.json").read_text())
    instance = parse_instance(data)
    assert instance.objective == Objective(week_bonus=3, oversize_penalty=0.5)
    assert instance.limits == Limits(max_events_per_day=3, max_moveins_per_day=2)
    again = parse_instance(json.loads(json.dumps(instance_to_json(instance))))
    assert again == instance
    v1 = parse_instance(json.loads((DATA / "plan-small.json").read_text()))
    assert "objective" not in instance_to_json(v1) and "limits" not in instance_to_json(v1)


@pytest.mark.parametrize(("block", "field"), [
    ({"objective": {"week_bonus": -1}}, "objective.week_bonus"),
    ({"objective": {"oversize_penalty": "a lot"}}, "objective.oversize_penalty"),
    ({"objective": {"week_bonus": True}}, "objective.week_bonus"),
    ({"objective": [3]}, "objective"),
    ({"limits": {"max_events_per_day": 0}}, "limits.max_events_per_day"),
    ({"limits": {"max_moveins_per_day": 1.5}}, "limits.max_moveins_per_day"),
    ({"limits": {"max_moveins_per_day": "2"}}, "limits.max_moveins_per_day"),
    ({"limits": 3}, "limits"),
])
def test_bad_v2_blocks_name_the_field(block, field):
    data = {"horizon": {"start": "2027-01-04", "end": "2027-01-10"}, "spaces": [{"code": "R", "capacity": 5}],
            "activities": [_act("P-1")], **block}
    with pytest.raises(InstanceError) as err:
        parse_instance(data)
    assert err.value.field == field
    assert field in str(err.value)


def test_null_blocks_and_keys_mean_version_1():
    data = {"horizon": {"start": "2027-01-04", "end": "2027-01-10"}, "spaces": [{"code": "R", "capacity": 5}],
            "activities": [_act("P-1")], "objective": None, "limits": {"max_events_per_day": None}}
    instance = parse_instance(data)
    assert instance.objective.is_v1 and instance.limits.is_v1


def test_meta_block_reports_the_parts():
    data = _sparse(3)
    out = solution_to_json(_solve(data), parse_instance(data))
    meta = out["meta"]
    assert meta["active_weeks"] == meta["weeks_in_horizon"] == 8
    assert meta["weights"] == {"week_bonus": 3.0, "oversize_penalty": 0.0}
    assert meta["longest_idle"]["days"] <= 12 and meta["gap"] == 0 and meta["status"] == "OPTIMAL"
    assert meta["bound"] >= meta["objective"] == pytest.approx(8 * 2 + 3 * 8)

