"""The diary in a real browser: month view, a booking made from an empty cell, confirmed on its page."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_venue(db):
    from khuang.accounts import demo as agencies
    from khuang.venues import demo

    agencies.load()
    return demo.load()


@pytest.fixture
def staff(create_user):
    return create_user("diary-staff", role="center_staff")


def next_month_day() -> date:
    """The 10th of next month: a whole month view that is in the future (lead-time rules allow it)."""
    today = date.today()
    first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next.replace(day=10)


def test_month_view_book_from_cell_and_confirm(page, live_server, login, demo_venue, staff, create_booking,
                                                screenshot_dir, assert_thai_renders):
    from khuang.bookings.models import Booking
    from khuang.venues.models import Space

    day = next_month_day()
    start = datetime(day.year, day.month, day.day - 3, 9, tzinfo=ZoneInfo("Asia/Bangkok"))
    create_booking(Space.objects.get(code="HALL-AB"), start, hours=30, status="confirmed",
                   title="มหกรรมเซรามิกลำปาง", title_en="Lampang Ceramics Fair")
    create_booking(Space.objects.get(code="MR-WANG"), start + timedelta(days=1), status="hold",
                   title="อบรมการออกแบบบรรจุภัณฑ์", title_en="Packaging design training")

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "diary-staff")
    page.goto(f"{live_server.url}/diary/?view=month&date={day.isoformat()}")
    assert page.locator("h1").inner_text().startswith("ตารางการใช้พื้นที่")
    assert str(day.year + 543) in page.locator("h1").inner_text()
    assert_thai_renders(page, "h1")
    assert_thai_renders(page, ".diary .space-col .name")

    # Click the empty cell of MR-LANNA on the chosen day: the form opens pre-filled.
    cell = page.locator(f'td[data-space="MR-LANNA"][data-day="{day.isoformat()}"]')
    cell.locator("a.add").click()
    dialog = page.locator("dialog#panel")
    dialog.locator("input[name=title]").wait_for()
    assert dialog.locator("select[name=space]").input_value() == "MR-LANNA"
    assert dialog.locator("input[name=day]").input_value() == f"{day.day}/{day.month}/{day.year + 543}"  # BE
    dialog.locator("input[name=title]").fill("ประชุมสภาอุตสาหกรรมจังหวัดลำปาง")
    dialog.locator("input[name=attendees]").fill("120")
    page.screenshot(path=str(screenshot_dir / "diary-form-th.png"))
    dialog.locator("button.primary").click()

    page.wait_for_url("**/diary/bookings/*/")
    booking = Booking.objects.get(title="ประชุมสภาอุตสาหกรรมจังหวัดลำปาง")
    assert booking.space.code == "MR-LANNA" and booking.status == "hold"
    assert_thai_renders(page, "h1")
    page.fill("form.state-action input[name=reason]", "ชำระมัดจำแล้ว")
    page.locator("form.state-action button.primary").click()
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert "ชำระมัดจำแล้ว" in page.locator("table.audit").inner_text()
    page.screenshot(path=str(screenshot_dir / "diary-booking-th.png"), full_page=True)

    # Back in the month view the new booking shows as confirmed.
    page.goto(f"{live_server.url}/diary/?view=month&date={day.isoformat()}")
    chip = page.locator(f'td[data-space="MR-LANNA"][data-day="{day.isoformat()}"] a.chip')
    assert "st-confirmed" in chip.get_attribute("class")
    page.screenshot(path=str(screenshot_dir / "diary-month-th.png"), full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Diary")
    assert str(day.year) in page.locator("h1").inner_text()
    assert page.get_by_text("Lampang Ceramics Fair").first.is_visible()
    page.screenshot(path=str(screenshot_dir / "diary-month-en.png"), full_page=True)


def test_conflict_shown_in_the_form(page, live_server, login, demo_venue, staff, create_booking):
    from khuang.bookings.models import Booking
    from khuang.venues.models import Space

    day = next_month_day()
    create_booking(Space.objects.get(code="HALL-A"), datetime(day.year, day.month, day.day, 8,
                                                              tzinfo=ZoneInfo("Asia/Bangkok")),
                   hours=10, status="confirmed", title="Existing expo")
    login(page, "diary-staff")
    page.goto(f"{live_server.url}/diary/?view=week&date={day.isoformat()}&lang=en")
    page.locator(f'td[data-space="HALL-AB"][data-day="{day.isoformat()}"] a.add').click()
    dialog = page.locator("dialog#panel")
    dialog.locator("input[name=title]").fill("Rival fair")
    dialog.locator("select[name=status]").select_option("confirmed")
    dialog.locator("button.primary").click()
    dialog.locator(".conflicts").wait_for()
    assert "Existing expo" in dialog.locator(".conflicts").inner_text()
    assert dialog.locator(".field-start_time .errorlist").is_visible()
    assert not Booking.objects.filter(title="Rival fair").exists()


def test_diary_usable_at_phone_width(page, live_server, login, demo_venue, staff, screenshot_dir):
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, "diary-staff")
    page.goto(f"{live_server.url}/diary/?view=month")
    # The grid scrolls inside its wrapper; the page does not overflow sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator(".diary-wrap").evaluate("el => el.scrollLeft = 600")
    first = page.locator("tbody th.space-col").first.bounding_box()
    assert first["x"] < 20  # the space column stays put while the days scroll
    page.screenshot(path=str(screenshot_dir / "diary-month-phone-th.png"))
