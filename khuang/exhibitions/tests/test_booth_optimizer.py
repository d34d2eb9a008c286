"""The booth optimizer, judged by an independent checker and by brute force on plans small enough to enumerate."""

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from khuang.exhibitions.booths.cpsat import solve, solve_greedy
from khuang.exhibitions.booths.generate import floor, generate
from khuang.exhibitions.booths.io import InstanceError, parse_instance, solution_to_json
from khuang.exhibitions.booths.model import SolveOptions

from .checker import check_assignment

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[3]


def _grid(cols: int, rows: int = 1, *, size: float = 3.0, **extra) -> list[dict]:
    """A block of booths `cols` wide and `rows` deep, codes B1, B2, … row by row."""
    out = []
    for r in range(rows):
        for c in range(cols):
            out.append({"code": f"B{r * cols + c + 1}", "x": c * size, "y": r * size, "width": size, "depth": size,
                        **extra})
    return out


def _solve(data, **kw):
    kw.setdefault("time_limit", 10)
    return solve(parse_instance(data), SolveOptions(**kw))


def _valid(data, solution) -> float:
    problems, objective = check_assignment(data, solution_to_json(solution))
    assert problems == []
    assert objective == pytest.approx(solution.objective)
    assert solution.bound >= solution.objective - 1e-6
    return objective


def test_sample_fair_is_valid_optimal_and_beats_greedy():
    data = json.loads((DATA / "booths-small.json").read_text())
    solution = _solve(data)
    _valid(data, solution)
    assert solution.status == "OPTIMAL"
    assert solution.objective >= solve_greedy(parse_instance(data)).objective
    assert set(solution.explanations) == {e["id"] for e in data["exhibitors"]}


@pytest.mark.parametrize(("seed", "distance"), [(1, 0.0), (2, 4.0), (3, 7.0)])
def test_generated_fairs_give_valid_assignments_with_an_honest_bound(seed, distance):
    data = generate(100, 90, seed=seed, competitor_distance=distance)
    solution = _solve(data, time_limit=8)
    _valid(data, solution)
    assert solution.objective >= solution.greedy_objective
    assert 0 <= solution.gap < 0.05
    multi = [a for a in solution.assignments if len(a.booths) > 1]
    assert multi  # contiguity was actually exercised


def _brute_force(data) -> float:
    """The best objective over every way to give each exhibitor nothing or any set of the right size."""
    codes = [b["code"] for b in data["booths"]]
    options = []
    for e in data["exhibitors"]:
        options.append([None, *itertools.combinations(codes, e.get("booths") or 1)])
    best = 0.0
    for combo in itertools.product(*options):
        used = [c for pick in combo if pick for c in pick]
        if len(used) != len(set(used)):
            continue
        result = {"assignments": [{"exhibitor": e["id"], "booths": list(p)}
                                  for e, p in zip(data["exhibitors"], combo, strict=True) if p],
                  "unassigned": [e["id"] for e, p in zip(data["exhibitors"], combo, strict=True) if not p]}
        problems, value = check_assignment(data, result)
        if not problems and value > best:
            best = value
    return best


@pytest.mark.parametrize("seed", range(5))
def test_small_fairs_reach_the_brute_force_optimum(seed):
    rng = random.Random(seed)
    booths = _grid(4, 2)
    for b in booths:
        b.update(power=rng.random() < 0.6, water=rng.random() < 0.2, zone=rng.choice("AB"),
                 type=rng.choice(["inline", "corner"]), prime=rng.random() < 0.3)
    people = []
    for k in range(4):
        people.append({"id": f"E{k}", "booths": rng.choice([1, 1, 2, 3]), "priority": rng.randint(1, 6),
                       "power": rng.random() < 0.4, "water": rng.random() < 0.15,
                       "zones": [rng.choice("AB")] if rng.random() < 0.5 else [],
                       "type": rng.choice([None, "corner"]), "community": rng.random() < 0.5})
    people[0]["competitors"] = ["E1"]
    data = {"booths": booths, "exhibitors": people,
            "rules": {"competitor_distance": rng.choice([0, 2.0]), "community_prime_quota": 1,
                      "zone_weight": 2, "type_weight": 1}}
    solution = _solve(data)
    _valid(data, solution)
    assert solution.objective == pytest.approx(_brute_force(data))
    assert solution.status == "OPTIMAL" and solution.gap == 0


def test_multi_booth_exhibitors_get_side_by_side_booths_or_none():
    # Free booths B1 and B3 are not side by side (B2 is blocked): a two-booth exhibitor cannot be placed.
    data = {"booths": _grid(3), "exhibitors": [{"id": "PAIR", "booths": 2, "priority": 9}], "blocked": ["B2"]}
    solution = _solve(data)
    assert solution.unassigned == ["PAIR"]
    assert solution.explanations["PAIR"].reason == "no_fit"
    # Touching only at a corner is not side by side either.
    diagonal = [{"code": "A", "x": 0, "y": 0, "width": 3, "depth": 3}, {"code": "B", "x": 3, "y": 3, "width": 3,
                                                                       "depth": 3}]
    assert _solve({"booths": diagonal, "exhibitors": [{"id": "PAIR", "booths": 2}]}).unassigned == ["PAIR"]


def test_competitors_never_touch_and_the_loser_is_told_why():
    data = {"booths": _grid(3),
            "exhibitors": [{"id": "BIG", "booths": 1, "priority": 9, "competitors": ["RIVAL"]},
                           {"id": "RIVAL", "booths": 1, "priority": 5}]}
    solution = _solve(data)
    _valid(data, solution)
    placed = {a.exhibitor: a.booths for a in solution.assignments}
    assert placed == {"BIG": ("B1",), "RIVAL": ("B3",)} or placed == {"BIG": ("B3",), "RIVAL": ("B1",)}
    # Two booths only, side by side: the rival (lower priority) stays out, and the explanation names BIG.
    data["booths"] = _grid(2)
    solution = _solve(data)
    assert solution.unassigned == ["RIVAL"]
    assert solution.explanations["RIVAL"].reason == "competitor"
    assert solution.explanations["RIVAL"].blocking == ("BIG",)


def test_competitor_distance_across_the_aisle():
    # Two rows facing each other across a 3 m aisle: allowed at distance 0, not when 4 m are required.
    booths = [{"code": "N1", "x": 0, "y": 0, "width": 3, "depth": 3},
              {"code": "S1", "x": 0, "y": 6, "width": 3, "depth": 3}]
    people = [{"id": "A", "priority": 3, "competitors": ["B"]}, {"id": "B", "priority": 2}]
    assert len(_solve({"booths": booths, "exhibitors": people}).assignments) == 2
    far = _solve({"booths": booths, "exhibitors": people, "rules": {"competitor_distance": 4}})
    assert [a.exhibitor for a in far.assignments] == ["A"]


def test_power_and_water_are_respected():
    booths = _grid(3)
    booths[2]["power"] = True
    data = {"booths": booths, "exhibitors": [{"id": "KILN", "power": True, "priority": 1},
                                              {"id": "TEA", "water": True, "priority": 9}]}
    solution = _solve(data)
    assert {a.exhibitor: a.booths for a in solution.assignments} == {"KILN": ("B3",)}
    assert solution.explanations["TEA"].reason == "no_fit"
    assert "water" in solution.explanations["TEA"].message_en


def test_prime_booths_are_kept_for_community_producers():
    booths = _grid(4)
    for b in booths[:2]:
        b["prime"] = True
    people = [{"id": f"CORP{k}", "priority": 9, "zones": []} for k in range(4)]
    people.append({"id": "OTOP", "priority": 1, "community": True})
    data = {"booths": booths, "exhibitors": people, "rules": {"community_prime_quota": 1}}
    solution = _solve(data)
    _valid(data, solution)
    placed = {a.exhibitor: a.booths for a in solution.assignments}
    assert "OTOP" in placed and placed["OTOP"][0] in ("B1", "B2")
    assert len(solution.unassigned) == 1 and solution.unassigned[0].startswith("CORP")
    # With no community exhibitor the reserve is not wasted.
    data["exhibitors"] = people[:4]
    assert len(_solve(data).assignments) == 4


def test_preferences_zone_and_type_lift_the_fit():
    booths = _grid(3)
    booths[0].update(zone="A", type="corner")
    booths[1].update(zone="B")
    booths[2].update(zone="B", type="corner")
    people = [{"id": "WANTS-A", "zones": ["A"], "priority": 1}, {"id": "WANTS-CORNER", "type": "corner",
                                                                 "priority": 1}]
    solution = _solve({"booths": booths, "exhibitors": people})
    placed = {a.exhibitor: a.booths for a in solution.assignments}
    assert placed == {"WANTS-A": ("B1",), "WANTS-CORNER": ("B3",)}
    assert solution.explanations["WANTS-A"].zone_fit is True
    assert solution.explanations["WANTS-CORNER"].type_fit is True


def test_pins_are_kept_and_others_fill_around_them():
    data = {"booths": _grid(4), "exhibitors": [{"id": "P", "booths": 1, "priority": 1},
                                               {"id": "Q", "booths": 2, "priority": 9}],
            "pins": [{"exhibitor": "P", "booths": ["B2"]}]}
    solution = _solve(data)
    _valid(data, solution)
    placed = {a.exhibitor: a.booths for a in solution.assignments}
    assert placed == {"P": ("B2",), "Q": ("B3", "B4")}
    assert solution.explanations["P"].reason == "pinned"


def test_an_outranked_exhibitor_is_told_who_took_the_booths():
    data = {"booths": _grid(2), "exhibitors": [{"id": "HIGH", "booths": 2, "priority": 9},
                                               {"id": "LOW", "booths": 1, "priority": 1}]}
    solution = _solve(data)
    expl = solution.explanations["LOW"]
    assert expl.reason == "taken" and expl.blocking == ("HIGH",)
    assert "HIGH" in expl.message_en and "HIGH" in expl.message_th


@pytest.mark.parametrize(("change", "field", "who"), [
    (lambda d: d["booths"][0].update(code="บูธ1"), "booths[0].code", None),
    (lambda d: d["booths"][1].update(width=0), "width", "B2"),
    (lambda d: d["booths"][1].update(type="round"), "type", "B2"),
    (lambda d: d["booths"][1].update(x=1.5), "x", "B1"),
    (lambda d: d["booths"].append(dict(d["booths"][0], x=50)), "booths[3].code", "B1"),
    (lambda d: d["exhibitors"][0].update(booths=0), "booths", "E1"),
    (lambda d: d["exhibitors"][0].update(priority="high"), "priority", "E1"),
    (lambda d: d["exhibitors"][0].update(competitors=["NOBODY"]), "competitors", "E1"),
    (lambda d: d["exhibitors"][0].update(power="yes"), "power", "E1"),
    (lambda d: d.update(blocked=["Z9"]), "blocked[0]", None),
    (lambda d: d.update(pins=[{"exhibitor": "E1", "booths": ["B1", "B3"]}]), "pins[0].booths", "E1"),
    (lambda d: d.update(rules={"competitor_distance": -1}), "rules.competitor_distance", None),
])
def test_bad_instances_name_the_field(change, field, who):
    data = {"booths": _grid(3), "exhibitors": [{"id": "E1"}, {"id": "E2"}]}
    change(data)
    with pytest.raises(InstanceError) as err:
        parse_instance(data)
    assert err.value.field == field
    if who is not None:
        assert who in str(err.value)


def test_pins_beside_a_competitor_are_refused():
    data = {"booths": _grid(3), "exhibitors": [{"id": "E1", "competitors": ["E2"]}, {"id": "E2"}],
            "pins": [{"exhibitor": "E1", "booths": ["B1"]}, {"exhibitor": "E2", "booths": ["B2"]}]}
    with pytest.raises(InstanceError, match="competitor E2"):
        parse_instance(data)


def test_generated_floor_has_the_documented_shape():
    booths = floor(halls=3)
    assert len(booths) == 300
    assert len({b["code"] for b in booths}) == 300
    assert {b["zone"] for b in booths} == {"A", "B", "C"}
    parse_instance({"booths": booths, "exhibitors": []})  # no overlaps, valid codes


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "khuang.cli", "booths", "solve", *args], cwd=ROOT,
                          capture_output=True, text=True, input=stdin, timeout=120)


def test_cli_writes_the_documented_output(tmp_path):
    out = tmp_path / "out.json"
    run = _cli(str(DATA / "booths-small.json"), "-o", str(out), "--time-limit", "5")
    assert run.returncode == 0, run.stderr
    assert "objective" in run.stdout and "bound" in run.stdout and "gap" in run.stdout
    result = json.loads(out.read_text())
    assert set(result) == {"assignments", "unassigned", "objective", "bound", "gap", "status", "explanations"}
    assert check_assignment(json.loads((DATA / "booths-small.json").read_text()), result)[0] == []
    assert all(set(x) == {"reason", "message_en", "message_th", "blocking", "zone_fit", "type_fit"}
               for x in result["explanations"].values())


@pytest.mark.parametrize(("text", "expected"), [
    ("[1, 2", "not valid JSON"),
    (json.dumps({"booths": _grid(2), "exhibitors": [{"id": "E-7", "booths": 12}]}), "exhibitor E-7, field booths"),
    (json.dumps({"booths": [{"code": "A1", "x": 0, "y": 0, "width": -3, "depth": 3}], "exhibitors": []}),
     "booth A1, field width"),
])
def test_cli_exits_2_naming_the_problem(tmp_path, text, expected):
    src = tmp_path / "in.json"
    src.write_text(text)
    out = tmp_path / "out.json"
    run = _cli(str(src), "-o", str(out))
    assert run.returncode == 2
    assert expected in run.stderr
    assert not out.exists()
