"""Demo history for the reports: FY 2569 (1 Oct 2025 – 30 Sep 2026) at the demo venue — completed events with
actuals, budget lines, KPI targets, next year's budget request and the community supplementary-income project.
Figures are illustrative. `load()` is idempotent: events are found again by title and start."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from khuang.accounts.models import Agency, User
from khuang.bookings.models import Booking, BookingStatus
from khuang.bookings.services import BookingDraft, booking_complete, booking_create
from khuang.core.errors import ApplicationError
from khuang.venues.models import Space, Venue

from .models import BudgetLine, KpiTarget, Project
from .services import actual_record

FY = 2569
BKK = ZoneInfo("Asia/Bangkok")
# month, day, days, space, type, title (Thai), English title, attendees, customer class
EVENTS = [
    (10, 20, 2, "MR-LANNA", "seminar", "สัมมนาเพิ่มศักยภาพ SME ลำปาง", "Lampang SME capability seminar", 180, "government"),
    (11, 6, 3, "HALL-A", "exhibition", "นิทรรศการหัตถกรรมล้านนา", "Lanna crafts exhibition", 900, "government"),
    (11, 24, 1, "MR-KHELANG", "training", "อบรมการตลาดออนไลน์", "Online marketing training", 60, "community"),
    (12, 10, 10, "HALL-ABC", "trade_fair", "ลำปางเซรามิกแฟร์", "Lampang Ceramic Fair", 2500, "private"),
    (1, 14, 2, "MR-WANG", "training", "อบรมบรรจุภัณฑ์", "Packaging training", 45, "government"),
    (1, 22, 3, "HALL-B", "exhibition", "งานของดีเกาะคา", "Ko Kha products fair", 700, "community"),
    (2, 5, 1, "MR-LANNA", "conference", "ประชุมเครือข่ายอุตสาหกรรมภาคเหนือ", "Northern industry network meeting",
     250, "government"),
    (2, 18, 2, "GALLERY", "exhibition", "นิทรรศการเซรามิกร่วมสมัย", "Contemporary ceramics show", 150, "private"),
    (3, 12, 1, "BOARD", "seminar", "ประชุมคณะกรรมการจังหวัด", "Provincial committee meeting", 18, "government"),
    (4, 2, 2, "HALL-C", "esports", "ลำปางอีสปอร์ต", "Lampang e-sports cup", 400, "private"),
    (5, 7, 1, "MR-CERAMIC", "training", "อบรมการออกแบบลวดลาย", "Glaze design workshop", 30, "community"),
    (6, 16, 2, "MR-LANNA", "seminar", "สัมมนานวัตกรรมอุตสาหกรรม", "Industrial innovation seminar", 220, "government"),
    (7, 8, 1, "MR-KOKHA", "study_visit", "ศึกษาดูงานวิสาหกิจชุมชน", "Community enterprise study visit", 25,
     "community"),
    (8, 11, 3, "HALL-AB", "trade_fair", "มหกรรมสินค้าอุตสาหกรรม", "Industrial products fair", 1500, "private"),
    (9, 3, 1, "MR-KHELANG", "training", "อบรมมาตรฐานผลิตภัณฑ์ชุมชน", "Community product standards training", 70,
     "community"),
    (9, 24, 2, "KHUANG-GROUND", "festival", "ข่วงวัฒนธรรมล้านนา", "Lanna culture ground", 1200, "community"),
]
AGENCY_BY_TYPE = ["LPG-IND", "LPN-IND", "CMI-IND", "IPC1", "LPG-CHAMBER", "KOKHA-CERAMIC"]
TARGETS = {"utilization_pct": 5, "events": 20, "attendees": 8000, "revenue_thb": 1500000, "partner_agencies": 5,
           "high_season_pct": 40, "satisfaction": 4.2}
BUDGET = [("ค่าสาธารณูปโภค", "Utilities", 1200000, 1134500), ("ค่าซ่อมบำรุงอาคาร", "Building maintenance",
          800000, 612300), ("ค่าประชาสัมพันธ์", "Promotion", 300000, 285000),
          ("ค่าจ้างเหมาบริการ", "Contracted services", 950000, 949000)]
REQUEST = [("ค่าสาธารณูปโภค", "Utilities", 1300000), ("ปรับปรุงระบบภาพและเสียง", "AV system upgrade", 2500000),
           ("ค่าประชาสัมพันธ์", "Promotion", 450000)]


def _staff() -> User:
    user = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    return user or User.objects.create_user("reports-demo", password=None, role=User.Role.CENTER_STAFF)


def _event(venue: Venue, row, agencies: list[Agency], staff: User, rng: random.Random) -> None:
    month, day, days, code, kind, title, title_en, attendees, klass = row
    space = Space.objects.filter(venue=venue, code=code).first()
    if space is None:
        return
    year = 2025 if month >= 10 else 2026
    start = datetime(year, month, day, 9, tzinfo=BKK)
    end = start + timedelta(days=days - 1, hours=8)
    booking = Booking.objects.filter(space=space, title=title, start=start).first()
    if booking is None:
        agency = agencies[EVENTS.index(row) % len(agencies)] if agencies else None
        draft = BookingDraft(space=space, title=title, title_en=title_en, start=start, end=end, setup_minutes=60,
                             teardown_minutes=60, status=BookingStatus.CONFIRMED, attendees=min(attendees,
                             space.max_capacity or attendees), event_type=kind, customer_class=klass, agency=agency,
                             is_public=True)
        try:
            booking = booking_create(draft, actor=staff, override_rules=True, reason="demo history")
        except ApplicationError:
            return  # the diary already holds something else there
    if booking.status == BookingStatus.CONFIRMED:
        booking = booking_complete(booking, actor=staff, reason="demo history")
    if not hasattr(booking, "actual"):
        actual_record(booking, attendance=int(booking.attendees * rng.uniform(0.8, 1.1)),
                      discount_pct=rng.choice([0, 0, 10, 20]), satisfaction=round(rng.uniform(3.6, 4.9), 1),
                      actor=staff)


def load() -> None:
    """Load FY 2569 history for the demo venue (idempotent)."""
    venue = Venue.objects.filter(code="DIPROM-MICE").first()
    if venue is None:
        return
    staff = _staff()
    agencies = list(Agency.objects.filter(code__in=AGENCY_BY_TYPE)) or list(Agency.objects.all()[:5])
    rng = random.Random(2569)
    for row in EVENTS:
        with transaction.atomic():
            _event(venue, row, agencies, staff, rng)
    with transaction.atomic():
        for kpi, target in TARGETS.items():
            for fy in (FY, FY + 1):
                KpiTarget.objects.update_or_create(venue=venue, fiscal_year=fy, kpi=kpi,
                                                   defaults={"target": target})
        for th, en, planned, spent in BUDGET:
            BudgetLine.objects.update_or_create(venue=venue, fiscal_year=FY, kind=BudgetLine.Kind.ALLOCATED,
                                                category_th=th, defaults={"category_en": en, "planned_thb": planned,
                                                                          "spent_thb": spent})
        for th, en, amount in REQUEST:
            BudgetLine.objects.update_or_create(venue=venue, fiscal_year=FY + 1, kind=BudgetLine.Kind.REQUEST,
                                                category_th=th, defaults={"category_en": en, "planned_thb": amount})
        Project.objects.update_or_create(
            venue=venue, fiscal_year=FY, name_th="โครงการสร้างรายได้เสริมให้ชุมชน",
            # The actual recorded by hand; community sales recorded at the year's fairs are added (feed).
            defaults={"name_en": "Community supplementary-income project",
                      "indicator_th": "รายได้เสริมของชุมชนจากการออกร้านในศูนย์",
                      "indicator_en": "Community income from stalls at the center", "unit": "THB",
                      "target": 600000, "actual": 362500, "budget_thb": 250000,
                      "feed": Project.Feed.COMMUNITY_FAIR_SALES},
        )
        Project.objects.update_or_create(
            venue=venue, fiscal_year=FY, name_th="โครงการยกระดับมาตรฐานสถานที่ (TMVS)",
            defaults={"name_en": "Venue standard (TMVS) upgrade", "indicator_th": "ข้อกำหนดที่ผ่านการประเมิน",
                      "indicator_en": "Criteria passed", "unit": "%", "target": 100, "actual": 70,
                      "budget_thb": 400000},
        )
