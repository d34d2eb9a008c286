"""Optimizer quality and speed on generated instances: objective, proven bound, gap, time, margin over greedy.

Targets (2 workers): ~300 proposals × 15 spaces within 1% of the bound in ≤ 60 s; ~1,500 proposals × 45 spaces
(three venues) within 3% in ≤ 5 minutes; always ahead of the first-fit greedy baseline.

    .venv/bin/python bench/plan.py                 # both sizes, the target time limits
    .venv/bin/python bench/plan.py --quick         # smaller and shorter, for a smoke run
    .venv/bin/python bench/plan.py --seeds 1 2 3   # several generated instances per size
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuang.planning.optimizer.cpsat import solve  # noqa: E402
from khuang.planning.optimizer.generate import generate  # noqa: E402
from khuang.planning.optimizer.greedy import solve_greedy  # noqa: E402
from khuang.planning.optimizer.io import parse_instance, solution_to_json  # noqa: E402
from khuang.planning.optimizer.model import SolveOptions  # noqa: E402
from khuang.planning.tests.checker import check_plan  # noqa: E402


def run(n: int, venues: int, seed: int, time_limit: float, workers: int) -> None:
    data = generate(n, venues, seed=seed)
    instance = parse_instance(data)
    t = time.monotonic()
    greedy = solve_greedy(instance)
    greedy_s = time.monotonic() - t
    solution = solve(instance, SolveOptions(time_limit=time_limit, workers=workers, seed=0))
    problems, checked = check_plan(data, solution_to_json(solution))
    gproblems, _ = check_plan(data, solution_to_json(greedy))
    valid = not problems and not gproblems and abs(checked - solution.objective) < 1e-6
    margin = (solution.objective - greedy.objective) / greedy.objective * 100 if greedy.objective else 0.0
    print(f"{n:>5} × {len(data['spaces']):>2} spaces  seed {seed}  greedy {greedy.objective:>9.2f} ({greedy_s:4.1f}s)  "
          f"plan {solution.objective:>9.2f}  bound {solution.bound:>9.2f}  gap {solution.gap * 100:5.2f}%  "
          f"time {solution.wall_seconds:5.1f}s  +{margin:4.1f}% over greedy  "
          f"scheduled {len(solution.assignments)}/{n}  {solution.status}  "
          f"valid {'yes' if valid else problems[:3]}",
          flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--seeds", type=int, nargs="+", default=[1])
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    sizes = [(60, 1, 10), (300, 1, 20)] if args.quick else [(300, 1, 60), (1500, 3, 300)]
    for n, venues, limit in sizes:
        for seed in args.seeds:
            run(n, venues, seed, limit, args.workers)


if __name__ == "__main__":
    main()
