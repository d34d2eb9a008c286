"""Demo operations for the DIPROM MICE CENTER: its equipment, a small operations team, event orders for the
coming ceramics fair and for last year's events (so the personnel report has hours). Illustrative figures;
`load()` is idempotent: items and people are found again by code and name, event orders by booking."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from khuang.accounts.models import User
from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import ApplicationError
from khuang.venues.models import Venue

from . import services
from .models import EquipmentItem, EventOrder, ItemRepair, StaffMember

# code, th, en, category, unit th, unit en, stock
ITEMS = [
    ("CHAIR", "เก้าอี้จัดเลี้ยง", "Banquet chair", "seating", "ตัว", "chairs", 1500),
    ("TABLE-CL", "โต๊ะประชุม (classroom)", "Classroom table", "tables", "ตัว", "tables", 300),
    ("TABLE-BQ", "โต๊ะจัดเลี้ยงกลม", "Round banquet table", "tables", "ตัว", "tables", 150),
    ("BOOTH-PANEL", "แผงบูธมาตรฐาน", "Standard booth panel", "booths", "แผง", "panels", 600),
    ("STAGE", "เวทีสำเร็จรูป (ชุด)", "Stage set", "staging", "ชุด", "sets", 4),
    ("PROJECTOR", "โปรเจกเตอร์", "Projector", "av", "เครื่อง", "units", 8),
    ("SCREEN", "จอรับภาพ", "Projection screen", "av", "จอ", "screens", 8),
    ("MIC", "ไมโครโฟนไร้สาย", "Wireless microphone", "av", "ตัว", "mics", 24),
    ("SOUND", "ชุดเครื่องเสียง", "Sound system", "av", "ชุด", "systems", 3),
    ("GENERATOR", "เครื่องปั่นไฟ", "Generator", "power", "เครื่อง", "units", 2),
]

# name, English name, unit, skills, phone, working days
STAFF = [
    ("สมชาย ใจดี", "Somchai Jaidee", "งานประสานงานกิจกรรม", ["coordinator"], "081-000-0101", [0, 1, 2, 3, 4]),
    ("วิภาวรรณ แก้วมณี", "Wipawan Kaewmanee", "งานประสานงานกิจกรรม", ["coordinator", "it"], "081-000-0102",
     [0, 1, 2, 3, 4]),
    ("อนุชา ศรีสุข", "Anucha Srisuk", "งานประสานงานกิจกรรม", ["coordinator"], "081-000-0103", [0, 1, 2, 3, 4]),
    ("พลอย ดวงดี", "Ploy Duangdee", "งานประสานงานกิจกรรม", ["coordinator"], "081-000-0104", [1, 2, 3, 4, 5]),
    ("ประสิทธิ์ ทองคำ", "Prasit Thongkham", "งานโสตทัศนูปกรณ์และไอที", ["av", "it"], "081-000-0201",
     [0, 1, 2, 3, 4]),
    ("กมลชนก วงศ์ใหญ่", "Kamonchanok Wongyai", "งานโสตทัศนูปกรณ์และไอที", ["av"], "081-000-0202", [1, 2, 3, 4, 5]),
    ("บุญมี คำปัน", "Boonmee Kampan", "งานอาคารสถานที่", ["setup_crew"], "081-000-0301", [0, 1, 2, 3, 4]),
    ("สุรชัย อินทร์แก้ว", "Surachai Inkaew", "งานอาคารสถานที่", ["setup_crew"], "081-000-0302", [0, 1, 2, 3, 4]),
    ("จำนงค์ ปัญญาดี", "Jamnong Panyadee", "งานอาคารสถานที่", ["setup_crew", "security"], "081-000-0303",
     [0, 1, 2, 3, 4]),
    ("ธนากร ใจมา", "Thanakorn Jaima", "งานอาคารสถานที่", ["setup_crew"], "081-000-0304", [0, 1, 2, 3, 4]),
    ("สมศักดิ์ เรือนคำ", "Somsak Ruankham", "งานอาคารสถานที่", ["setup_crew"], "081-000-0305", [0, 1, 2, 3, 4]),
    ("วิชัย ปินตา", "Wichai Pinta", "งานอาคารสถานที่", ["setup_crew"], "081-000-0306", [0, 1, 2, 3, 4]),
    ("เอกชัย มูลเมือง", "Ekkachai Moonmuang", "งานอาคารสถานที่", ["setup_crew"], "081-000-0307", [1, 2, 3, 4, 5]),
    ("มาลี สุขใจ", "Malee Sukjai", "งานแม่บ้าน", ["cleaning"], "081-000-0401", [0, 1, 2, 3, 4]),
    ("ศรีนวล บุญเรือง", "Srinuan Boonruang", "งานแม่บ้าน", ["cleaning"], "081-000-0402", [1, 2, 3, 4, 5]),
    ("ชาญวิทย์ กล้าหาญ", "Chanwit Klahan", "งานรักษาความปลอดภัย", ["security"], "081-000-0501",
     [0, 1, 2, 3, 4, 5, 6]),
]

FAIR_TITLE = "มหกรรมเซรามิกล้านนา แฟร์"


def _actor() -> User:
    staff = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    if staff:
        return staff
    user, _ = User.objects.get_or_create(username="khuang-demo", defaults={"role": User.Role.CENTER_STAFF,
                                                                            "is_active": False})
    return user


def _items(venue: Venue) -> dict[str, EquipmentItem]:
    out = {}
    for code, th, en, category, unit_th, unit_en, stock in ITEMS:
        item, _ = EquipmentItem.objects.get_or_create(venue=venue, code=code, defaults={
            "name_th": th, "name_en": en, "category": category, "unit_th": unit_th, "unit_en": unit_en,
            "stock": stock})
        out[code] = item
    return out


def _staff(venue: Venue) -> dict[str, StaffMember]:
    out = {}
    for name, name_en, unit, skills, phone, days in STAFF:
        member, _ = StaffMember.objects.get_or_create(venue=venue, name=name, defaults={
            "name_en": name_en, "unit": unit, "skills": skills, "phone": phone, "working_days": days})
        out[name_en.split()[0]] = member
    return out


def _at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _fair(items, people, actor) -> None:
    """The coming ceramics fair: equipment, an event order with meals and notes, two people, revision 1."""
    booking = Booking.objects.filter(title=FAIR_TITLE, status=BookingStatus.CONFIRMED).first()
    if booking is None or EventOrder.objects.filter(booking=booking).exists():
        return
    for code, n in (("BOOTH-PANEL", 400), ("CHAIR", 300), ("TABLE-CL", 100), ("SOUND", 1), ("MIC", 4),
                    ("STAGE", 1)):
        try:
            services.equipment_request_set(booking, items[code], n, actor=actor)
        except ApplicationError:
            continue  # another demo booking holds them: leave this line out
    eo = services.event_order_create(booking, actor=actor)
    first = timezone.localtime(booking.start).date()
    services.event_order_update(eo, {
        "layout_notes": "บูธมาตรฐาน 100 บูธ เวทีกลางฮอลล์ ทางเดินกว้าง 3 เมตร",
        "parking_spaces": 300, "notes_security": "เปิดประตู 2 เวลา 07:00 เฝ้าลานจอดรถตลอดงาน",
        "notes_cleaning": "ทำความสะอาดห้องน้ำทุก 2 ชั่วโมง", "notes_av_it": "ไมค์ลอย 4 ตัวที่เวทีกลาง Wi-Fi ผู้ออกบูธ",
        "notes_parking": "ผู้ออกบูธจอดด้านหลังฮอลล์ B"}, actor=actor)
    services.catering_add(eo, kind="coffee_break", served_at=_at(first, 10, 30), headcount=120,
                          notes="กาแฟ ขนมไทย", actor=actor)
    services.catering_add(eo, kind="lunch", served_at=_at(first, 12), headcount=120, notes="ข้าวซอย อาหารเหนือ",
                          actor=actor)
    for key, role in (("Somchai", "coordinator"), ("Boonmee", "setup_crew")):
        start = booking.occupied_start if role == "setup_crew" else booking.start
        end = booking.start if role == "setup_crew" else _at(first, 17)
        try:
            services.assignment_create(eo, people[key], role=role, start=start, end=end, actor=actor)
        except ApplicationError:
            continue
    services.event_order_send(eo, actor=actor, note="ฉบับแรกสำหรับทุกทีม")


def _history(people, actor) -> None:
    """Event orders with two people each for last fiscal year's completed events (the personnel report)."""
    crew = [("Somchai", "coordinator"), ("Prasit", "av"), ("Surachai", "setup_crew")]
    for i, booking in enumerate(Booking.objects.filter(status=BookingStatus.COMPLETED).order_by("start")[:15]):
        if EventOrder.objects.filter(booking=booking).exists():
            continue
        eo = services.event_order_create(booking, actor=actor)
        for key, role in (crew[i % 3], crew[(i + 1) % 3]):
            start = booking.occupied_start
            end = min(booking.occupied_end, start + timedelta(hours=10))
            try:
                services.assignment_create(eo, people[key], role=role, start=start, end=end, actor=actor)
            except ApplicationError:
                continue


def load() -> None:
    """Create the demo equipment, people and event orders that do not exist yet."""
    venue = Venue.objects.filter(code=settings.KHUANG_DEFAULT_VENUE).first()
    if venue is None:
        return
    actor = _actor()
    items = _items(venue)
    people = _staff(venue)
    if not ItemRepair.objects.filter(item=items["PROJECTOR"]).exists():
        today = timezone.localdate()
        try:
            services.repair_add(items["PROJECTOR"], quantity=1, first_day=today, last_day=today + timedelta(days=10),
                                reason="เปลี่ยนหลอดภาพ", actor=actor)
        except ApplicationError:
            pass
    _fair(items, people, actor)
    _history(people, actor)
