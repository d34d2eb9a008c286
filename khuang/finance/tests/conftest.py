"""Fixtures of the money chain: a VAT-registered venue with rate cards, rules, a template and its people."""

from datetime import date, timedelta
from decimal import Decimal

import pytest


@pytest.fixture
def money_venue(venue, create_space):
    """The test venue with finance settings, a hall with rate cards, a price list, rules and a template."""
    from khuang.finance.models import (
        AgreementTemplate,
        DocumentRequirement,
        PaymentRule,
        PriceItem,
        VenueFinance,
    )
    from khuang.venues.models import RateCard

    VenueFinance.objects.create(venue=venue, legal_name_th="ศูนย์ทดสอบ", legal_name_en="Test Center",
                                tax_id="0994000123456", vat_registered=True, vat_rate=Decimal("7"),
                                promptpay_id="0994000123456")
    hall = create_space("HALL-A", kind="hall", capacity_theatre=500)
    for klass, full, half in (("government", 20000, 12000), ("private", 30000, 18000), ("community", 10000, 6000)):
        RateCard.objects.create(space=hall, customer_class=klass, full_day_thb=full, half_day_thb=half,
                                valid_from=date.today() - timedelta(days=400))
    PriceItem.objects.create(venue=venue, code="projector", name_th="เครื่องฉายภาพ", name_en="Projector",
                             category="equipment", unit_th="เครื่อง/วัน", unit_en="unit/day", unit_price=1500)
    PriceItem.objects.create(venue=venue, code="power-booth", name_th="ไฟฟ้าต่อบูธ", name_en="Electricity per booth",
                             category="electricity", unit_th="บูธ", unit_en="booth", unit_price=800)
    PaymentRule.objects.create(venue=venue, customer_class="private", deposit_pct=30, deposit_due_days=7,
                               balance_due_days_before=7, release_hold_when_overdue=True, grace_days=3,
                               agreement_required_to_confirm=True)
    PaymentRule.objects.create(venue=venue, customer_class="government", deposit_pct=0, deposit_due_days=7,
                               balance_due_days_before=3)
    DocumentRequirement.objects.create(venue=venue, name_th="หนังสือขอใช้สถานที่", name_en="Request letter")
    DocumentRequirement.objects.create(venue=venue, event_type="trade_fair", name_th="กรมธรรม์ประกันภัย",
                                       name_en="Insurance policy", position=1)
    AgreementTemplate.objects.create(
        venue=venue, name="มาตรฐาน",
        body_th="สัญญาเช่าสถานที่ระหว่าง {{ venue }} กับ {{ customer }} สำหรับงาน {{ event }} ณ {{ spaces }} "
                "วันที่ {{ dates }} ค่าเช่ารวม {{ total }} บาท ({{ total_words }}) มัดจำ {{ deposit }} บาท "
                "ภายใน {{ deposit_due }} ส่วนที่เหลือภายใน {{ balance_due }}")
    return venue


@pytest.fixture
def hall(money_venue):
    from khuang.venues.models import Space

    return Space.objects.get(code="HALL-A")


@pytest.fixture
def finance_user(create_user):
    return create_user("finance", role="finance_officer", is_staff=True)


@pytest.fixture
def customer_agency(create_agency):
    return create_agency("CUST-1", kind="private_organiser")


@pytest.fixture
def event_booking(create_booking, hall, customer_agency, bkk, soon):
    """A two-day private hold in the hall (9:00–17:00 both days) for the customer agency, weeks ahead."""
    start = soon + timedelta(days=30)
    return create_booking(space=hall, start=start, hours=32, status="hold", customer_class="private",
                          agency=customer_agency, title="งานแสดงสินค้าทดสอบ", event_type="trade_fair",
                          contact_email="buyer@example.org", setup_minutes=60 * 12)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """These tests make many people; a fast hash keeps them quick (login itself is tested elsewhere)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
