"""Walk every URL pattern and API operation for every persona and assert the status each must get.

See `tests/permissions/__init__.py` for the tables (`rows_<app>.py`) and how to add rows for a new app.
"""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from . import Row
from .world import build_world, row_modules

ROWS: list[Row] = [row for module in row_modules() for row in module.ROWS]
ADMIN = "admin/"
API_PAGES = {"api/openapi.json", "api/docs", "api/"}  # ninja's own pages; its operations come from the schema


def _routes(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the URL conf as written there (`diary/bookings/<int:booking_id>/`)."""
    out = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append(prefix + str(p.pattern))
    return out


def _page_routes() -> set[str]:
    """Page routes that need a row: the admin counts as one, API operations are taken from the schema."""
    routes = set()
    for route in _routes():
        if route.startswith(ADMIN):
            routes.add(ADMIN)
        elif route.startswith("api/") and route not in API_PAGES:
            continue
        else:
            routes.add(route)
    return routes


def _api_operations() -> set[tuple[str, str]]:
    from config.api import api

    return {(method.upper(), path) for path, ops in api.get_openapi_schema()["paths"].items() for method in ops}


def test_every_endpoint_has_a_row_and_every_row_an_endpoint():
    api_rows = {(r.method, r.path) for r in ROWS if r.is_api}
    page_rows = {r.path for r in ROWS if not r.is_api}
    operations, routes = _api_operations(), _page_routes()
    missing = sorted(f"{m} {p}" for m, p in operations - api_rows) + sorted(routes - page_rows)
    stale = sorted(f"{m} {p}" for m, p in api_rows - operations) + sorted(page_rows - routes)
    assert not missing, "Endpoints without a row in tests/permissions/rows_<app>.py:\n  " + "\n  ".join(missing)
    assert not stale, "Rows naming no endpoint:\n  " + "\n  ".join(stale)
    for row in ROWS:
        row.statuses()  # eight statuses each


def _clients(world) -> dict[str, Client]:
    clients = {"anon": Client()}
    for name, user in world["users"].items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def _call(row: Row, persona: str, world: dict, clients: dict[str, Client]):
    url = (row.url or (row.path if row.is_api else "/" + row.path)).format(**world)
    body = row.body(world) if callable(row.body) else row.body
    method = row.method.lower()
    files = {}
    if row.files is not None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        files = {k: SimpleUploadedFile(name, content) for k, (name, content) in row.files(world).items()}
    if row.is_api:
        client = Client()
        headers = {"HTTP_AUTHORIZATION": f"Bearer {world['tokens'][persona]}"} if persona != "anon" else {}
        headers["HTTP_ACCEPT_LANGUAGE"] = "en"
        if files:
            return client.post(url, {**(body or {}), **files}, **headers)
        if body is None:
            return getattr(client, method)(url, **headers)
        return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", **headers)
    client = clients[persona]
    if method == "get":
        return client.get(url, body or {})
    return getattr(client, method)(url, {**(body or {}), **files})


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_each_persona_gets_the_expected_status(row: Row):
    world = build_world()
    clients = _clients(world)
    wrong = []
    for persona, expected in row.statuses().items():
        savepoint = transaction.savepoint()  # every persona meets the same world
        try:
            response = _call(row, persona, world, clients)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code != expected:
            text = response.content[:160].decode(errors="replace").replace("\n", " ")
            wrong.append(f"{persona}: expected {expected}, got {response.status_code} {text}")
    assert not wrong, f"{row.id}\n  " + "\n  ".join(wrong)
