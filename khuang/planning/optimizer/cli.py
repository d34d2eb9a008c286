"""`khuang plan solve IN.json -o OUT.json [--time-limit S] [--workers N] [--seed N]` — no database needed.

Exit codes: 0 solved (a plan was written), 2 bad input (the message names the activity and the field).
"""

import argparse
import json
import sys
from pathlib import Path

from .io import InstanceError, parse_instance, solution_to_json
from .model import SolveOptions


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="khuang plan solve", description="Solve a plan instance (exchange format).")
    p.add_argument("input", help="instance JSON file, or - for standard input")
    p.add_argument("-o", "--output", required=True, help="where to write the plan JSON (- for standard output)")
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--workers", type=int, default=2, help="parallel search workers (default 2)")
    p.add_argument("--seed", type=int, default=0, help="random seed; same seed and input give the same plan")
    p.add_argument("--continuity-weight", type=float, default=0.0,
                   help="points per week with an event start (secondary objective, default 0 = off)")
    p.add_argument("--greedy", action="store_true", help="write the first-fit baseline instead of optimizing")
    p.add_argument("--log", action="store_true", help="print the solver's search log to standard error")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of `khuang plan solve`."""
    args = _parser().parse_args(argv)
    if args.time_limit <= 0 or args.workers < 1 or args.seed < 0:
        print("error: --time-limit must be > 0, --workers ≥ 1, --seed ≥ 0", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if args.input == "-" else Path(args.input).read_text(encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot read {args.input}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"error: {args.input} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
              file=sys.stderr)
        return 2
    try:
        instance = parse_instance(data)
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.greedy:
        from .greedy import solve_greedy

        solution = solve_greedy(instance)
    else:
        from .cpsat import solve

        solution = solve(instance, SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                                                continuity_weight=args.continuity_weight, log=args.log))
    out = json.dumps(solution_to_json(solution), ensure_ascii=False, indent=2)
    if args.output == "-":
        print(out)
    else:
        Path(args.output).write_text(out + "\n", encoding="utf-8")
    scheduled = len(solution.assignments)
    print(f"objective {solution.objective:.2f}  bound {solution.bound:.2f}  gap {solution.gap * 100:.2f}%  "
          f"status {solution.status}  scheduled {scheduled}/{scheduled + len(solution.unscheduled)}  "
          f"greedy {solution.greedy_objective if solution.greedy_objective is not None else '-'}  "
          f"time {solution.wall_seconds:.1f}s", file=sys.stderr if args.output == "-" else sys.stdout)
    return 0
