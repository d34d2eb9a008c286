"""The demo year in the planner's figures: FY 2570 of the demo venue solved as after `make run`.

Loads the demo into a temporary SQLite database and solves the year three ways, with the page's default run
(30 s, 2 threads, seed 0):
  v1, whole year  — no weights, no limits, horizon from 1 October (what version 1 did)
  v1, from today  — no weights, no limits, horizon from today
  v2, from today  — the demo venue's settings (week bonus 3, oversize 0.5, 3 events / 2 move-ins a day)
and prints events planned, value, weeks with an event, the longest stretch with nothing on, the busiest day,
oversize, rooms far too big, the objective, the proven bound, the gap and the wall time.

    .venv/bin/python bench/demo_year.py [--today 2026-11-28] [--time-limit 30] [--workers 2]
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FY = 2570
V1 = {"week_bonus": 0.0, "oversize_penalty": 0.0, "max_events_per_day": None, "max_moveins_per_day": None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="default: the real today")
    parser.add_argument("--time-limit", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", KHUANG_VAR_DIR=tmp.name,
                      DATABASE_URL=f"sqlite:///{tmp.name}/demo.sqlite3",
                      KHUANG_SOLVE_MAX_SECONDS=str(max(args.time_limit, 300)))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from khuang.accounts.models import User
    from khuang.core.thaidates import fiscal_year_bounds
    from khuang.planning import selectors, services
    from khuang.planning.models import PlanningSettings
    from khuang.venues.models import Venue

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    venue = Venue.objects.get(code="DIPROM-MICE")
    staff = User.objects.create(username="bench-staff", role=User.Role.CENTER_STAFF)
    demo = {k: getattr(PlanningSettings.objects.get(venue=venue), k) for k in V1}
    today = args.today or timezone.localdate()
    before_year = fiscal_year_bounds(FY)[0] - timedelta(days=1)  # "today" before the year: it is planned whole
    runs = [("v1, whole year", V1, before_year), ("v1, from today", V1, today),
            ("v2, from today", demo, today)]
    print(f"FY {FY}, demo venue, today {today}, time limit {args.time_limit:g} s, {args.workers} workers")
    header = ("run", "planned", "value", "weeks", "idle", "busiest", "oversize", "too big", "objective", "bound",
              "gap %", "wall s")
    rows = []
    for name, settings, day in runs:
        PlanningSettings.objects.filter(venue=venue).update(**settings)
        t0 = time.monotonic()
        plan = services.plan_run_start(venue=venue, fiscal_year=FY, actor=staff, run_now=True, today=day,
                                       time_limit=args.time_limit, workers=args.workers)
        wall = time.monotonic() - t0
        r = selectors.plan_results(plan)
        p, idle = r["parts"], r["idle"]
        rows.append((name, f"{r['planned']} of {r['total']}", f"{p.value:.2f}",
                     f"{p.active_weeks} of {p.weeks_in_horizon}",
                     f"{idle['days']} d ({idle['start']}…{idle['end']})" if idle else "-",
                     f"{p.max_events_in_a_day} ev / {p.max_moveins_in_a_day} in", f"{p.oversize_sum:.2f}",
                     str(r["oversized_count"]), f"{plan.objective:.2f}", f"{plan.bound:.2f}",
                     f"{(plan.gap or 0) * 100:.2f}", f"{wall:.1f}"))
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    tmp.cleanup()


if __name__ == "__main__":
    main()
