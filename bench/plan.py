"""Optimizer quality and speed on generated instances: objective v2 and its parts, proven bound, gap, time, and the
greedy baseline; every plan checked by the independent checker (limits, weeks, oversize, meta).

Cases (2 workers):
    center    the real center's scale: 60–90 proposals, 14 spaces, one fiscal year, both v2 blocks
              (target: proven optimal or within 0.5 % of the bound in ≤ 30 s); also the shipped example
    300       ~300 proposals × 15 spaces with both blocks (target: within 1 % in ≤ 60 s)
    1500      ~1,500 proposals × 45 spaces (three venues) with both blocks (target: within 3 % in ≤ 300 s)
    v1-300    the same 300 without the blocks (version 1; before v2: 0.31 % in ~50 s)
    v1-1500   the same 1,500 without the blocks (before v2: 2.70 % in 256 s)

    .venv/bin/python bench/plan.py                      # every case at its target time limit
    .venv/bin/python bench/plan.py --case center 300    # some cases
    .venv/bin/python bench/plan.py --quick              # smaller and shorter, for a smoke run
    .venv/bin/python bench/plan.py --seeds 1 2 3        # several generated instances per case
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuang.planning.optimizer.cpsat import solve  # noqa: E402
from khuang.planning.optimizer.generate import generate, generate_center  # noqa: E402
from khuang.planning.optimizer.greedy import solve_greedy  # noqa: E402
from khuang.planning.optimizer.io import parse_instance, solution_to_json  # noqa: E402
from khuang.planning.optimizer.model import SolveOptions  # noqa: E402
from khuang.planning.tests.checker import check  # noqa: E402

EXAMPLE = ROOT / "khuang" / "planning" / "tests" / "data" / "plan-center-v2.json"


def _strip(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("objective", "limits")}


def cases(quick: bool) -> dict:
    """name → (instances per seed, time limit)."""
    if quick:
        return {
            "center": (lambda seed: [(f"center seed {seed}", generate_center(70, seed=seed))], 10),
            "300": (lambda seed: [("120 v2", generate(120, 1, seed=seed, version2=True))], 15),
            "1500": (lambda seed: [("300 × 3 venues v2", generate(300, 3, seed=seed, version2=True))], 30),
            "v1-300": (lambda seed: [("120 v1", generate(120, 1, seed=seed))], 15),
            "v1-1500": (lambda seed: [("300 × 3 venues v1", generate(300, 3, seed=seed))], 30),
        }
    return {
        "center": (lambda seed: [(f"center 60–90 seed {seed}", generate_center(60 + (seed * 13) % 31, seed=seed))]
                   + ([("center example (83)", json.loads(EXAMPLE.read_text()))] if seed == 1 else []), 30),
        "300": (lambda seed: [("300 v2", generate(300, 1, seed=seed, version2=True))], 60),
        "1500": (lambda seed: [("1500 v2", generate(1500, 3, seed=seed, version2=True))], 300),
        "v1-300": (lambda seed: [("300 v1", _strip(generate(300, 1, seed=seed)))], 60),
        "v1-1500": (lambda seed: [("1500 v1", _strip(generate(1500, 3, seed=seed)))], 300),
    }


def _figures(result, wall: float | None = None) -> str:
    return (f"value {result.value:9.2f}  weeks {result.active_weeks:>2}/{result.weeks_in_horizon}  "
            f"idle {result.longest_idle_days:>3}d  oversize {result.oversize_sum:7.2f}  "
            f"events/day {result.max_events_in_a_day:>2}  move-ins/day {result.max_moveins_in_a_day:>2}  "
            f"objective {result.objective:9.2f}" + (f"  ({wall:.1f}s)" if wall is not None else ""))


def run(name: str, data: dict, time_limit: float, workers: int) -> bool:
    """Solve one instance, print its figures; True when both plans pass the checker."""
    instance = parse_instance(data)
    t = time.monotonic()
    greedy = solve_greedy(instance)
    greedy_s = time.monotonic() - t
    solution = solve(instance, SolveOptions(time_limit=time_limit, workers=workers, seed=0))
    plan = check(data, solution_to_json(solution, instance))
    base = check(data, solution_to_json(greedy, instance))
    valid = not plan.problems and not base.problems and abs(plan.objective - solution.objective) < 1e-6
    n = len(data["activities"])
    print(f"{name}: {n} proposals × {len(data['spaces'])} spaces, limit {time_limit:.0f}s, "
          f"{'v2' if 'objective' in data or 'limits' in data else 'v1'}", flush=True)
    print(f"  plan    {_figures(plan)}  scheduled {len(solution.assignments)}/{n}")
    print(f"          bound {solution.bound:9.2f}  gap {solution.gap * 100:5.2f}%  time {solution.wall_seconds:5.1f}s  "
          f"{solution.status}  +{(solution.objective - greedy.objective) / abs(greedy.objective or 1) * 100:4.1f}% "
          f"over greedy  valid {'yes' if valid else (plan.problems + base.problems)[:3]}")
    print(f"  greedy  {_figures(base, greedy_s)}  scheduled {len(greedy.assignments)}/{n}", flush=True)
    return valid


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--case", nargs="+", choices=["center", "300", "1500", "v1-300", "v1-1500"],
                   help="which cases (default: all)")
    p.add_argument("--quick", action="store_true", help="smaller instances and shorter limits")
    p.add_argument("--seeds", type=int, nargs="+", default=[1])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--time-limit", type=float, help="override every case's time limit")
    args = p.parse_args()
    table = cases(args.quick)
    ok = True
    for case in args.case or list(table):
        make, limit = table[case]
        for seed in args.seeds:
            for name, data in make(seed):
                ok = run(name, data, args.time_limit or limit, args.workers) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
