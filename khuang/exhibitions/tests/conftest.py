"""Factories for exhibition tests: a combined hall with a floor plan, a public fair on it, and applications."""

from datetime import timedelta
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Test users need no real password hashing (PBKDF2 costs a second or more per user on a busy machine)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hall(create_halls):
    """HALL-A and HALL-B (atomic) and HALL-AB (combined)."""
    return create_halls(500, area_sqm=600, booth_count=4)[2]


def grid_layout(cols: int = 4, rows: int = 2, *, zone_split: bool = True) -> dict:
    """A plan 24 × 12 m over HALL-A (left) and HALL-B (right): two blocks of booths, 3 × 3 m each."""
    booths = []
    for r in range(rows):
        for c in range(cols):
            x = 1.5 + c * 3 if c < cols // 2 else 13.5 + (c - cols // 2) * 3
            zone = ("A" if c < cols // 2 else "B") if zone_split else "A"
            col = c + 1 if c < cols // 2 else c - cols // 2 + 1
            booths.append({"code": f"{zone}{r + 1}{col}", "x": x, "y": 3 + r * 3, "width": 3, "depth": 3,
                           "type": "corner" if c in (0, cols - 1) else "inline", "power": True, "water": c == 0,
                           "zone": zone, "price_class": "corner" if c in (0, cols - 1) else "standard",
                           "prime": r == 0})
    return {"parts": [{"space": "HALL-A", "x": 0, "y": 0, "width": 12, "depth": 12},
                      {"space": "HALL-B", "x": 12, "y": 0, "width": 12, "depth": 12}],
            "booths": booths,
            "features": [{"kind": "aisle", "x": 0, "y": 0, "width": 24, "depth": 3, "label": "Main aisle"},
                         {"kind": "entrance", "x": 10, "y": 0, "width": 4, "depth": 1, "label": "Entrance"}]}


@pytest.fixture
def plan(hall, staff_user):
    from khuang.exhibitions import layout, services

    p = services.floorplan_create(space=hall, name_th="ผังงานแฟร์", name_en="Fair plan", width_m=24, depth_m=12,
                                  actor=staff_user)
    data = layout.parse_json(grid_layout(), width=p.width_m, depth=p.depth_m, grid=p.grid_m)
    return services.floorplan_save_layout(p, data, actor=staff_user)


@pytest.fixture
def organiser(create_agency):
    return create_agency("LPG-CHAMBER", name_th="หอการค้าลำปาง", name_en="Lampang Chamber of Commerce")


@pytest.fixture
def fair_booking(hall, organiser, soon):
    from khuang.accounts.models import User
    from khuang.bookings.services import BookingDraft, booking_create

    staff = User.objects.filter(username="booking-staff").first() or User.objects.create_user(
        "booking-staff", password="x", role="center_staff")
    return booking_create(BookingDraft(space=hall, title="งานแฟร์เซรามิก", title_en="Ceramics fair",
                                       start=soon + timedelta(days=20), end=soon + timedelta(days=22, hours=9),
                                       setup_minutes=24 * 60, status="confirmed", agency=organiser, is_public=True,
                                       event_type="trade_fair", layout="booths"), actor=staff)


PRICES = [{"price_class": cls, "category": cat, "price_thb": price}
          for cls, base in (("standard", 6000), ("corner", 8000))
          for cat, price in (("community", base // 2), ("sme", base), ("corporate", base * 2),
                             ("government", base))]


@pytest.fixture
def exhibition(fair_booking, plan, staff_user):
    from khuang.exhibitions import services

    ex = services.exhibition_create(fair_booking, plan, actor=staff_user, deposit_pct=Decimal("50"))
    services.prices_set(ex, PRICES, actor=staff_user)
    return ex


@pytest.fixture
def apply_to(db):
    """apply_to(exhibition, "Name", accept=True, **draft fields) → an application (accepted by staff)."""
    from khuang.accounts.models import User
    from khuang.exhibitions import services

    counter = {"n": 0}

    def make(exhibition, name: str = "Exhibitor", *, accept: bool = True, **kw):
        counter["n"] += 1
        kw.setdefault("contact_name", "ผู้ติดต่อ")
        kw.setdefault("email", f"ex{counter['n']}@example.org")
        kw.setdefault("phone", "081 234 5678")
        kw.setdefault("province", "Lampang")
        kw.setdefault("category", "sme")
        kw.setdefault("product_category", "ceramics")
        if kw["category"] == "community":
            kw.setdefault("community_reg_no", "5-52-01-01/1-0001")
        app = services.application_submit(exhibition, services.ApplicationDraft(company_name=name, **kw))
        if accept:
            staff = User.objects.filter(role="center_staff").order_by("pk").first()
            app = services.application_decide(app, "accept", actor=staff)
        return app

    return make


@pytest.fixture
def people(create_user, organiser, create_agency):
    """Every role the permission tests try: staff, organiser's planner and viewer, another agency's planner."""
    other = create_agency("LPN-IND", name_th="อุตสาหกรรมลำพูน", name_en="Lamphun Industry")
    return {
        "staff": create_user("expo-staff", role="center_staff"),
        "planner": create_user("expo-planner", role="agency_planner", agency=organiser),
        "viewer": create_user("expo-viewer", role="viewer", agency=organiser),
        "other": create_user("expo-other", role="agency_planner", agency=other),
    }
