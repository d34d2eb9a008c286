"""Schemathesis throws generated requests at every documented operation: none may answer 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_test_connection():
    """The WSGI app closes connections after each request; inside a test transaction it must not."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(db, keep_test_connection):
    from khuang.accounts import demo as agencies
    from khuang.accounts.models import ApiToken, User
    from khuang.venues import demo

    agencies.load()
    demo.load()
    user = User.objects.create_user("fuzz-staff", password="x", role="center_staff", is_staff=True)
    return ApiToken.issue(user)[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_never_answers_5xx(case, staff_token):
    response = case.call(headers={"Authorization": f"Bearer {staff_token}", "Accept-Language": "en"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: " \
        f"{response.text[:500]}"


# ---------------------------------------------------------------- nulls and out-of-range numbers, every field

@pytest.fixture
def world(staff_token):
    """One real object behind every path parameter, so each request reaches the service, not just the parser."""
    from datetime import date, timedelta

    from django.utils import timezone

    from khuang.accounts.models import Agency, User
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.planning.models import Plan, PlanItem, PlanStatus, Proposal
    from khuang.venues.models import Space, Venue

    staff = User.objects.get(username="fuzz-staff")
    space = Space.objects.filter(parts__isnull=True, capacity_theatre__gt=0).order_by("code").first()
    start = timezone.localtime() + timedelta(days=20)
    booking = booking_create(BookingDraft(space=space, title="Fuzz", start=start, end=start + timedelta(hours=2),
                                          status="hold"), actor=staff)
    venue = Venue.objects.get(code=space.venue.code)
    proposal = Proposal.objects.create(venue=venue, agency=Agency.objects.first(), fiscal_year=2570, ref="F-1",
                                       title_th="ฟัซ", activity_type="seminar", days=1, status="submitted")
    plan = Plan.objects.create(venue=venue, fiscal_year=2570, version=1, status=PlanStatus.SOLVED)
    plan_other = Plan.objects.create(venue=venue, fiscal_year=2570, version=2, status=PlanStatus.SOLVED)
    PlanItem.objects.create(plan=plan, proposal=proposal, space=space, start=date(2027, 1, 5))
    closure_space = Space.objects.exclude(pk=space.pk).filter(parts__isnull=True).order_by("code").first()
    return {"booking_id": booking.pk, "proposal_id": proposal.pk, "plan_id": plan.pk, "other_id": plan_other.pk,
            "ref": "F-1", "code": space.code, "closure_id": 999, "_closure_space": closure_space.code}


def _operations():
    return [result.ok() for result in schema.get_all_operations()]


def _properties(op) -> dict[str, dict]:
    bodies = [b for b in op.body if b.media_type == "application/json"]
    return (bodies[0].definition.get("schema") or {}).get("properties", {}) if bodies else {}


def _types(prop: dict) -> list[dict]:
    return prop.get("anyOf") or [prop]


def _absurd_numbers(prop: dict) -> list[int]:
    """Integers just past each bound and far beyond any database column."""
    out = [10**30, -(10**30)]
    for t in _types(prop):
        if t.get("type") == "integer":
            if "maximum" in t:
                out.append(int(t["maximum"]) + 1)
            if "minimum" in t:
                out.append(int(t["minimum"]) - 1)
    return out


REQUIRED_QUERY = {"start": "2027-01-04T09:00:00+07:00", "end": "2027-01-04T12:00:00+07:00", "fiscal_year": "2570"}


def _minimal_body(op) -> dict | None:
    """An empty JSON object for operations that take one (its own errors come after the parameters')."""
    return {} if any(b.media_type == "application/json" for b in op.body) else None


def _is_int(prop: dict) -> bool:
    return any(t.get("type") == "integer" for t in _types(prop))


def _nullable(prop: dict) -> bool:
    return any(t.get("type") == "null" for t in _types(prop))


def _path_names(op) -> list[str]:
    return [p.name for p in op.path_parameters] if op.path_parameters else []


def _call(op, world, token, *, body=None, query=None):
    # Objects the world does not make (other apps' ids, tokens) get a value that names nothing: a 404 is expected.
    path = {name: world.get(name, 999) for name in _path_names(op)}
    kwargs = {"body": body, "media_type": "application/json"} if body is not None else {}
    case = op.Case(path_parameters=path, query=query, **kwargs)
    return case.call(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


@pytest.mark.django_db
def test_patch_with_null_or_absurd_numbers_is_refused_naming_the_field(world, staff_token):
    """Every PATCH operation, every body field: null (where null means nothing) and out-of-range integers give
    422 naming the field; nullable fields accept null; nothing answers 5xx."""
    patches = [op for op in _operations() if op.method.upper() == "PATCH"]
    assert len(patches) >= 4  # spaces, bookings, proposals, plan items
    problems = []
    for op in patches:
        for name, prop in _properties(op).items():
            tries = [(None, not _nullable(prop))] + [(n, True) for n in _absurd_numbers(prop) if _is_int(prop)]
            for value, must_refuse in tries:
                res = _call(op, world, staff_token, body={name: value})
                label = f"PATCH {op.path} {{{name}: {value}}} -> {res.status_code} {res.text[:200]}"
                if res.status_code >= 500:
                    problems.append(label)
                elif must_refuse and (res.status_code != 422 or res.json().get("field") != name):
                    problems.append(label)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_absurd_query_and_path_numbers_are_refused_not_500(world, staff_token):
    """Every integer query parameter of every operation: past its bounds → 422 naming it; any number in a path
    larger than a database key → 4xx."""
    problems = []
    for op in _operations():
        if op.path == "/api/plan/solve":
            continue  # its body is required; its query bounds are checked below with a body
        for param in op.query:
            prop = param.definition.get("schema", {})
            if not _is_int(prop):
                continue
            required = {p.name: REQUIRED_QUERY[p.name] for p in op.query if p.definition.get("required")}
            for value in _absurd_numbers(prop):
                res = _call(op, world, staff_token, query={**required, param.name: value},
                            body=_minimal_body(op))
                label = f"{op.method.upper()} {op.path}?{param.name}={value} -> {res.status_code} {res.text[:200]}"
                if res.status_code >= 500 or res.status_code != 422 or res.json().get("field") != param.name:
                    problems.append(label)
        for name in _path_names(op):
            if not (name.endswith("_id") or name == "other_id"):
                continue
            huge = {**world, name: 10**30}
            res = _call(op, huge, staff_token, body=_minimal_body(op))
            if res.status_code >= 500 or res.status_code not in (404, 422):
                problems.append(f"{op.method.upper()} {op.path} with {name}=10**30 -> {res.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_availability_far_in_the_future_with_long_teardown_is_not_500(world, staff_token):
    from config.wsgi import application as app  # noqa: F401 (the schema's app)

    op = next(o for o in _operations() if o.path == "/api/availability")
    res = _call(op, world, staff_token, query={"start": "2199-12-31T09:00:00+07:00",
                                                "end": "2199-12-31T18:00:00+07:00", "teardown_minutes": 20160,
                                                "setup_minutes": 99999999999999})
    assert res.status_code == 422 and res.json()["field"] == "setup_minutes"
    res = _call(op, world, staff_token, query={"start": "2199-12-31T09:00:00+07:00",
                                                "end": "2199-12-31T18:00:00+07:00", "teardown_minutes": 20160})
    assert res.status_code == 200
