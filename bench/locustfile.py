"""Locust users for bench/load.py: visitors, a registration rush on one event, staff on the diary week view,
API clients placing holds. Reads its ids and secrets from the JSON file named by LOAD_CONFIG."""

import itertools
import json
import os
import random
import re
import uuid
from datetime import date, datetime, timedelta

import gevent
from locust import FastHttpUser, between, events, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"]).read())
# Think time between a person's actions: 1 = as people use the site (reading a page takes seconds), 0.2 = a
# stress run at five times that pace.
THINK = float(os.environ.get("LOAD_THINK", "1"))


def think(low: float, high: float):
    return between(low * THINK, high * THINK)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OUTCOMES = {"registered": 0, "refused": 0, "holds": 0, "hold_conflicts": 0}
_staff = itertools.cycle(CONFIG["staff"])


@events.test_stop.add_listener
def _save_outcomes(environment, **kwargs):
    with open(os.environ["LOAD_OUTCOMES"], "w") as f:
        json.dump(OUTCOMES, f)


class Visitor(FastHttpUser):
    """Someone from the public: the list of events, the month calendar, an event page."""

    weight = 10
    wait_time = think(5, 15)

    @task(4)
    def events_list(self):
        self.client.get("/events/", name="/events/")

    @task(2)
    def calendar(self):
        month = date.today().replace(day=1) + timedelta(days=32 * random.randint(0, 3))
        self.client.get(f"/events/calendar/?month={month:%Y-%m}", name="/events/calendar/")

    @task(5)
    def event_page(self):
        self.client.get(f"/events/{random.choice(CONFIG['events'])}/", name="/events/[id]/")

    @task(1)
    def feed(self):
        self.client.get("/calendar.json", name="/calendar.json")


class Registrant(FastHttpUser):
    """The rush: people opening one popular event and registering (then waiting list once it is full). Each comes
    from an address of their own, as the reverse proxy passes it on in X-Forwarded-For."""

    weight = 3
    wait_time = think(5, 15)

    @task
    def register(self):
        rush = CONFIG["rush_event"]
        address = ".".join(str(random.randint(1, 254)) for _ in range(3))
        via_proxy = {"X-Forwarded-For": f"10.{address}"}
        page = self.client.get(f"/events/{rush}/", name="/events/[rush]/", headers=via_proxy)
        token = CSRF.search(page.text or "")
        if not token:
            return
        gevent.sleep(random.uniform(10, 20) * THINK)  # filling in the form
        n = uuid.uuid4().hex[:12]
        with self.client.post(f"/events/{rush}/register/", name="/events/[rush]/register/ (POST)",
                              data={"csrfmiddlewaretoken": token.group(1), "name": f"ผู้เข้าร่วม {n}",
                                    "email": f"rush-{n}@example.org", "phone": "0812345678",
                                    "organisation": "Load test"},
                              headers=via_proxy, allow_redirects=False, catch_response=True) as r:
            if r.status_code == 302 and "/events/ticket/" in r.headers.get("Location", ""):
                OUTCOMES["registered"] += 1
                r.success()
            elif r.status_code == 429:  # throttled: a refusal the person can read, not a failure
                OUTCOMES["refused"] += 1
                r.success()
            else:
                r.failure(f"registration answered {r.status_code}")


class Staff(FastHttpUser):
    """Center staff looking at the diary week by week."""

    weight = 2
    wait_time = think(5, 15)

    def on_start(self):
        self.cookie = {"Cookie": f"sessionid={next(_staff)}"}  # signed in beforehand (see bench/load.py)

    @task
    def diary_week(self):
        day = date.today() + timedelta(days=random.randint(0, 120))
        with self.client.get(f"/diary/?view=week&date={day.isoformat()}", name="/diary/?view=week",
                             headers=self.cookie, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"diary answered {r.status_code} (not signed in?)")


class ApiClient(FastHttpUser):
    """A script placing holds through the API; holds on a taken slot queue as lower options (201 too)."""

    weight = 3
    wait_time = think(2, 6)

    @task
    def place_hold(self):
        day = date.today() + timedelta(days=random.randint(400, 700))
        hour = random.choice((9, 13))
        start = datetime(day.year, day.month, day.day, hour, 0).isoformat() + "+07:00"
        end = datetime(day.year, day.month, day.day, hour + 3, 0).isoformat() + "+07:00"
        body = {"space": random.choice(CONFIG["spaces"]), "title": "API hold", "start": start, "end": end,
                "status": "hold"}
        with self.client.post("/api/bookings", name="/api/bookings (POST hold)", json=body, catch_response=True,
                              headers={"Authorization": f"Bearer {CONFIG['token']}"}) as r:
            if r.status_code == 201:
                OUTCOMES["holds"] += 1
                r.success()
            elif r.status_code == 409:  # a rule or a closure in the way: a clear refusal, counted apart
                OUTCOMES["hold_conflicts"] += 1
                r.success()
            else:
                r.failure(f"hold answered {r.status_code}: {(r.text or '')[:200]}")
