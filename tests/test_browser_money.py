"""The money chain in a real browser, in Thai: a booking made in the diary → quotation → hire agreement signed →
booking confirmed → deposit invoice → payment → balance invoice → payment → receipt; the dashboard's revenue
KPI moves with each payment."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def money_demo(db):
    """The demo venue with its money settings (rate cards, price list, rules, template), no sample documents."""
    from khuang.accounts import demo as agencies
    from khuang.finance import demo as finance
    from khuang.venues import demo

    agencies.load()
    venue = demo.load()
    finance._settings(venue)
    return venue


@pytest.fixture
def people(create_user):
    from khuang.accounts.models import User

    staff = create_user("money-staff", role="center_staff")
    finance = create_user("money-finance", role="finance_officer")
    return staff, finance, User


def _day() -> date:
    """A day about seven weeks ahead, so the balance falls due after today."""
    return date.today() + timedelta(days=50)


def _revenue_tile(page, live_server, fy: int) -> str:
    page.goto(f"{live_server.url}/reports/{fy}/")
    return page.locator('[data-kpi="revenue_thb"] .v').inner_text()


def test_booking_to_receipt_in_thai(page, live_server, login, money_demo, people, screenshot_dir,
                                    assert_thai_renders):
    from khuang.core.thaidates import fiscal_year
    from khuang.finance.models import Invoice, Quotation, Receipt

    staff, finance, _user = people
    day = _day()
    page.set_viewport_size({"width": 1280, "height": 900})
    fy_now = fiscal_year(date.today())

    # Revenue before anything is paid.
    login(page, "money-staff")
    before = _revenue_tile(page, live_server, fy_now)
    assert before in ("0 บาท", "–")

    # 1. The booking: a hold in the diary for a private organiser.
    page.goto(f"{live_server.url}/diary/?view=week&date={day.isoformat()}")
    page.locator(f'td[data-space="HALL-C"][data-day="{day.isoformat()}"] a.add').click()
    dialog = page.locator("dialog#panel")
    dialog.locator("input[name=title]").fill("มหกรรมอีสปอร์ตล้านนา")
    dialog.locator("input[name=attendees]").fill("300")
    dialog.locator("select[name=customer_class]").select_option("private")
    dialog.locator("select[name=agency]").select_option("LANNA-ESPORTS")
    dialog.locator("select[name=event_type]").select_option("esports")
    dialog.locator("button.primary").click()
    page.wait_for_url("**/diary/bookings/*/")
    page.screenshot(path=str(screenshot_dir / "money-1-booking-th.png"), full_page=True)

    # 2. The quotation: chosen from the bookings waiting for one, priced from the rate card, an extra added.
    page.goto(f"{live_server.url}/finance/")
    assert_thai_renders(page, "h1")
    page.get_by_role("link", name="ทำใบเสนอราคาใหม่").click()
    page.get_by_label("มหกรรมอีสปอร์ตล้านนา").check()
    page.get_by_role("button", name="จัดทำใบเสนอราคา").click()
    page.wait_for_url("**/finance/quotations/*/")
    assert page.locator("h1").inner_text().startswith("ใบเสนอราคา QT-")
    page.locator("#extra-form select[name=item]").select_option("sound")
    page.locator("#extra-form button").click()
    page.wait_for_load_state()
    quotation = Quotation.objects.get(title="มหกรรมอีสปอร์ตล้านนา")
    assert quotation.lines.count() == 2
    page.screenshot(path=str(screenshot_dir / "money-2-quotation-th.png"), full_page=True)
    page.locator("#send-quotation").click()
    page.wait_for_load_state()
    page.locator("#accept-quotation").click()
    page.wait_for_load_state()
    quotation.refresh_from_db()
    assert quotation.status == "accepted" and quotation.instalments.count() == 2

    # 3. The hire agreement: made from the template, sent, the documents ticked, signed.
    page.locator("#make-agreement").click()
    page.wait_for_url("**/finance/agreements/*/")
    assert "มหกรรมอีสปอร์ตล้านนา" in page.locator("pre.agreement").inner_text()
    page.get_by_role("button", name="ได้รับแล้ว").first.click()
    page.wait_for_load_state()
    page.locator("#send-agreement").click()
    page.wait_for_load_state()
    page.fill("#sign-form input[name=signed_by]", "นายสมชาย ใจดี")
    page.locator("#sign-form button:not(.be-date-pick)").click()
    page.wait_for_load_state()
    assert "ลงนามแล้ว" in page.locator("h1").inner_text()
    assert_thai_renders(page, "pre.agreement")
    page.screenshot(path=str(screenshot_dir / "money-3-agreement-th.png"), full_page=True)

    # The booking can now be confirmed (the rule asks for a signed agreement first).
    booking = quotation.bookings.get()
    page.goto(f"{live_server.url}/diary/bookings/{booking.pk}/")
    page.locator("form.state-action button.primary").click()
    page.wait_for_load_state()
    booking.refresh_from_db()
    assert booking.status == "confirmed"

    # 4. The finance officer: deposit invoice, issued, paid by transfer.
    page.context.clear_cookies()
    login(page, "money-finance")
    page.goto(f"{live_server.url}/finance/quotations/{quotation.pk}/")
    page.locator('tr[data-instalment="deposit"] button').click()
    page.wait_for_url("**/finance/invoices/*/")
    page.locator("#issue-invoice").click()
    page.wait_for_load_state()
    deposit = Invoice.objects.get(quotation=quotation, instalment__kind="deposit")
    assert deposit.number == f"INV-{fy_now}-00001"
    assert deposit.number in page.locator("h1").inner_text()
    assert page.locator(".qr img").is_visible()
    page.screenshot(path=str(screenshot_dir / "money-4-deposit-invoice-th.png"), full_page=True)
    page.fill("#payment-form input[name=reference]", "KTB 123456")
    page.locator("#payment-form button:not(.be-date-pick)").click()
    page.wait_for_load_state()
    assert deposit.outstanding() == Decimal("0.00")
    page.goto(f"{live_server.url}/finance/revenue/{fy_now}/")
    received = Decimal(page.locator("[data-received]").inner_text().replace(",", ""))
    assert received == deposit.subtotal                                  # the deposit, VAT excluded

    # 5. The balance invoice, issued and paid; its receipt.
    page.goto(f"{live_server.url}/finance/quotations/{quotation.pk}/")
    page.locator('tr[data-instalment="balance"] button').click()
    page.wait_for_url("**/finance/invoices/*/")
    page.locator("#issue-invoice").click()
    page.wait_for_load_state()
    balance = Invoice.objects.get(quotation=quotation, instalment__kind="balance")
    assert balance.number == f"INV-{fy_now}-00002"
    assert deposit.total + balance.total == quotation.total
    page.locator("#payment-form select[name=method]").select_option("promptpay")
    page.locator("#payment-form button:not(.be-date-pick)").click()
    page.wait_for_load_state()
    assert "RC-" in page.locator(".messages").inner_text()
    page.screenshot(path=str(screenshot_dir / "money-5-balance-paid-th.png"), full_page=True)
    receipt = Receipt.objects.get(payment__invoice=balance)
    with page.expect_response(lambda r: "/pdf/" in r.url) as info:
        page.goto(f"{live_server.url}/finance/receipts/{receipt.pk}/pdf/")
    assert info.value.headers["content-type"] == "application/pdf"

    # 6. The revenue KPI moved by what was received, VAT excluded.
    page.context.clear_cookies()
    login(page, "money-staff")
    tile = _revenue_tile(page, live_server, fy_now)
    expected = quotation.net
    # The tile shows whole baht with the unit, rounded half up (khuang.core.numformat).
    assert tile.endswith(" บาท"), tile
    assert Decimal(tile.removesuffix(" บาท").replace(",", "")) == expected.quantize(Decimal("1"), ROUND_HALF_UP), tile
    page.screenshot(path=str(screenshot_dir / "money-6-dashboard-th.png"), full_page=True)
    page.goto(f"{live_server.url}/finance/revenue/{fy_now}/")
    assert page.locator("[data-received]").inner_text().replace(",", "") == f"{expected:.2f}"
    page.screenshot(path=str(screenshot_dir / "money-7-revenue-th.png"), full_page=True)

    # The same page in English is English.
    page.goto(f"{live_server.url}/finance/revenue/{fy_now}/?lang=en")
    assert page.locator("h1").inner_text().startswith(f"Revenue, fiscal year {fy_now}")
    page.screenshot(path=str(screenshot_dir / "money-7-revenue-en.png"), full_page=True)
