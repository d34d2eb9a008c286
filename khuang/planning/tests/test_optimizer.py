"""The plan optimizer, judged by an independent checker and by brute force on instances small enough to enumerate."""

import itertools
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from khuang.planning.optimizer.cpsat import solve
from khuang.planning.optimizer.generate import generate
from khuang.planning.optimizer.greedy import solve_greedy
from khuang.planning.optimizer.io import InstanceError, parse_instance, solution_to_json
from khuang.planning.optimizer.model import SolveOptions

from .checker import check_plan

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[3]


def _instance(activities, spaces=None, closures=(), start="2027-01-01", end="2027-01-10"):
    return {"horizon": {"start": start, "end": end},
            "spaces": spaces or [{"code": "A", "capacity": 100}, {"code": "B", "capacity": 100},
                                 {"code": "AB", "capacity": 200, "parts": ["A", "B"]}],
            "closures": list(closures), "activities": activities}


def _act(aid, **kw):
    return {"id": aid, "days": 1, "priority": 3, **kw}


def _solve(data, **kw):
    kw.setdefault("time_limit", 5)
    return solve(parse_instance(data), SolveOptions(**kw))


def test_sample_instance_plan_is_valid_and_beats_greedy():
    data = json.loads((DATA / "plan-small.json").read_text())
    solution = _solve(data, time_limit=10)
    problems, objective = check_plan(data, solution_to_json(solution))
    assert problems == []
    assert objective == pytest.approx(solution.objective)
    assert solution.bound >= solution.objective - 1e-6
    assert solution.objective >= solve_greedy(parse_instance(data)).objective


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_instances_give_valid_plans_with_an_honest_bound(seed):
    data = generate(80, 1, seed=seed)
    solution = _solve(data, time_limit=4)
    problems, objective = check_plan(data, solution_to_json(solution))
    assert problems == []
    assert objective == pytest.approx(solution.objective)
    assert solution.bound + 1e-6 >= solution.objective
    assert 0 <= solution.gap < 0.2
    assert solution.objective >= solution.greedy_objective


def _brute_force(data):
    """The best objective over every combination of (space, start) or unscheduled per activity."""
    inst = parse_instance(data)
    h0, h1 = inst.horizon.start, inst.horizon.end
    choices = []
    for a in inst.activities:
        opts = [None]
        for s in inst.spaces:
            if a.allowed_spaces is not None and s.code not in a.allowed_spaces or s.capacity < a.attendees:
                continue
            d = a.earliest
            while d + timedelta(days=a.days - 1) <= a.latest_end:
                if a.fixed_start is None or d == a.fixed_start:
                    opts.append((s.code, d))
                d += timedelta(days=1)
        choices.append(opts)
    best = 0.0
    for combo in itertools.product(*choices):
        plan = {"assignments": [{"activity": a.id, "space": c[0], "start": c[1].isoformat()}
                                for a, c in zip(inst.activities, combo, strict=True) if c],
                "unscheduled": [a.id for a, c in zip(inst.activities, combo, strict=True) if not c]}
        problems, value = check_plan(data, plan)
        if not problems and value > best:
            best = value
    assert h0 <= h1
    return best


@pytest.mark.parametrize("seed", range(4))
def test_small_instances_reach_the_brute_force_optimum(seed):
    import random

    rng = random.Random(seed)
    acts = []
    for k in range(4):
        days = rng.choice([1, 2, 3])
        acts.append(_act(f"T{k}", days=days, setup_days=rng.choice([0, 1]), teardown_days=rng.choice([0, 1]),
                         attendees=rng.choice([50, 150]), priority=rng.randint(1, 5),
                         preferred_months=[1] if rng.random() < 0.5 else [],
                         earliest="2027-01-01", latest_end=rng.choice(["2027-01-06", "2027-01-08"])))
    data = _instance(acts, end="2027-01-08",
                     closures=[{"space": "B", "start": "2027-01-04", "end": "2027-01-04", "reason": "x"}])
    solution = _solve(data)
    assert check_plan(data, solution_to_json(solution))[0] == []
    assert solution.objective == pytest.approx(_brute_force(data))
    assert solution.status == "OPTIMAL" and solution.gap == 0


def test_combined_space_and_its_parts_never_overlap():
    acts = [_act("BIG", attendees=150, days=3, fixed_start="2027-01-02", priority=5),
            _act("SMALL-A", allowed_spaces=["A"], earliest="2027-01-02", latest_end="2027-01-04"),
            _act("SMALL-B", allowed_spaces=["B"], earliest="2027-01-06", latest_end="2027-01-06")]
    solution = _solve(_instance(acts))
    placed = {a.activity: a for a in solution.assignments}
    assert placed["BIG"].space == "AB"
    assert "SMALL-A" in solution.unscheduled
    assert placed["SMALL-B"].start == date(2027, 1, 6)
    assert solution.explanations["SMALL-A"].reason == "outcompeted"
    assert any("BIG" in b for b in solution.explanations["SMALL-A"].blocking)


def test_a_closed_part_blocks_the_combination_and_is_named():
    data = _instance([_act("FAIR", attendees=150, earliest="2027-01-03", latest_end="2027-01-04")],
                     closures=[{"space": "A", "start": "2027-01-01", "end": "2027-01-05", "reason": "maintenance"}])
    solution = _solve(data)
    assert solution.unscheduled == ["FAIR"]
    expl = solution.explanations["FAIR"]
    assert expl.reason == "blocked"
    assert any("maintenance" in b for b in expl.blocking)
    assert expl.nearest_alternative is not None
    assert expl.nearest_alternative.start >= date(2027, 1, 6)


def test_no_space_large_enough_is_explained():
    solution = _solve(_instance([_act("HUGE", attendees=5000)]))
    assert solution.explanations["HUGE"].reason == "no_space"
    assert "5000" in solution.explanations["HUGE"].message_en


def test_setup_and_teardown_occupy_the_space():
    acts = [_act("X", allowed_spaces=["A"], days=2, setup_days=1, teardown_days=1, fixed_start="2027-01-03"),
            _act("Y", allowed_spaces=["A"], earliest="2027-01-05", latest_end="2027-01-05")]
    solution = _solve(_instance(acts))
    assert [a.activity for a in solution.assignments] == ["X"]  # Y's only day is X's teardown


def test_preferred_month_is_worth_a_quarter_more():
    data = _instance([_act("P", days=2, priority=2, preferred_months=[2], earliest="2027-01-25",
                           latest_end="2027-02-10")], start="2027-01-01", end="2027-02-28")
    solution = _solve(data)
    assert solution.assignments[0].start.month == 2
    assert solution.objective == pytest.approx(2 * 2 * 1.25)


def test_pins_are_kept():
    data = _instance([_act("P1", allowed_spaces=["A", "B"]), _act("P2")], end="2027-01-05")
    data["pins"] = [{"activity": "P1", "space": "B", "start": "2027-01-04"}]
    solution = _solve(data)
    placed = {a.activity: a for a in solution.assignments}
    assert (placed["P1"].space, placed["P1"].start) == ("B", date(2027, 1, 4))


def test_same_seed_gives_the_same_plan():
    data = generate(120, 1, seed=7)
    first = solution_to_json(_solve(data, time_limit=120, work_limit=3, seed=5))
    second = solution_to_json(_solve(data, time_limit=120, work_limit=3, seed=5))
    assert first == second


def test_idle_weeks_and_the_week_bonus():
    acts = [_act(f"S{k}", earliest="2027-01-04", latest_end="2027-02-28", priority=1) for k in range(3)]
    data = _instance(acts, spaces=[{"code": "R", "capacity": 50}], start="2027-01-04", end="2027-02-28")
    plain = _solve(data)
    assert len(plain.idle_weeks) >= 5  # three one-day events cannot fill eight weeks
    spread = _solve({**data, "objective": {"week_bonus": 1.0}})
    assert check_plan({**data, "objective": {"week_bonus": 1.0}}, solution_to_json(spread))[0] == []
    weeks = {(a.start - date(2027, 1, 4)).days // 7 for a in spread.assignments}
    assert len(weeks) == 3  # one event a week when weeks with an event are worth something
    assert len(spread.idle_weeks) == 5
    # the deprecated continuity weight is an alias of the week bonus
    alias = _solve(data, continuity_weight=1.0)
    assert alias.objective == spread.objective == 3 + 3


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["activities"][0].update(allowed_spaces=["NOPE"]), "allowed_spaces"),
    (lambda d: d["activities"][0].update(days=0), "days"),
    (lambda d: d["activities"][0].update(earliest="2027-01-05", latest_end="2027-01-05", days=2), "latest_end"),
    (lambda d: d["activities"][0].update(fixed_start="2027-03-01"), "fixed_start"),
    (lambda d: d["activities"].append(dict(d["activities"][0])), "id"),
    (lambda d: d["spaces"].extend([{"code": "X", "parts": ["Y", "A"]}, {"code": "Y", "parts": ["X", "B"]}]),
     "spaces.parts"),
    (lambda d: d["activities"][0].update(priority=9), "priority"),
    (lambda d: d["activities"][0].update(type="party"), "type"),
])
def test_bad_instances_name_the_activity_and_field(change, field):
    data = _instance([_act("P-001")])
    change(data)
    with pytest.raises(InstanceError) as err:
        parse_instance(data)
    assert err.value.field.startswith(field)


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "khuang.cli", "plan", "solve", *args], cwd=ROOT,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_cli_writes_exactly_the_exchange_format(tmp_path):
    out = tmp_path / "out.json"
    run = _cli(str(DATA / "plan-small.json"), "-o", str(out), "--time-limit", "5", "--workers", "2", "--seed", "1")
    assert run.returncode == 0, run.stderr
    assert "objective" in run.stdout and "bound" in run.stdout and "gap" in run.stdout
    plan = json.loads(out.read_text())
    assert set(plan) == {"assignments", "unscheduled", "meta"}
    assert plan["meta"]["objective"] == pytest.approx(777.25) and plan["meta"]["status"] == "OPTIMAL"
    assert all(set(a) == {"activity", "space", "start"} for a in plan["assignments"])
    assert check_plan(json.loads((DATA / "plan-small.json").read_text()), plan)[0] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", "not valid JSON"),
    (json.dumps(_instance([_act("P-7", days=0)])), "activity P-7, field days"),
    (json.dumps(_instance([_act("P-8", allowed_spaces=["ZZ"])])), "activity P-8, field allowed_spaces"),
])
def test_cli_exits_2_naming_the_problem(tmp_path, text, expected):
    src = tmp_path / "in.json"
    src.write_text(text)
    out = tmp_path / "out.json"
    run = _cli(str(src), "-o", str(out))
    assert run.returncode == 2
    assert expected in run.stderr
    assert not out.exists()
