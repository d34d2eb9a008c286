"""`khuang plan solve IN.json -o OUT.json [--time-limit S] [--workers N] [--seed N]` — no database needed.

Reads and writes the exchange format, version 2 included (`objective` and `limits` blocks; the output's `meta`
block gives objective v2, its parts, the proven bound and the gap). Flags override the input's blocks.
Exit codes: 0 solved (a plan was written), 2 bad input (the message names the activity and the field).
"""

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from .io import InstanceError, parse_instance, solution_to_json
from .model import Instance, SolveOptions


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="khuang plan solve", description="Solve a plan instance (exchange format).")
    p.add_argument("input", help="instance JSON file, or - for standard input")
    p.add_argument("-o", "--output", required=True, help="where to write the plan JSON (- for standard output)")
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    p.add_argument("--workers", type=int, default=2, help="parallel search workers (default 2)")
    p.add_argument("--seed", type=int, default=0, help="random seed; same seed and input give the same plan")
    p.add_argument("--week-bonus", type=float, default=None,
                   help="points per ISO week with an event day (overrides the input's objective.week_bonus)")
    p.add_argument("--oversize-penalty", type=float, default=None,
                   help="points per unit of 1 − attendees/capacity (overrides objective.oversize_penalty)")
    p.add_argument("--max-events-per-day", type=int, default=None,
                   help="most activities with an event on one day (overrides limits.max_events_per_day)")
    p.add_argument("--max-moveins-per-day", type=int, default=None,
                   help="most activities moving in on one day (overrides limits.max_moveins_per_day)")
    # Deprecated: the week bonus supersedes the old continuity weight (weeks with an event start).
    p.add_argument("--continuity-weight", type=float, default=None, dest="continuity_weight",
                   help=argparse.SUPPRESS)
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
        instance = _override(parse_instance(data), args)
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.greedy:
        from .greedy import solve_greedy

        solution = solve_greedy(instance)
    else:
        from .cpsat import solve

        solution = solve(instance, SolveOptions(time_limit=args.time_limit, workers=args.workers, seed=args.seed,
                                                log=args.log))
    out = json.dumps(solution_to_json(solution, instance), ensure_ascii=False, indent=2)
    if args.output == "-":
        print(out)
    else:
        Path(args.output).write_text(out + "\n", encoding="utf-8")
    scheduled = len(solution.assignments)
    parts = solution.parts
    greedy = f"{solution.greedy_objective:.2f}" if solution.greedy_objective is not None else "-"
    line = (f"objective {solution.objective:.2f}  bound {solution.bound:.2f}  gap {solution.gap * 100:.2f}%  "
            f"status {solution.status}  scheduled {scheduled}/{scheduled + len(solution.unscheduled)}  "
            f"greedy {greedy}  time {solution.wall_seconds:.1f}s")
    if parts is not None:
        idle = parts.longest_idle
        line += (f"\nvalue {parts.value:.2f}  weeks with an event {parts.active_weeks}/{parts.weeks_in_horizon}  "
                 f"longest idle {idle.days if idle else 0} days"
                 + (f" ({idle.start.isoformat()} … {idle.end.isoformat()})" if idle else "")
                 + f"  oversize {parts.oversize_sum:.2f}  most events in a day {parts.max_events_in_a_day}  "
                 f"most move-ins in a day {parts.max_moveins_in_a_day}")
    print(line, file=sys.stderr if args.output == "-" else sys.stdout)
    return 0


def _override(instance: Instance, args: argparse.Namespace) -> Instance:
    """The input's objective and limits blocks, with the command line's flags on top (validated alike)."""
    from .io import limits_to_json, objective_to_json, parse_limits, parse_objective

    weights = objective_to_json(instance.objective)
    if args.continuity_weight is not None and args.week_bonus is None:
        print("warning: --continuity-weight is deprecated; it now sets --week-bonus", file=sys.stderr)
        args.week_bonus = args.continuity_weight
    for key in ("week_bonus", "oversize_penalty"):
        if getattr(args, key) is not None:
            weights[key] = getattr(args, key)
    limits = limits_to_json(instance.limits)
    for key in ("max_events_per_day", "max_moveins_per_day"):
        if getattr(args, key) is not None:
            limits[key] = getattr(args, key)
    return replace(instance, objective=parse_objective(weights), limits=parse_limits(limits))
