"""Fixtures of the annual plan's tests: a small venue, two agencies, their planners, and a proposal factory."""

from datetime import date

import pytest

FY = 2570  # 1 Oct 2026 – 30 Sep 2027


@pytest.fixture
def halls(create_space, create_halls):
    """Hall A and Hall B (600 seats each), their combination Hall A+B, and a 40-seat meeting room."""
    a, b, ab = create_halls(600, capacity_classroom=300, booth_count=40)
    room = create_space("MR-1", capacity_theatre=40, capacity_classroom=30)
    return {"HALL-A": a, "HALL-B": b, "HALL-AB": ab, "MR-1": room}


@pytest.fixture
def agencies(create_agency):
    return {"LPG": create_agency("LPG-IND"), "LPN": create_agency("LPN-IND")}


@pytest.fixture
def planner_lpg(create_user, agencies):
    return create_user("planner-lpg", agency=agencies["LPG"])


@pytest.fixture
def planner_lpn(create_user, agencies):
    return create_user("planner-lpn", agency=agencies["LPN"])


@pytest.fixture
def create_proposal(db, venue, agencies):
    """create_proposal("P-001", days=2, allowed=["HALL-A"], status="submitted", ...) → Proposal."""
    from khuang.planning.models import Proposal
    from khuang.venues.models import Space

    def make(ref: str = "P-001", *, allowed=(), agency=None, **kw):
        kw.setdefault("fiscal_year", FY)
        kw.setdefault("title_th", f"กิจกรรม {ref}")
        kw.setdefault("title_en", f"Activity {ref}")
        kw.setdefault("activity_type", "seminar")
        kw.setdefault("days", 1)
        kw.setdefault("attendees", 100)
        kw.setdefault("earliest", date(2027, 1, 1))
        kw.setdefault("latest_end", date(2027, 1, 31))
        kw.setdefault("status", "submitted")
        p = Proposal(venue=venue, agency=agency or agencies["LPG"], ref=ref, **kw)
        p.full_clean(exclude=["created_by"])
        p.save()
        if allowed:
            p.allowed_spaces.set(Space.objects.filter(code__in=allowed))
        return p

    return make


@pytest.fixture
def child_env():
    """Environment for a child process (the task worker) that must use the test database."""
    import os

    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{s['NAME']}"
    else:
        url = f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}


TODAY = date(2026, 11, 28)  # the day the demo and these tests were written: FY 2570 is under way


@pytest.fixture(autouse=True)
def planning_today(monkeypatch):
    """Plans start from "today": fixed here so the suite means the same on any day it runs."""
    monkeypatch.setattr("khuang.planning.instance.current_day", lambda: TODAY)
    return TODAY
