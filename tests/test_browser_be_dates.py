"""The month diary in Thai and the Buddhist-Era date picker, in a real browser; screenshots in var/screens/."""

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "var" / "screens"
BKK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def demo_venue(db):
    from khuang.accounts import demo as agencies
    from khuang.venues import demo

    agencies.load()
    return demo.load()


def test_month_diary_in_thai_and_the_be_date_picker(page, live_server, login, demo_venue, create_user,
                                                    create_booking, assert_thai_renders):
    from khuang.bookings.models import Booking
    from khuang.venues.models import Space

    SCREENS.mkdir(parents=True, exist_ok=True)
    create_user("be-staff", role="center_staff")
    today = date.today()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # next month: lead times allow it
    create_booking(Space.objects.get(code="HALL-AB"), datetime(first.year, first.month, 8, 0, tzinfo=BKK),
                   hours=72, status="confirmed", title="มหกรรมเซรามิกลำปาง", title_en="Lampang Ceramics Fair")
    create_booking(Space.objects.get(code="MR-WANG"), datetime(first.year, first.month, 14, 9, tzinfo=BKK),
                   hours=3, status="hold", title="อบรมการออกแบบบรรจุภัณฑ์")

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "be-staff")
    page.goto(f"{live_server.url}/diary/?view=month&date={first.isoformat()}")
    assert str(first.year + 543) in page.locator("h1").inner_text()
    assert_thai_renders(page, ".diary")
    # Days taken through the combined hall: one band per part, no "+" in those cells.
    band = page.locator(f'td[data-space="HALL-A"][data-day="{first.replace(day=8).isoformat()}"] .band')
    assert band.count() == 1 and "HALL-AB" in band.inner_text()
    assert page.locator(f'td[data-space="HALL-A"][data-day="{first.replace(day=9).isoformat()}"] a.add').count() == 0
    # The bar's title is whole and the tooltip shows the details.
    bar = page.locator(f'td[data-space="HALL-AB"][data-day="{first.replace(day=8).isoformat()}"] a.chip')
    assert bar.inner_text() == "มหกรรมเซรามิกลำปาง"
    assert bar.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # not cut
    bar.hover()
    tip = page.locator(f'td[data-space="HALL-AB"][data-day="{first.replace(day=8).isoformat()}"] .tip')
    assert tip.is_visible() and str(first.year + 543) in tip.inner_text()
    page.screenshot(path=str(SCREENS / "diary-month-th.png"), full_page=True)

    # A new booking from an empty cell: the day is shown d/m/yyyy in BE; the picker changes it.
    day = first.replace(day=20)
    page.locator(f'td[data-space="MR-LANNA"][data-day="{day.isoformat()}"] a.add').click()
    dialog = page.locator("dialog#panel")
    field = dialog.locator("input[name=day]")
    field.wait_for()
    assert field.get_attribute("type") == "text"
    assert field.input_value() == f"20/{day.month}/{day.year + 543}"
    dialog.locator("input[name=day] + .be-date-pick").click()
    picker = dialog.locator(".be-picker")
    assert picker.is_visible()
    month_names = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
                   "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
    assert picker.locator(".be-title").inner_text() == f"{month_names[day.month - 1]} {day.year + 543}"
    assert picker.locator(".be-day.chosen").inner_text() == "20"
    assert_thai_renders(page, ".be-picker")
    page.screenshot(path=str(SCREENS / "be-date-picker-th.png"))
    picker.locator(".be-next").click()
    following = (first + timedelta(days=32)).replace(day=1)
    assert picker.locator(".be-title").inner_text() == f"{month_names[following.month - 1]} {following.year + 543}"
    picker.locator(".be-day", has_text="3").first.click()
    chosen = following.replace(day=3)
    assert field.input_value() == f"3/{chosen.month}/{chosen.year + 543}"
    assert dialog.locator(".be-picker").count() == 0
    dialog.locator("input[name=title]").fill("ประชุมคณะทำงานเครื่องปั้นดินเผา")
    dialog.locator("input[name=attendees]").fill("40")
    dialog.locator("button.primary").click()
    page.wait_for_url("**/diary/bookings/*/")
    booking = Booking.objects.get(title="ประชุมคณะทำงานเครื่องปั้นดินเผา")
    assert booking.start.astimezone(BKK).date() == chosen

    # In English the same field is the browser's Gregorian date input.
    page.goto(f"{live_server.url}/diary/new/?space=MR-LANNA&day={day.isoformat()}&lang=en")
    assert page.locator("input[name=day]").get_attribute("type") == "date"
    assert page.locator("input[name=day]").input_value() == day.isoformat()


def test_a_refused_confirmation_stays_in_view_and_names_the_booking(page, live_server, login, demo_venue,
                                                                    create_user, create_booking):
    from khuang.venues.models import Space

    SCREENS.mkdir(parents=True, exist_ok=True)
    create_user("be-staff2", role="center_staff")
    first = (date.today().replace(day=1) + timedelta(days=32)).replace(day=1)
    start = datetime(first.year, first.month, 12, 9, tzinfo=BKK)
    hall = Space.objects.get(code="HALL-A")
    create_booking(Space.objects.get(code="HALL-AB"), start, hours=8, status="confirmed",
                   title="มหกรรมเซรามิกลำปาง")
    asker = create_booking(hall, start + timedelta(hours=2), hours=2, status="inquiry", title="ประชุมย่อย")
    page.set_viewport_size({"width": 390, "height": 700})
    login(page, "be-staff2")
    page.goto(f"{live_server.url}/diary/bookings/{asker.pk}/")
    page.fill("form.state-action input[name=reason]", "ลูกค้ายืนยันแล้ว")
    page.locator("form.state-action button.primary").click()
    page.wait_for_load_state()
    refusal = page.locator("#refusal")
    assert refusal.is_visible() and "มหกรรมเซรามิกลำปาง" in refusal.inner_text()
    # The page comes back scrolled to the refusal (the forms post to "…#refusal").
    assert refusal.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= -2 && r.top < innerHeight; }")
    assert page.locator("form.state-action input[name=reason]").first.input_value() == "ลูกค้ายืนยันแล้ว"
    page.screenshot(path=str(SCREENS / "confirm-refused-phone-th.png"))
