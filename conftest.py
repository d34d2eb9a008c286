"""Factories shared by every app's tests: callables with sensible defaults (create_space(...), ...)."""

import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

BKK = ZoneInfo("Asia/Bangkok")


def pytest_report_header(config):
    url = os.environ.get("DATABASE_URL", "")
    return f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign many people in; a deliberately slow hash would only slow them down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request in an earlier test (the language middleware activates the
    visitor's language for the thread) must not decide what a later test's selectors and services say."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def bkk():
    """Build an aware Asia/Bangkok datetime: bkk(2027, 2, 3, 9)."""

    def make(*args: int) -> datetime:
        return datetime(*args, tzinfo=BKK)

    return make


@pytest.fixture
def create_venue(db):
    from khuang.venues.models import Venue

    def make(code: str = "TEST-VENUE", **kw) -> Venue:
        kw.setdefault("name_th", "สถานที่ทดสอบ")
        kw.setdefault("name_en", "Test venue")
        return Venue.objects.create(code=code, **kw)

    return make


@pytest.fixture
def venue(create_venue):
    return create_venue()


@pytest.fixture
def create_space(db, venue):
    from khuang.venues.models import Space

    def make(code: str = "ROOM-1", *, parts=(), **kw) -> Space:
        kw.setdefault("venue", venue)
        kw.setdefault("name_th", f"ห้อง {code}")
        kw.setdefault("name_en", f"Room {code}")
        kw.setdefault("kind", "meeting_room")
        kw.setdefault("capacity_theatre", 100)
        kw.setdefault("capacity_classroom", 50)
        kw.setdefault("area_sqm", 100)
        space = Space.objects.create(code=code, **kw)
        if parts:
            space.parts.set(parts)
        return space

    return make


@pytest.fixture
def create_halls(create_space):
    """Hall A and Hall B (atomic) and their combination HALL-AB: the combined space every diary test meets. Each
    part gets `seats` theatre seats and the given fields; the combination gets the double of each."""

    def make(seats: int = 500, **part_fields: int):
        a = create_space("HALL-A", kind="hall", capacity_theatre=seats, **part_fields)
        b = create_space("HALL-B", kind="hall", capacity_theatre=seats, **part_fields)
        doubled = {k: 2 * v for k, v in part_fields.items()}
        ab = create_space("HALL-AB", kind="hall", capacity_theatre=2 * seats, parts=[a, b], **doubled)
        return a, b, ab

    return make


@pytest.fixture
def create_agency(db):
    from khuang.accounts.models import Agency

    def make(code: str = "AG-1", **kw) -> Agency:
        kw.setdefault("name_th", f"หน่วยงาน {code}")
        kw.setdefault("name_en", f"Agency {code}")
        kw.setdefault("kind", "provincial_office")
        return Agency.objects.get_or_create(code=code, defaults=kw)[0]

    return make


@pytest.fixture
def create_user(db, create_agency):
    from khuang.accounts.models import User

    def make(username: str = "planner", role: str = "agency_planner", agency=None, **kw) -> User:
        if agency is None and role == "agency_planner":
            agency = create_agency()
        user = User.objects.create_user(username, f"{username}@example.org", "pass-1234", role=role,
                                        agency=agency, **kw)
        return user

    return make


@pytest.fixture
def staff_user(create_user):
    return create_user("staff", role="center_staff", is_staff=True)


@pytest.fixture
def api(client):
    """JSON API caller: api("post", "/api/spaces", {...}, user=u, lang="en") → response."""
    import json

    from khuang.accounts.models import ApiToken

    tokens: dict[int, str] = {}

    def call(method: str, path: str, data=None, *, user=None, lang: str = "en"):
        headers = {"HTTP_ACCEPT_LANGUAGE": lang}
        if user is not None:
            if user.pk not in tokens:
                tokens[user.pk] = ApiToken.issue(user)[1]
            headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[user.pk]}"
        kwargs = {"content_type": "application/json", "data": json.dumps(data)} if data is not None else {}
        return getattr(client, method)(path, **kwargs, **headers)

    return call


@pytest.fixture
def soon(bkk):
    """A weekday morning about two weeks ahead, so lead-time rules are met by default."""
    base = datetime.now(BKK) + timedelta(days=14)
    return bkk(base.year, base.month, base.day, 9)


@pytest.fixture
def create_booking(db, create_space, soon):
    """create_booking(space=..., start=..., hours=2, status="confirmed", actor=None, **draft fields)."""
    from khuang.bookings.services import BookingDraft, booking_create

    def make(space=None, start=None, hours: float = 2, status: str = "confirmed", actor=None, **kw):
        if space is None:
            from khuang.venues.models import Space

            space = Space.objects.filter(code="ROOM-1").first() or create_space()
        start = start or soon
        if actor is None:
            from khuang.accounts.models import User

            actor = User.objects.filter(username="factory-staff").first() or User.objects.create_user(
                "factory-staff", password="x", role="center_staff")
        kw.setdefault("title", "Booking")
        draft = BookingDraft(space=space, start=start, end=start + timedelta(hours=hours), status=status, **kw)
        return booking_create(draft, actor=actor)

    return make
