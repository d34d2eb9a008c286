"""Demo public events at the DIPROM MICE CENTER over the coming months, relative to today (idempotent).

Created through the diary's own service (confirmed, public), so they occupy their spaces like any booking.
An event whose title already exists is left as it is; a slot already taken moves a week later.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from khuang.accounts.models import Agency, User
from khuang.bookings.models import Booking
from khuang.bookings.services import BookingDraft, booking_create
from khuang.core.errors import ApplicationError
from khuang.venues.models import Space

from .models import Attraction, EventPage, TourPackage

# days ahead, length in days, space, type, agency, th title, en title, hours, attendees, capacity, waiting list,
# package keys, th summary, en summary
EVENTS = [
    (12, 1, "MR-LANNA", "seminar", "LPG-IND", "สัมมนาการตลาดดิจิทัลสำหรับ SME ลำปาง",
     "Digital marketing seminar for Lampang SMEs", (9, 0, 16, 30), 150, 150, True, [],
     "สัมมนาเชิงปฏิบัติการ การขายออนไลน์และการสร้างแบรนด์สำหรับผู้ประกอบการ SME",
     "A hands-on seminar on online sales and branding for small and medium enterprises."),
    (26, 3, "HALL-AB", "trade_fair", "LPG-CHAMBER", "มหกรรมเซรามิกล้านนา แฟร์",
     "Lanna Ceramics Trade Fair", (10, 0, 20, 0), 1800, None, False, ["ceramic-painting", "lampang-luang-tour"],
     "งานแสดงและจำหน่ายสินค้าเซรามิกจากผู้ผลิตลำปาง ลำพูน และเชียงใหม่ กว่า 100 บูธ",
     "Over 100 booths of ceramics makers from Lampang, Lamphun and Chiang Mai."),
    (40, 1, "MR-KHELANG", "seminar", "CIMRD", "สัมมนานวัตกรรมเคลือบเซรามิก",
     "Seminar: innovation in ceramic glazes", (9, 0, 16, 0), 100, 100, True, ["ceramic-painting"],
     "นักวิจัยแนะนำสูตรเคลือบไร้สารตะกั่วและเทคนิคการเผาประหยัดพลังงาน",
     "Researchers present lead-free glazes and energy-saving firing."),
    (54, 2, "HALL-C", "esports", "LANNA-ESPORTS", "ล้านนา อีสปอร์ต แชมเปียนชิพ",
     "Lanna E-sports Championship", (10, 0, 21, 0), 600, 400, True, [],
     "การแข่งขันอีสปอร์ตระดับภาคเหนือ ทีมนักเรียนและนักศึกษา",
     "A northern e-sports tournament for school and university teams."),
    (68, 1, "GALLERY", "study_visit", "LPN-IND", "ศึกษาดูงานอุตสาหกรรมเซรามิกเกาะคา",
     "Study visit: Ko Kha ceramics industry", (8, 30, 16, 30), 40, 40, True, ["lampang-luang-tour"],
     "คณะผู้ประกอบการจากลำพูนศึกษาดูงานโรงงานและหมู่บ้านเซรามิก",
     "Lamphun entrepreneurs visit ceramic works and villages."),
]

WEEKDAY_KINDS = {"seminar", "study_visit"}

PACKAGES = {
    "ceramic-painting": dict(
        title_th="เวิร์กช็อปเพ้นท์ชามตราไก่", title_en="Workshop: painting a rooster bowl", kind="workshop",
        description_th="วาดลายชามไก่ด้วยมือกับช่างท้องถิ่น นำกลับบ้านได้",
        description_en="Hand-paint Lampang's rooster bowl with local artisans and take it home.",
        duration_hours=Decimal("2.0"), price_thb=Decimal("350"), attractions=["ko_kha_ceramic_villages"]),
    "lampang-luang-tour": dict(
        title_th="ทัวร์ก่อนงาน: วัดพระธาตุลำปางหลวง", title_en="Pre-event tour: Wat Phra That Lampang Luang",
        kind="pre_tour", description_th="ชมวิหารไม้ล้านนาเก่าแก่ ใกล้ศูนย์ประชุม",
        description_en="The old Lanna wooden temple, a few kilometres from the center.",
        duration_hours=Decimal("2.5"), price_thb=Decimal("200"), attractions=["wat_phra_that_lampang_luang"]),
}


def _actor() -> User:
    staff = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    if staff:
        return staff
    user, _ = User.objects.get_or_create(username="khuang-demo", defaults={"role": User.Role.CENTER_STAFF,
                                                                            "is_active": False})
    return user


def _package(key: str) -> TourPackage:
    spec = dict(PACKAGES[key])
    attraction_keys = spec.pop("attractions")
    package, _ = TourPackage.objects.get_or_create(title_en=spec["title_en"], defaults=spec)
    package.attractions.add(*Attraction.objects.filter(key__in=attraction_keys))
    return package


def load() -> int:
    """Create the demo public events that do not exist yet; returns how many were created."""
    venue_code = settings.KHUANG_DEFAULT_VENUE
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    actor, created = _actor(), 0
    for (ahead, days, space_code, kind, agency_code, th, en, (h1, m1, h2, m2), attendees, capacity, waiting,
         packages, sum_th, sum_en) in EVENTS:
        space = Space.objects.filter(venue__code=venue_code, code=space_code).first()
        if space is None:
            continue
        booking = Booking.objects.filter(space__venue__code=venue_code, title=th, is_public=True).first()
        for shift in range(0, 8 * 7, 7):
            if booking is not None:
                break
            first = today + timedelta(days=ahead + shift)
            if kind in WEEKDAY_KINDS and first.weekday() >= 5:
                first += timedelta(days=7 - first.weekday())  # seminars and visits on working days
            start = datetime(first.year, first.month, first.day, h1, m1, tzinfo=tz)
            last = first + timedelta(days=days - 1)
            end = datetime(last.year, last.month, last.day, h2, m2, tzinfo=tz)
            draft = BookingDraft(space=space, title=th, title_en=en, start=start, end=end, status="confirmed",
                                 setup_minutes=120, teardown_minutes=120, attendees=attendees, event_type=kind,
                                 agency=Agency.objects.filter(code=agency_code).first(), is_public=True)
            try:
                booking = booking_create(draft, actor=actor, override_rules=True, reason="demo event")
                created += 1
            except ApplicationError:
                continue  # taken or closed then: try a week later
        if booking is None:
            continue
        page, _ = EventPage.objects.get_or_create(booking=booking, defaults={
            "summary_th": sum_th, "summary_en": sum_en, "capacity": capacity, "waiting_list": waiting})
        page.packages.add(*(_package(k) for k in packages))
    return created
