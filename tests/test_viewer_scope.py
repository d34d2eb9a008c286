"""Viewer scope (finding 12): the pages and the API agree on who sees the plan and the center's reports."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(create_user, create_agency, venue, create_space):
    from khuang.planning.models import Plan, PlanStatus

    create_space()
    cimrd, outside = create_agency("CIMRD"), create_agency("LANNA-ESPORTS", kind="private_organiser")
    plan = Plan.objects.create(venue=venue, fiscal_year=2570, version=1, status=PlanStatus.SOLVED, objective=42.0)
    return {
        "plan": plan,
        "loner": create_user("loner", role="viewer"),
        "outsider": create_user("outsider", role="viewer", agency=outside),
        "cimrd_viewer": create_user("cimrd-viewer", role="viewer", agency=cimrd),
        "executive": create_user("executive", role="executive"),
    }


def _page(client, user, url):
    client.force_login(user)
    status = client.get(url).status_code
    client.logout()
    return status


def test_finding_12_a_viewer_without_agency_sees_no_plan_anywhere(client, api, world):
    loner, plan = world["loner"], world["plan"]
    assert api("get", "/api/plans", user=loner).status_code == 403
    assert api("get", f"/api/plans/{plan.pk}", user=loner).status_code == 403
    assert api("get", "/api/proposals", user=loner).status_code == 403
    assert _page(client, loner, "/plan/") == 403
    assert _page(client, loner, f"/plan/plans/{plan.pk}/") == 403
    assert _page(client, loner, "/plan/proposals/") == 403


def test_an_agency_viewer_reads_the_plan_on_both_sides(client, api, world):
    viewer, plan = world["cimrd_viewer"], world["plan"]
    assert api("get", f"/api/plans/{plan.pk}", user=viewer).json()["objective"] == 42.0
    assert api("get", "/api/proposals", user=viewer).status_code == 200
    assert _page(client, viewer, f"/plan/plans/{plan.pk}/") == 200
    assert _page(client, viewer, "/plan/proposals/") == 200
    # ...and changes nothing.
    assert api("post", f"/api/plans/{plan.pk}/approve", user=viewer).status_code == 403
    assert api("post", "/api/proposals", {"fiscal_year": 2570, "ref": "X", "title_th": "x",
                                          "activity_type": "seminar", "days": 1}, user=viewer).status_code == 403


def test_finding_12_an_outside_agency_viewer_gets_no_center_kpis_or_exports(client, api, world):
    outsider = world["outsider"]
    assert api("get", "/api/kpis?fiscal_year=2570", user=outsider).status_code == 403
    assert _page(client, outsider, "/reports/2570/") == 403
    assert _page(client, outsider, "/reports/2570/ministry.xlsx") == 403
    assert _page(client, outsider, "/reports/2570/ministry.pdf") == 403


def test_the_executive_reads_the_reports_and_nothing_of_the_agencies(client, api, world, create_booking):
    executive = world["executive"]
    create_booking(title="An agency's private meeting")
    assert api("get", "/api/kpis?fiscal_year=2570", user=executive).status_code == 200
    assert _page(client, executive, "/reports/2570/") == 200
    assert _page(client, executive, "/reports/2570/ministry.xlsx") == 200
    assert api("get", "/api/bookings", user=executive).json()["count"] == 0
    assert api("get", "/api/plans", user=executive).status_code == 403
    assert _page(client, executive, "/plan/") == 403


def test_existing_viewers_without_agency_become_executives(create_agency):
    """The migration keeps what such people could read (the center's reports)."""
    from importlib import import_module

    from django.apps import apps

    from khuang.accounts.models import User

    User.objects.create_user("old-viewer", role="viewer")
    User.objects.create_user("agency-viewer", role="viewer", agency=create_agency("AG"))
    migration = import_module("khuang.accounts.migrations.0002_roles_and_token_expiry")
    migration.viewers_without_agency_become_executives(apps, None)
    assert User.objects.get(username="old-viewer").role == "executive"
    assert User.objects.get(username="agency-viewer").role == "viewer"


def test_the_menu_offers_what_each_role_may_open(client, world):
    def menu(user) -> str:
        client.force_login(user)
        body = client.get("/events/?lang=en").content.decode()
        client.logout()
        return body[body.index('class="mainnav"'):body.index("</nav>")]

    assert "/reports/" in menu(world["executive"]) and "/plan/" not in menu(world["executive"])
    assert "/reports/" not in menu(world["cimrd_viewer"]) and "/plan/" in menu(world["cimrd_viewer"])
    assert "/plan/" not in menu(world["loner"])
