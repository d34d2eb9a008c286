"""The public calendar in a real browser: Thai and English, an event page, registering, staff check-in."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_events(db):
    from khuang.accounts import demo as agencies
    from khuang.public import demo, demo_tourism
    from khuang.venues import demo as venues

    agencies.load()
    venues.load()
    demo_tourism.load()
    demo.load()
    from khuang.bookings.models import Booking

    return Booking.objects.filter(is_public=True).order_by("start")


def test_calendar_event_register_and_check_in(page, live_server, demo_events, create_user, screenshot_dir,
                                              assert_thai_renders, login):
    seminar = demo_events.get(event_type="seminar", event_page__capacity=150)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The month calendar in Thai (Buddhist-Era year), then in English.
    month = f"{seminar.start:%Y-%m}"
    page.goto(f"{live_server.url}/events/calendar/?month={month}")
    assert str(seminar.start.year + 543) in page.locator("#month-title").inner_text()
    assert page.get_by_role("link", name=seminar.title).first.is_visible()
    assert_thai_renders(page, "#month-title")
    page.screenshot(path=str(screenshot_dir / "public-calendar-th.png"), full_page=True)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert str(seminar.start.year) in page.locator("#month-title").inner_text()
    page.screenshot(path=str(screenshot_dir / "public-calendar-en.png"), full_page=True)
    page.click("button[name=language][value=th]")
    page.wait_for_load_state()

    # Open the event from the list, Thai.
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name=seminar.title).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == seminar.title
    assert page.get_by_text("วัดพระธาตุลำปางหลวง").first.is_visible()
    assert page.locator("a", has_text="เปิดในแผนที่").get_attribute("href").startswith("https://www.google.com/maps")
    assert_thai_renders(page, "h1")
    page.screenshot(path=str(screenshot_dir / "public-event-th.png"), full_page=True)

    # Register, see the confirmation with the QR code.
    page.fill("input[name=name]", "สมหญิง ทดสอบ")
    page.fill("input[name=email]", "somying@example.org")
    page.fill("input[name=phone]", "081 234 5678")
    page.fill("input[name=organisation]", "วิสาหกิจชุมชนเกาะคา")
    page.click("form.regform button.primary")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "ลงทะเบียนเรียบร้อย"
    assert page.locator(".qr svg").is_visible()
    code = page.locator("#code").inner_text()
    page.screenshot(path=str(screenshot_dir / "public-ticket-th.png"), full_page=True)

    # Registering again with the same address is refused on the page.
    page.goto(f"{live_server.url}/events/{seminar.pk}/")
    page.fill("input[name=name]", "สมหญิง ซ้ำ")
    page.fill("input[name=email]", "SOMYING@example.org")
    page.fill("input[name=phone]", "081 234 5678")
    page.click("form.regform button.primary")
    assert page.get_by_text("อีเมลนี้ลงทะเบียนกิจกรรมนี้ไว้แล้ว").is_visible()

    # Staff check the person in by the code from the QR.
    create_user("desk", role="center_staff", is_staff=True)
    login(page, "desk")
    page.goto(f"{live_server.url}/events/{seminar.pk}/check-in/")
    page.fill("input[name=code]", code)
    page.locator("form.inline button.primary").click()
    page.wait_for_load_state()
    assert page.get_by_text("สมหญิง ทดสอบ เช็กอินเรียบร้อย").is_visible()
    page.screenshot(path=str(screenshot_dir / "public-checkin-th.png"), full_page=True)


def test_event_page_english_and_phone_width(page, live_server, demo_events, screenshot_dir):
    fair = demo_events.get(event_type="trade_fair")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/events/{fair.pk}/?lang=en")
    assert page.locator("h1").inner_text() == fair.title_en
    assert page.get_by_text("Workshop: painting a rooster bowl").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(screenshot_dir / "public-event-en-phone.png"), full_page=True)
