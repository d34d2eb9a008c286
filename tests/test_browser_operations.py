"""Operations in a real browser, in Thai: from a booking to its event order, two people assigned, the event
order and the daily operations sheet printed as PDF, and the assigned person's phone view."""

import shutil
import subprocess
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def setting(db, create_user):
    from khuang.accounts import demo as agencies
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.operations.models import EquipmentItem, StaffMember
    from khuang.venues import demo as venues
    from khuang.venues.models import Space

    agencies.load()
    venue = venues.load()
    staff = create_user("ops-staff", role="center_staff")
    day = date.today() + timedelta(days=21)
    day += timedelta(days=(7 - day.weekday()) % 7)  # a Monday three weeks or so ahead
    start = datetime(day.year, day.month, day.day, 9, tzinfo=BKK)
    booking = booking_create(BookingDraft(
        space=Space.objects.get(code="MR-LANNA"), title="สัมมนาผู้ประกอบการเซรามิก", title_en="Ceramics SME seminar",
        start=start, end=start + timedelta(hours=7), setup_minutes=120, teardown_minutes=60, status="confirmed",
        attendees=150, layout="classroom", contact_name="คุณวันเพ็ญ", contact_phone="089-555-0101"), actor=staff)
    EquipmentItem.objects.create(venue=venue, code="CHAIR", name_th="เก้าอี้จัดเลี้ยง", name_en="Banquet chair",
                                 category="seating", unit_th="ตัว", unit_en="chairs", stock=400)
    somchai = StaffMember.objects.create(venue=venue, name="สมชาย ใจดี", unit="งานประสานงานกิจกรรม",
                                         skills=["coordinator"], phone="081-000-0101",
                                         user=create_user("somchai", role="viewer"))
    boonmee = StaffMember.objects.create(venue=venue, name="บุญมี คำปัน", unit="งานอาคารสถานที่", skills=["setup_crew"],
                                         phone="081-000-0301")
    return booking, somchai, boonmee, day


def _pdf_text(content: bytes) -> str:
    """The PDF's text; pypdf drops the nikhahit of sara am (ำ → า), so both sides are compared without it."""
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages).replace("ำ", "า")


def _pdf_png(content: bytes, path) -> None:
    """The PDF's first page as PNG, to look at (Thai must be real text, not boxes)."""
    pdf = path.with_suffix(".pdf")
    pdf.write_bytes(content)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(path.with_suffix(""))], check=True)


def test_event_order_from_booking_to_print_and_phone(page, browser, live_server, login, setting, screenshot_dir,
                                                     assert_thai_renders):
    from khuang.operations.models import Assignment, EquipmentRequest, EventOrder

    booking, somchai, boonmee, day = setting
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "ops-staff")

    # From the booking page to its equipment and event order.
    page.goto(f"{live_server.url}/diary/bookings/{booking.pk}/")
    page.click("#ops-link")
    page.wait_for_url(f"**/ops/bookings/{booking.pk}/")
    assert_thai_renders(page, "h1")
    page.select_option("#equipment select[name=item]", "CHAIR")
    page.fill("#equipment input[name=quantity]", "150")
    page.click("#equipment form.ops-form button.primary")
    page.wait_for_load_state()
    assert EquipmentRequest.objects.get(booking=booking).claimed_quantity == 150
    assert "กันไว้แล้ว" in page.locator("#equipment table").inner_text()
    page.click("#event-order button[name=create]")
    page.wait_for_url("**/ops/event-orders/*/")
    eo = EventOrder.objects.get(booking=booking)
    assert eo.number in page.locator("h1").inner_text()
    assert "ขนของเข้าและติดตั้ง" in page.locator("#timeline").inner_text()

    # Two people: a coordinator for the event, the setup crew for the move-in.
    form = page.locator("#assignments form.ops-form")
    form.locator("select[name=member]").select_option(str(somchai.pk))
    form.locator("select[name=role]").select_option("coordinator")
    form.locator("input[name=start]").fill(f"{day.isoformat()}T08:30")
    form.locator("input[name=end]").fill(f"{day.isoformat()}T16:30")
    form.locator("button.primary").click()
    page.wait_for_load_state()
    form = page.locator("#assignments form.ops-form")
    form.locator("select[name=member]").select_option(str(boonmee.pk))
    form.locator("select[name=role]").select_option("setup_crew")
    form.locator("input[name=start]").fill(f"{day.isoformat()}T07:00")
    form.locator("input[name=end]").fill(f"{day.isoformat()}T09:00")
    form.locator("button.primary").click()
    page.wait_for_load_state()
    people = page.locator("#assignments table").inner_text()
    assert "สมชาย ใจดี" in people and "บุญมี คำปัน" in people
    assert Assignment.objects.filter(event_order=eo).count() == 2
    page.fill("#revisions input[name=note]", "ฉบับแรกสำหรับทุกทีม")
    page.click("#send-revision")
    page.wait_for_load_state()
    assert "ฉบับแก้ไขที่ 1" in page.locator("#revisions h2").inner_text()
    assert_thai_renders(page, "#timeline")
    page.screenshot(path=str(screenshot_dir / "ops-event-order-th.png"), full_page=True)

    # Print the event order: a Thai PDF with the people, the equipment and the Buddhist-Era date.
    pdf = page.request.get(live_server.url + page.get_attribute("#pdf-link", "href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body())
    for expected in ("ใบสั่งงาน", eo.number, "ฉบับแก้ไขที่ 1", "สมชาย ใจดี", "บุญมี คำปัน", "เก้าอี้จัดเลี้ยง",
                     "กำหนดการ", str(day.year + 543), "คุณวันเพ็ญ"):
        assert expected.replace("ำ", "า") in text, expected
    _pdf_png(pdf.body(), screenshot_dir / "ops-event-order-pdf-th.png")

    # The daily operations sheet of the event's day, grouped by team, and its PDF.
    page.click("#day-link")
    page.wait_for_url(f"**/ops/day/{day.isoformat()}/")
    coordination = page.locator('[data-team="coordination"]').inner_text()
    setup = page.locator('[data-team="setup"]').inner_text()
    assert "สมชาย ใจดี" in coordination and "บุญมี คำปัน" in setup and "เก้าอี้จัดเลี้ยง × 150" in setup
    assert_thai_renders(page, "h1")
    page.screenshot(path=str(screenshot_dir / "ops-daily-sheet-th.png"), full_page=True)
    sheet = page.request.get(live_server.url + page.get_attribute("#day-pdf", "href"))
    assert sheet.status == 200
    text = _pdf_text(sheet.body())
    for expected in ("ใบงานประจำวัน", "สัมมนาผู้ประกอบการเซรามิก", "บุญมี คำปัน", "ทีมจัดตั้งสถานที่"):
        assert expected.replace("ำ", "า") in text, expected
    _pdf_png(sheet.body(), screenshot_dir / "ops-daily-sheet-pdf-th.png")

    # The coordinator's own schedule on a phone.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                device_scale_factor=2)
    mobile = phone.new_page()
    login(mobile, "somchai")
    mobile.click("text=ตารางงานของฉัน")
    mobile.wait_for_url(f"**/ops/people/{somchai.pk}/schedule/")
    job = mobile.locator(f'article[data-day="{day.isoformat()}"]')
    assert "08:30–16:30" in job.inner_text() and "สัมมนาผู้ประกอบการเซรามิก" in job.inner_text()
    assert "ผู้ประสานงาน" in job.inner_text() and "MR-LANNA" in job.inner_text()
    assert mobile.locator("a.tel").first.get_attribute("href") == "tel:089-555-0101"
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert_thai_renders(mobile, ".schedule h2")
    mobile.screenshot(path=str(screenshot_dir / "ops-phone-schedule-th.png"), full_page=True)
    phone.close()
