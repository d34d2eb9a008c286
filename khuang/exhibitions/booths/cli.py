"""`khuang booths solve IN.json -o OUT.json [--time-limit S] [--workers N] [--seed N] [--greedy]` — no database.

Exit codes: 0 solved (an assignment was written), 2 bad input (the message names the booth or exhibitor and the
field).
"""

import argparse
import json
import sys
from pathlib import Path

from .io import InstanceError, parse_instance, solution_to_json
from .model import SolveOptions


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="khuang booths solve",
                                description="Assign exhibitors to booths (exchange format, docs/BOOTHS.md).")
    p.add_argument("input", help="instance JSON file, or - for standard input")
    p.add_argument("-o", "--output", required=True, help="where to write the assignment JSON (- for standard output)")
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--workers", type=int, default=2, help="parallel search workers (default 2)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the search (default 0)")
    p.add_argument("--target-gap", type=float, default=0.0,
                   help="stop once within this fraction of the proven bound, e.g. 0.01 (default 0: use the time)")
    p.add_argument("--greedy", action="store_true", help="write the first-fit baseline instead of optimizing")
    p.add_argument("--no-explanations", action="store_true", help="leave the explanations out of the output")
    p.add_argument("--log", action="store_true", help="print the solver's search log to standard error")
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of `khuang booths solve`."""
    args = _parser().parse_args(argv)
    if args.time_limit <= 0 or args.workers < 1 or args.seed < 0 or not 0 <= args.target_gap < 1:
        print("error: --time-limit must be > 0, --workers ≥ 1, --seed ≥ 0, 0 ≤ --target-gap < 1", file=sys.stderr)
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
        if args.greedy:
            from .cpsat import solve_greedy

            solution = solve_greedy(instance)
        else:
            from .cpsat import solve

            solution = solve(instance, SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                                                    target_gap=args.target_gap, log=args.log))
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = json.dumps(solution_to_json(solution, explanations=not args.no_explanations), ensure_ascii=False, indent=2)
    if args.output == "-":
        print(out)
    else:
        Path(args.output).write_text(out + "\n", encoding="utf-8")
    placed = len(solution.assignments)
    print(f"objective {solution.objective:.0f}  bound {solution.bound:.0f}  gap {solution.gap * 100:.2f}%  "
          f"status {solution.status}  placed {placed}/{placed + len(solution.unassigned)}  "
          f"greedy {solution.greedy_objective:.0f}  time {solution.wall_seconds:.1f}s",
          file=sys.stderr if args.output == "-" else sys.stdout)
    return 0
