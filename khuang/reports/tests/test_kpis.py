"""KPI selectors against small cases computed by hand (venue open 08:00–20:00 = 12 h a day)."""

from datetime import date
from decimal import Decimal

import pytest

from khuang.bookings.services import booking_cancel
from khuang.reports import selectors, services
from khuang.venues.models import Closure, RateCard


@pytest.fixture
def halls(create_space):
    a = create_space("A", area_sqm=100)
    b = create_space("B", area_sqm=300)
    ab = create_space("AB", parts=[a, b], area_sqm=400)
    return a, b, ab


def test_utilization_combined_space_closure_and_operating_hours(halls, create_booking, bkk, venue):
    a, b, ab = halls
    create_booking(space=ab, start=bkk(2027, 2, 3, 8), hours=4)            # A and B: 4 h each
    create_booking(space=a, start=bkk(2027, 2, 4, 6), hours=4)             # 06–10: only 08–10 counts
    Closure.objects.create(space=b, start=bkk(2027, 3, 1), end=bkk(2027, 3, 3), reason="maintenance")

    util = selectors.kpi_utilization(venue, 2570)

    # FY 2570 has 365 days × 12 h = 4380 h per atomic space; B loses 2 days × 12 h to the closure.
    assert util["available_hours"] == 4380 + 4356
    assert util["occupied_hours"] == 6 + 4
    # Area-weighted: (100×6 + 300×4) / (100×4380 + 300×4356) = 1800 / 1,744,800 = 0.103 %.
    assert util["pct"] == 0.1
    feb, mar = 4, 5  # fiscal months: Oct = 0
    # February: 28 × 12 = 336 h each → 1800 / (400 × 336) = 1.34 %.
    assert util["by_month"][feb] == 1.3
    assert util["by_month"][mar] == 0.0
    rows = {r["code"]: r for r in util["spaces"]}
    assert rows["A"]["months"][feb] == round(100 * 6 / 336, 1)
    assert rows["B"]["months"][feb] == round(100 * 4 / 336, 1)
    assert rows["AB"]["combined"] and rows["AB"]["months"][feb] == 1.3
    # One space chosen: the combination counts on its parts, a part on itself.
    assert selectors.kpi_utilization(venue, 2570, a)["occupied_hours"] == 6
    assert selectors.kpi_utilization(venue, 2570, ab)["available_hours"] == 4380 + 4356


def test_closure_of_combined_space_closes_its_parts(halls, venue, bkk):
    a, b, ab = halls
    Closure.objects.create(space=ab, start=bkk(2027, 1, 10), end=bkk(2027, 1, 11), reason="mourning")
    util = selectors.kpi_utilization(venue, 2570)
    assert util["available_hours"] == (4380 - 12) * 2


def test_booking_crossing_the_fiscal_year_boundary(create_space, create_booking, bkk, venue):
    room = create_space("R")
    create_booking(space=room, start=bkk(2026, 9, 30, 14), hours=22, title="overnight")  # to 1 Oct 12:00

    before = selectors.kpi_utilization(venue, 2569)
    after = selectors.kpi_utilization(venue, 2570)
    assert before["occupied_hours"] == 6       # 30 Sep 14–20
    assert after["occupied_hours"] == 4        # 1 Oct 08–12
    assert selectors.kpi_activities(venue, 2569, None)["events"] == 1   # counted where it starts
    assert selectors.kpi_activities(venue, 2570, None)["events"] == 0


def test_activities_attendees_revenue_partners_weeks_and_season(create_space, create_booking, create_agency,
                                                                 bkk, venue, staff_user):
    room = create_space("R", capacity_theatre=300)
    RateCard.objects.create(space=room, customer_class="government", full_day_thb=7000, half_day_thb=4200,
                            valid_from=date(2025, 1, 1))
    ag1, ag2 = create_agency("AG-1"), create_agency("AG-2")
    b1 = create_booking(space=room, start=bkk(2025, 11, 10, 9), hours=3, event_type="seminar", agency=ag1,
                        attendees=50)
    create_booking(space=room, start=bkk(2026, 1, 15, 9), hours=8, event_type="trade_fair", agency=ag2,
                   attendees=200)
    b3 = create_booking(space=room, start=bkk(2026, 5, 20, 9), hours=3, event_type="training", agency=ag1,
                        attendees=30)
    create_booking(space=room, start=bkk(2026, 9, 30, 14), hours=22)   # crosses into FY 2570, no agency
    create_booking(space=room, start=bkk(2026, 3, 2, 9), status="inquiry")   # not an event
    cancelled = create_booking(space=room, start=bkk(2026, 3, 3, 9))
    booking_cancel(cancelled, actor=staff_user, reason="test")

    services.actual_record(b1, attendance=40, revenue_thb=1000, satisfaction=4, actor=staff_user)
    actual = services.actual_record(b3, attendance=35, discount_pct=10, satisfaction=5, actor=staff_user)
    assert actual.list_price_thb == Decimal("4200")      # 3 h = a half day at the government rate
    assert actual.revenue_thb == Decimal("3780.00")      # less 10 %

    acts = selectors.kpi_activities(venue, 2569, None)
    assert acts["events"] == 4
    assert acts["attendees"] == 40 + 200 + 35 + 0
    assert acts["revenue_thb"] == 4780
    assert acts["satisfaction"] == 4.5
    assert acts["partner_agencies"] == 2
    assert acts["high_season_events"] == 2 and acts["high_season_pct"] == 50.0
    assert acts["by_month"] == [0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert {r["type"]: r["events"] for r in acts["by_type"]} == {"seminar": 1, "trade_fair": 1, "training": 1,
                                                                  "other": 1}
    assert {r["agency"]: r["events"] for r in acts["by_agency"]} == {"AG-1": 2, "AG-2": 1, None: 1}
    # FY 2569 (Wed 1 Oct 2025 – Wed 30 Sep 2026) meets the ISO weeks of Mondays 29 Sep 2025 … 28 Sep 2026:
    # 53 weeks (khuang.core.weeks, the optimizer's definition); four of them have an event.
    assert acts["weeks_total"] == 53 and acts["weeks_without_event"] == 49


def test_targets_and_progress(create_space, create_booking, bkk, venue, staff_user):
    room = create_space("R")
    create_booking(space=room, start=bkk(2026, 1, 15, 9), hours=8)
    create_booking(space=room, start=bkk(2026, 1, 16, 9), hours=8)
    services.target_set(venue, 2569, "events", 4, actor=staff_user)
    report = selectors.kpi_report(2569, venue.code)
    tile = next(t for t in report["tiles"] if t["key"] == "events")
    assert tile == {**tile, "value": 2, "target": 4.0, "progress_pct": 50.0, "met": False, "previous": 0}
    assert not report["empty"]


@pytest.mark.parametrize("target", [-1, "-0.5", "abc", "NaN"])
def test_targets_must_be_non_negative_numbers(venue, staff_user, target):
    with pytest.raises(services.InvalidInput):
        services.target_set(venue, 2570, "events", target, actor=staff_user)
    assert not venue.kpi_targets.exists()


def test_only_staff_set_targets(venue, create_user):
    from khuang.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.target_set(venue, 2570, "events", 3, actor=create_user())


def test_actuals_refused_before_the_event_ends(create_booking, staff_user, soon):
    booking = create_booking(start=soon)
    with pytest.raises(services.InvalidInput):
        services.actual_record(booking, attendance=10, actor=staff_user)


def test_year_without_data_is_an_empty_report(venue):
    report = selectors.kpi_report(2580, venue.code)
    assert report["empty"] is True
    assert "2580" in report["message"]
    assert report["activities"]["events"] == 0 and report["utilization"]["occupied_hours"] == 0


def test_project_on_track(venue):
    from khuang.reports.models import Project

    Project.objects.create(venue=venue, fiscal_year=2570, name_th="รายได้เสริมชุมชน", indicator_th="ครัวเรือน",
                           target=100, actual=40)
    # 1 Apr 2027 is day 183 of 365: on track needs 100 × 183/365 ≈ 50.1.
    [row] = selectors.project_list(venue, 2570, today=date(2027, 4, 1))
    assert row["progress_pct"] == 40.0 and row["on_track"] is False
    [row] = selectors.project_list(venue, 2570, today=date(2026, 12, 1))
    assert row["on_track"] is True
