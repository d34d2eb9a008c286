"""The shared world every matrix row runs in: two agencies, one person per persona, a small venue.

Each `rows_<app>.build(world)` adds its app's objects (ids and codes) to the same dict; rows refer to them by key
in their `url` and `body`.
"""

import importlib
import pkgutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from . import EXTRA_PERSONAS, PEOPLE, PERSONAS

BKK = ZoneInfo("Asia/Bangkok")


def row_modules() -> list:
    """Every `rows_<app>` module beside this file, by name."""
    here = Path(__file__).resolve().parent
    return [importlib.import_module(f"{__package__}.{m.name}") for m in sorted(pkgutil.iter_modules([str(here)]),
                                                                                 key=lambda m: m.name)
            if m.name.startswith("rows_")]


def build_world() -> dict:
    """Create the world in the test database and return its keys."""
    from khuang.accounts.models import Agency, ApiToken, User
    from khuang.core.thaidates import fiscal_year
    from khuang.venues.models import Space, Venue

    a = Agency.objects.create(code="AG-A", name_th="หน่วยงาน ก", name_en="Agency A", kind="provincial_office")
    b = Agency.objects.create(code="AG-B", name_th="หน่วยงาน ข", name_en="Agency B", kind="chamber")
    agencies = {"A": a, "B": b, None: None}
    users = {}
    for name, spec in {**PEOPLE, **EXTRA_PERSONAS}.items():
        users[name] = User.objects.create_user(f"m-{name}", f"{name}@example.org", "pass-1234", role=spec["role"],
                                               agency=agencies[spec.get("agency")],
                                               is_staff=spec.get("is_staff", False))
    venue = Venue.objects.create(code="TEST-VENUE", name_th="ศูนย์ทดสอบ", name_en="Test venue")

    def space(code: str, parts=(), **kw) -> Space:
        s = Space.objects.create(venue=venue, code=code, name_th=code, name_en=code, kind="hall",
                                 capacity_theatre=500, capacity_classroom=200, **kw)
        if parts:
            s.parts.set(parts)
        return s

    hall_a, hall_b = space("HALL-A"), space("HALL-B")
    space("HALL-AB", parts=[hall_a, hall_b])
    space("ROOM-1")
    space("ROOM-2")
    now = datetime.now(BKK)
    soon = datetime(now.year, now.month, now.day, 9, tzinfo=BKK) + timedelta(days=14)
    world = {
        "users": users, "agency_a": a, "agency_b": b, "venue": venue.code, "soon": soon,
        "fy": fiscal_year(soon.date()),
        "tokens": {name: ApiToken.issue(user)[1] for name, user in users.items()},
    }
    assert set(world["tokens"]) == (set(PERSONAS) | set(EXTRA_PERSONAS)) - {"anon"}
    for module in row_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(world)
    return world
