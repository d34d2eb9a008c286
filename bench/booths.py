"""Booth optimizer quality and speed on generated fairs: objective, proven bound, gap, time, margin over greedy.

Target (2 workers): a 300-booth, 250-exhibitor fair within 1 % of the bound in ≤ 60 s. Each assignment is
checked by the independent checker of the tests. The machine's load average is printed before and after, since
the figures depend on it.

    .venv/bin/python bench/booths.py                      # 300 booths × 250 exhibitors, seed 1, 60 s
    .venv/bin/python bench/booths.py --seeds 1 2 3        # several generated fairs
    .venv/bin/python bench/booths.py --distance 4         # competitors at least 4 m apart
    .venv/bin/python bench/booths.py --quick              # 100 × 90 in 15 s, a smoke run
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuang.exhibitions.booths.cpsat import solve  # noqa: E402
from khuang.exhibitions.booths.generate import generate  # noqa: E402
from khuang.exhibitions.booths.io import parse_instance, solution_to_json  # noqa: E402
from khuang.exhibitions.booths.model import SolveOptions  # noqa: E402
from khuang.exhibitions.tests.checker import check_assignment  # noqa: E402


def run(booths: int, exhibitors: int, seed: int, time_limit: float, workers: int, distance: float) -> None:
    data = generate(booths, exhibitors, seed=seed, competitor_distance=distance)
    trace: list[tuple[float, float]] = []
    t = time.monotonic()
    solution = solve(parse_instance(data), SolveOptions(time_limit=time_limit, workers=workers, seed=0,
                                                        on_progress=lambda p: trace.append((p.elapsed, p.gap))))
    wall = time.monotonic() - t
    problems, checked = check_assignment(data, solution_to_json(solution))
    valid = not problems and abs(checked - solution.objective) < 1e-6
    within = next((f"{e:.1f}s" for e, g in trace if g <= 0.01), "never")
    margin = (solution.objective - solution.greedy_objective) / solution.greedy_objective * 100
    wanted = sum(e["booths"] for e in data["exhibitors"])
    print(f"{len(data['booths'])} booths × {exhibitors} exhibitors ({wanted} booths wanted)  seed {seed}  "
          f"distance {distance:g} m  greedy {solution.greedy_objective:.0f}  objective {solution.objective:.0f}  "
          f"bound {solution.bound:.0f}  gap {solution.gap * 100:.2f}%  within 1% at {within}  "
          f"time {wall:.1f}s  +{margin:.1f}% over greedy  placed {len(solution.assignments)}/{exhibitors}  "
          f"{solution.status}  valid {'yes' if valid else problems[:3]}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--seeds", type=int, nargs="+", default=[1])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--distance", type=float, default=0.0, help="competitor distance in metres (default 0)")
    p.add_argument("--time-limit", type=float, default=None)
    args = p.parse_args()
    booths, exhibitors, limit = (100, 90, 15.0) if args.quick else (300, 250, 60.0)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  ({os.cpu_count()} CPUs)")
    for seed in args.seeds:
        run(booths, exhibitors, seed, args.time_limit or limit, args.workers, args.distance)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
