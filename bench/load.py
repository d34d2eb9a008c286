"""Load test of the production server (khuang serve: gunicorn + worker) on PostgreSQL, with Locust (headless).

Visitors browse the event list, the month calendar and event pages; a registration rush hits one event;
staff page through the diary week view; API clients place holds. Prints p50/p95/p99 and throughput per
endpoint and the error count; then checks the data: no double booking, registrations = capacity + waiting
list exactly, no lost e-mail task. Target on a 2-core machine: 200 users, page p95 < 300 ms, 0 errors.

    .venv/bin/python bench/load.py [--users 200] [--spawn-rate 20] [--duration 90] [--web-workers 2]
                                   [--threads 8] [--port 8131] [--database khuang_prod_load] [--pace people|stress]
Exit status 0 only when there were no errors, the data checks pass and the page p95 target is met.
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("/events/", "/events/calendar/", "/events/[id]/", "/events/[rush]/", "/diary/?view=week")
RUSH_CAPACITY = 60

SETUP = """
import json, random
from datetime import timedelta
from django.utils import timezone
from khuang.accounts.models import ApiToken, User
from khuang.bookings.models import Booking
from khuang.bookings.services import BookingDraft, booking_create
from khuang.public.models import EventPage
from khuang.venues.models import Space

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

# Staff arrive signed in (a session each, as after the login form): the load is the diary, not password hashing.
staff = []
for i in range(20):
    u, _ = User.objects.get_or_create(username=f"load-staff-{i}", defaults={"role": "center_staff",
                                                                             "is_staff": True})
    u.set_password("load-pass-1234"); u.save()
    session = SessionStore()
    session[SESSION_KEY] = str(u.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = u.get_session_auth_hash()
    session.create()
    staff.append(session.session_key)
api_user = User.objects.get(username="load-staff-0")
token = ApiToken.issue(api_user, label="load test")[1]
space = Space.objects.filter(parts__isnull=True, is_active=True).order_by("code").first()
start = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
rush = booking_create(BookingDraft(space=space, title="งานแสดงสินค้ายอดนิยม Popular fair", start=start,
                                   end=start + timedelta(hours=8), status="confirmed", is_public=True),
                      actor=api_user)
EventPage.objects.create(booking=rush, capacity=%(capacity)d, waiting_list=True, registration_open=True)
events = list(Booking.objects.filter(is_public=True).exclude(status="cancelled").values_list("pk", flat=True))
# Holds go to spaces far in the future, away from the demo's bookings.
spaces = list(Space.objects.filter(parts__isnull=True, is_active=True).values_list("code", flat=True))
print(json.dumps({"staff": staff, "token": token, "rush_event": rush.pk, "events": events, "spaces": spaces}))
"""

CHECK = """
import json
from collections import defaultdict
from django_tasks_db.models import DBTaskResult
from khuang.bookings.models import Occupancy
from khuang.public.models import EventPage, Registration

out = {}
rows = defaultdict(list)
for o in Occupancy.objects.filter(active=True).order_by("space_id", "start").values("space_id", "start", "end"):
    rows[o["space_id"]].append((o["start"], o["end"]))
overlaps = sum(1 for spans in rows.values() for a, b in zip(spans, spans[1:]) if b[0] < a[1])
out["occupancy_rows"] = sum(len(v) for v in rows.values())
out["overlaps"] = overlaps
page = EventPage.objects.get(booking_id=%(rush)d)
regs = Registration.objects.filter(event=page)
out["capacity"] = page.capacity
out["registered"] = regs.filter(status="registered").count()
out["waiting"] = regs.filter(status="waiting").count()
out["rush_total"] = regs.count()
out["distinct_emails"] = regs.values("email").distinct().count()
mails = DBTaskResult.objects.filter(task_path="khuang.public.tasks.send_registration_email")
out["registrations_all"] = Registration.objects.count()
out["mail_tasks"] = mails.count()
out["mail_tasks_ok"] = mails.filter(status="SUCCESSFUL").count()
ids = [r.args_kwargs["args"][0] for r in mails]
out["mail_tasks_distinct"] = len(set(ids))
from django.utils import timezone
due = DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).filter(run_after__lte=timezone.now())
out["tasks_not_done"] = due.count()  # holds' expiry tasks are due later: not counted
print(json.dumps(out))
"""


def manage(env: dict, *args: str, capture: bool = False) -> str:
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                         capture_output=capture)
    return run.stdout if capture else ""


def django_script(env: dict, code: str) -> dict:
    script = "import django; django.setup()\n" + code
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, text=True,
                         capture_output=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def wait_healthy(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become healthy")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", type=int, default=90, help="seconds of load after the first spawn")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--database", default="khuang_prod_load")
    parser.add_argument("--pace", choices=["people", "stress"], default="people",
                        help="think time: people (visitors 5-15 s between pages, 10-20 s to fill the form, "
                             "API clients 2-6 s) or stress (five times faster)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="khuang-load-"))
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {args.database}"], check=True, capture_output=True)
    subprocess.run([*psql, f"CREATE DATABASE {args.database}"], check=True, capture_output=True)
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
           "KHUANG_VAR_DIR": str(tmp), "EMAIL_URL": f"file://{tmp / 'mail'}", "LOG_LEVEL": "WARNING",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SETTINGS_MODULE": "config.settings",
           "KHUANG_ADMIN_PASSWORD": "load-admin-1234", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    print(f"setting up {args.database} (migrate, demo venue, rush event of {RUSH_CAPACITY} seats)…", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "load_demo", "-v0", capture=True)
    config = django_script(env, SETUP % {"capacity": RUSH_CAPACITY})
    (tmp / "config.json").write_text(json.dumps(config))

    url = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(args.port), "--workers",
                               str(args.web_workers), "--threads", str(args.threads)], cwd=ROOT, env=env,
                              stdout=open(tmp / "server.log", "w"), stderr=subprocess.STDOUT)
    try:
        wait_healthy(url)
        load_before = os.getloadavg()
        print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; "
              f"{args.users} users ({args.pace} pace), spawn {args.spawn_rate}/s, {args.duration} s; "
              f"gunicorn {args.web_workers} "
              f"workers × {args.threads} threads", flush=True)
        ramp = int(args.users / args.spawn_rate) + 1
        locust_env = {**env, "LOAD_CONFIG": str(tmp / "config.json"), "LOAD_OUTCOMES": str(tmp / "outcomes.json"),
                      "LOAD_THINK": "1" if args.pace == "people" else "0.2"}
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration + ramp}s",
                        "--host", url, "--csv", str(tmp / "stats"), "--only-summary", "--loglevel", "WARNING",
                        "--stop-timeout", "10"], cwd=ROOT, env=locust_env, check=False,
                       stdout=open(tmp / "locust.log", "w"), stderr=subprocess.STDOUT)
        elapsed = time.monotonic() - t0
        load_after = os.getloadavg()
        # Let the worker finish the e-mails of the rush before checking.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"{url}/healthz", timeout=10) as r:
                tasks = json.loads(r.read())["checks"]["tasks"]
            if tasks["waiting"] == 0:
                break
            time.sleep(1)
        time.sleep(2)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return report(tmp, env, config, elapsed, load_before, load_after)


def report(tmp: Path, env: dict, config: dict, elapsed: float, load_before, load_after) -> int:
    rows = list(csv.DictReader(open(tmp / "stats_stats.csv")))
    print(f"\n{'endpoint':44} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    worst_page_p95 = 0.0
    total_errors = 0
    for r in rows:
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        p95 = float(r["95%"] or 0)
        print(f"{(r['Type'] + ' ' + name)[:44]:44} {int(r['Request Count']):8d} {float(r['Requests/s']):7.1f} "
              f"{float(r['50%'] or 0):7.0f} {p95:7.0f} {float(r['99%'] or 0):7.0f} {int(r['Failure Count']):6d}")
        if r["Name"] == "Aggregated":
            total_errors = int(r["Failure Count"])
        elif r["Type"] == "GET" and r["Name"] in PAGES:
            worst_page_p95 = max(worst_page_p95, p95)
    failures = list(csv.DictReader(open(tmp / "stats_failures.csv")))
    for f in failures[:10]:
        print(f"  error: {f['Method']} {f['Name']}: {f['Error']} × {f['Occurrences']}")
    outcomes = json.loads((tmp / "outcomes.json").read_text())
    print(f"\nrun {elapsed:.0f} s; load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          f"(1 min); outcomes {outcomes}")

    data = django_script(env, CHECK % {"rush": config["rush_event"]})
    mails = sum(p.read_text(errors="replace").count("\nTo: ") + p.read_text(errors="replace").startswith("To: ")
                for p in (tmp / "mail").glob("*")) if (tmp / "mail").exists() else 0
    expected_registered = min(data["capacity"], data["rush_total"])
    checks = [
        ("no double booking (active occupancy rows overlapping on one space)", data["overlaps"] == 0,
         f"{data['occupancy_rows']} rows, {data['overlaps']} overlaps"),
        ("registrations = capacity + waiting list, exactly",
         data["registered"] == expected_registered and data["registered"] + data["waiting"] == data["rush_total"]
         and data["rush_total"] == outcomes["registered"] and data["distinct_emails"] == data["rush_total"],
         f"{data['registered']} registered (capacity {data['capacity']}) + {data['waiting']} waiting = "
         f"{data['rush_total']}; {outcomes['registered']} accepted by the server"),
        ("no lost e-mail task (one per registration, all sent)",
         data["mail_tasks"] == data["mail_tasks_distinct"] == data["mail_tasks_ok"] >= data["rush_total"]
         and data["tasks_not_done"] == 0 and mails >= data["mail_tasks_ok"],
         f"{data['mail_tasks']} tasks, {data['mail_tasks_ok']} successful, {mails} messages written, "
         f"{data['tasks_not_done']} tasks not done"),
        ("0 errors", total_errors == 0, f"{total_errors} errors"),
        ("page p95 < 300 ms", worst_page_p95 < 300, f"worst page p95 {worst_page_p95:.0f} ms"),
    ]
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    print(f"(logs and CSVs in {tmp})")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
