"""The demo fairs: floor plans over the hall parts, last year's fair with sales feeding the community project,
the coming fair with applications placed by the optimizer; loading twice changes nothing."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_app_config("exhibitions").get_models()}


def test_demo_fairs_load_once(create_user):
    from khuang.accounts import demo as accounts
    from khuang.exhibitions import demo
    from khuang.exhibitions.models import Exhibition
    from khuang.finance import demo as finance
    from khuang.public import demo as public
    from khuang.reports import demo as reports
    from khuang.reports.selectors import kpi_report
    from khuang.venues import demo as venues

    create_user("demo-staff", role="center_staff")
    accounts.load()
    venues.load()
    public.load()
    finance.load()
    reports.load()
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    past = Exhibition.objects.get(booking__title="ลำปางเซรามิกแฟร์")
    assert past.floor_plan.space.code == "HALL-ABC"
    assert [p["space"] for p in past.floor_plan.parts_layout] == ["HALL-A", "HALL-B", "HALL-C"]
    assert past.claims.filter(status="sold").exists()
    report = kpi_report(2569, "DIPROM-MICE", compare=False)
    project = next(p for p in report["projects"] if p["fed_by_fairs"])
    assert project["from_fairs"] == sum(demo.PAST_SALES.values())
    assert {r["province"] for r in report["community_income"]["by_province"]} >= {"ลำปาง", "ลำพูน", "เชียงใหม่"}
    coming = Exhibition.objects.get(booking__title="มหกรรมเซรามิกล้านนา แฟร์")
    assert coming.accepts_applications
    statuses = set(coming.applications.values_list("status", flat=True))
    assert {"accepted", "submitted", "waitlisted"} <= statuses
    assert coming.claims.filter(status="reserved").exists()
    assert coming.applications.filter(quotation__isnull=False).count() == 2
