"""Demo money settings and documents for the demo venue: letterhead, VAT, PromptPay, price list, rules,
agreement template; and three events of the coming weeks at different steps of the chain (a draft quotation;
an accepted quotation with a signed agreement and a paid deposit; a fully invoiced event paid in part).
Figures and IDs are illustrative. `load()` is idempotent: events are found again by title."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from khuang.accounts.models import Agency, User
from khuang.bookings.models import Booking, BookingStatus
from khuang.bookings.services import BookingDraft, booking_confirm, booking_create
from khuang.core.errors import ApplicationError
from khuang.venues.models import Space, Venue

from . import services
from .models import (
    AgreementTemplate,
    DiscountRule,
    DocumentRequirement,
    InvoiceStatus,
    PaymentRule,
    PriceItem,
    VenueFinance,
)

BKK = ZoneInfo("Asia/Bangkok")
TEMPLATE = """สัญญาเช่าสถานที่ฉบับนี้ทำขึ้นระหว่าง {{ venue }} ซึ่งต่อไปเรียกว่า "ผู้ให้เช่า" ฝ่ายหนึ่ง กับ {{ customer }} \
ซึ่งต่อไปเรียกว่า "ผู้เช่า" อีกฝ่ายหนึ่ง

ข้อ 1 ผู้ให้เช่าตกลงให้เช่าและผู้เช่าตกลงเช่า {{ spaces }} เพื่อจัดงาน "{{ event }}" ในวันที่ {{ dates }}

ข้อ 2 ค่าเช่าและค่าบริการรวมเป็นเงิน {{ total }} บาท ({{ total_words }}) ตามใบเสนอราคาเลขที่ {{ number }}

ข้อ 3 ผู้เช่าชำระเงินมัดจำ {{ deposit }} บาท ภายในวันที่ {{ deposit_due }} และชำระส่วนที่เหลือภายในวันที่ {{ balance_due }} \
หากผู้เช่าไม่ชำระตามกำหนด ผู้ให้เช่ามีสิทธิ์ยกเลิกการจองและให้ผู้จองลำดับถัดไปใช้สถานที่

ข้อ 4 ผู้เช่าต้องส่งเอกสารตามรายการแนบท้ายสัญญานี้ก่อนวันเข้าติดตั้ง และดูแลรักษาสถานที่ให้อยู่ในสภาพเดิม"""
PRICE_LIST = [
    ("projector", "เครื่องฉายภาพพร้อมจอ", "Projector with screen", "equipment", "ชุด/วัน", "set/day", 2500),
    ("sound", "ระบบเสียงพร้อมไมโครโฟน 4 ตัว", "Sound system with 4 microphones", "equipment", "ชุด/วัน", "set/day",
     3500),
    ("power-booth", "ไฟฟ้าต่อบูธ (5 แอมป์)", "Electricity per booth (5 A)", "electricity", "บูธ", "booth", 800),
    ("cleaning", "ทำความสะอาดหลังงาน", "Cleaning after the event", "cleaning", "ครั้ง", "time", 4000),
    ("overtime", "ค่าล่วงเวลาเจ้าหน้าที่", "Staff overtime", "staff", "ชั่วโมง", "hour", 450),
]
# title, English title, space, days ahead, days, agency, class, type, stage
EVENTS = [
    ("งานแสดงสินค้าเซรามิกลำปาง (ตัวอย่าง)", "Lampang ceramics trade show (sample)", "HALL-AB", 45, 3,
     "LPG-CHAMBER", "private", "trade_fair", "balance"),
    ("การแข่งขันอีสปอร์ตล้านนา (ตัวอย่าง)", "Lanna e-sports tournament (sample)", "HALL-C", 60, 2,
     "LANNA-ESPORTS", "private", "esports", "deposit"),
    ("สัมมนาผู้ประกอบการชุมชน (ตัวอย่าง)", "Community entrepreneurs seminar (sample)", "MR-LANNA", 75, 1,
     "KOKHA-CERAMIC", "community", "seminar", "draft"),
]


def _settings(venue: Venue) -> None:
    VenueFinance.objects.update_or_create(venue=venue, defaults={
        "legal_name_th": "ศูนย์ประชุมและแสดงสินค้าอุตสาหกรรมภาคเหนือ กรมส่งเสริมอุตสาหกรรม",
        "legal_name_en": "DIPROM MICE CENTER, Department of Industrial Promotion",
        "tax_id": "0994000165927", "phone": "0 5400 0000 (ตัวอย่าง)", "vat_registered": True,
        "vat_rate": Decimal("7"), "promptpay_id": "0994000165927",
        "bank_account": "ธนาคารกรุงไทย สาขาลำปาง เลขที่ 000-0-00000-0 (ตัวอย่าง)",
        "signatory_th": "ผู้อำนวยการศูนย์", "quotation_valid_days": 30})
    for code, th, en, cat, unit_th, unit_en, price in PRICE_LIST:
        PriceItem.objects.update_or_create(venue=venue, code=code, defaults={
            "name_th": th, "name_en": en, "category": cat, "unit_th": unit_th, "unit_en": unit_en,
            "unit_price": price})
    DiscountRule.objects.update_or_create(venue=venue, name_th="ส่วนลดงานชุมชน", defaults={
        "name_en": "Community events", "customer_class": "community", "percent": 20})
    DiscountRule.objects.update_or_create(venue=venue, name_th="เช่าตั้งแต่ 3 วัน", defaults={
        "name_en": "Three days or more", "min_days": 3, "percent": 10})
    for klass, deposit, agreement in (("private", 30, True), ("community", 0, False), ("government", 0, False)):
        PaymentRule.objects.update_or_create(venue=venue, customer_class=klass, defaults={
            "deposit_pct": deposit, "deposit_due_days": 7, "balance_due_days_before": 7,
            "release_hold_when_overdue": klass == "private", "agreement_required_to_confirm": agreement})
    for i, (event_type, th, en) in enumerate([
            ("", "หนังสือขออนุญาตใช้สถานที่", "Request letter"),
            ("trade_fair", "กรมธรรม์ประกันภัยความรับผิดต่อบุคคลภายนอก", "Public liability insurance"),
            ("trade_fair", "แผนผังบูธและแผนป้องกันอัคคีภัย", "Booth plan and fire safety plan"),
            ("esports", "หนังสืออนุญาตจัดการแข่งขัน", "Tournament permit")]):
        DocumentRequirement.objects.update_or_create(venue=venue, event_type=event_type, name_th=th,
                                                     defaults={"name_en": en, "position": i})
    AgreementTemplate.objects.update_or_create(venue=venue, name="สัญญาเช่าสถานที่มาตรฐาน",
                                               defaults={"body_th": TEMPLATE, "is_default": True})


def _people() -> tuple[User, User]:
    staff = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    staff = staff or User.objects.create_user("finance-demo-staff", password=None, role=User.Role.CENTER_STAFF)
    finance = User.objects.filter(username="finance-demo").first() or User.objects.create_user(
        "finance-demo", password=None, role=User.Role.FINANCE_OFFICER)
    return staff, finance


def _event(venue: Venue, row, staff: User, finance: User) -> None:
    title, title_en, code, ahead, days, agency_code, klass, kind, stage = row
    if Booking.objects.filter(space__venue=venue, title=title).exclude(status=BookingStatus.CANCELLED).exists():
        return  # loaded before
    space = Space.objects.filter(venue=venue, code=code).first()
    agency = Agency.objects.filter(code=agency_code).first()
    if space is None:
        return
    day = timezone.localdate() + timedelta(days=ahead)
    start = datetime(day.year, day.month, day.day, 9, tzinfo=BKK)
    draft = BookingDraft(space=space, title=title, title_en=title_en, start=start,
                         end=start + timedelta(days=days - 1, hours=8), setup_minutes=12 * 60, teardown_minutes=6 * 60,
                         status=BookingStatus.HOLD, attendees=min(300, space.max_capacity), event_type=kind,
                         customer_class=klass, agency=agency, is_public=True, contact_name="ผู้ประสานงาน (ตัวอย่าง)",
                         hold_expires_at=timezone.now() + timedelta(days=ahead - 10))
    try:
        booking = booking_create(draft, actor=staff, override_rules=True, reason="demo")
    except ApplicationError:
        return  # the diary holds something else there
    q = services.quotation_from_bookings([booking], actor=staff)
    q = services.quotation_add_extra(q, "projector" if kind != "trade_fair" else "power-booth",
                                     2 if kind != "trade_fair" else 40, actor=staff)
    if stage == "draft":
        return
    q = services.quotation_accept(services.quotation_send(q, actor=staff), actor=staff)
    agreement = services.agreement_create(q, actor=staff)
    services.agreement_send(agreement, actor=staff)
    services.agreement_sign(agreement, signed_on=timezone.localdate(), signed_by="ผู้แทนผู้เช่า (ตัวอย่าง)",
                            actor=staff)
    for doc in agreement.documents.all()[:1]:
        services.agreement_document_mark(agreement, doc.pk, received_on=timezone.localdate(), actor=staff)
    deposit = q.instalments.filter(kind="deposit").first()
    if deposit is not None:
        invoice = services.invoice_issue(services.invoice_for_instalment(deposit, actor=finance), actor=finance)
        services.payment_record(invoice, amount=invoice.total, paid_on=timezone.localdate(), method="transfer",
                                reference="KTB-DEMO-0001", actor=finance)
    booking_confirm(booking, actor=staff, reason="demo")
    if stage == "balance":
        balance = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="balance"),
                                                                         actor=finance), actor=finance)
        if balance.status == InvoiceStatus.ISSUED:
            services.payment_record(balance, amount=(balance.total / 2).quantize(Decimal("0.01")),
                                    paid_on=timezone.localdate(), method="promptpay", reference="PP-DEMO-0002",
                                    actor=finance)


def load() -> None:
    """Money settings and sample documents for the demo venue (idempotent)."""
    venue = Venue.objects.filter(code="DIPROM-MICE").first()
    if venue is None:
        return
    with transaction.atomic():
        _settings(venue)
    staff, finance = _people()
    for row in EVENTS:
        with transaction.atomic():
            _event(venue, row, staff, finance)
