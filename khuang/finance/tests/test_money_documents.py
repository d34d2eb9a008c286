"""Thai PDFs, the receipts register and revenue figures, including the dashboard's revenue KPI."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone

from khuang.core.thaidates import fiscal_year
from khuang.finance import services
from khuang.finance.exports import safe_cell
from khuang.finance.selectors import revenue_report

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # The font draws SARA AM (ำ) as NIKHAHIT + SARA AA and the two share the SARA AA glyph, so extraction gives
    # either letter for either: compare with both folded to SARA AA.
    return text.replace("\u0e4d", "").replace("ำ", "า").replace(" ", "").replace("\n", "")


def _thai(words: str) -> str:
    return words.replace("ำ", "า").replace(" ", "")


@pytest.fixture
def paid_chain(event_booking, staff_user, finance_user):
    q = services.quotation_accept(services.quotation_send(
        services.quotation_from_bookings([event_booking], actor=staff_user), actor=staff_user), actor=staff_user)
    deposit = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                     actor=finance_user), actor=finance_user)
    payment = services.payment_record(deposit, amount=deposit.total, paid_on=timezone.localdate(),
                                      method="transfer", reference="=HYPERLINK(\"x\")", actor=finance_user)
    return {"q": q, "deposit": deposit, "payment": payment}


def test_quotation_pdf_has_thai_headings_and_amount_in_words(client, paid_chain, staff_user):
    client.force_login(staff_user)
    res = client.get(f"/finance/quotations/{paid_chain['q'].pk}/pdf/?lang=en")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    text = _pdf_text(res.content)
    for heading in ("ใบเสนอราคา", "ลูกค้า", "จำนวนเงินรวมทั้งสิ้น", "ภาษีมูลค่าเพิ่ม", "ยืนราคาถึง"):
        assert _thai(heading) in text, heading
    assert _thai("หกหมื่นสี่พันสองร้อยบาทถ้วน") in text          # 64,200.00 in words
    assert "64,200.00" in text and paid_chain["q"].number in text


def test_invoice_and_receipt_pdfs(client, paid_chain, finance_user, tmp_path):
    client.force_login(finance_user)
    inv = paid_chain["deposit"]
    text = _pdf_text(client.get(f"/finance/invoices/{inv.pk}/pdf/").content)
    assert _thai("ใบแจ้งหนี้") in text and inv.number in text
    assert _thai("หนึ่งหมื่นเก้าพันสองร้อยหกสิบบาทถ้วน") in text
    receipt = paid_chain["payment"].receipt
    res = client.get(f"/finance/receipts/{receipt.pk}/pdf/")
    text = _pdf_text(res.content)
    assert _thai("ใบเสร็จรับเงิน") in text and receipt.number in text and inv.number in text
    (tmp_path / "receipt.pdf").write_bytes(res.content)


def test_invoice_pdf_carries_promptpay_qr_while_owed(client, event_booking, staff_user, finance_user):
    from khuang.finance.documents import invoice_qr

    q = services.quotation_accept(services.quotation_send(
        services.quotation_from_bookings([event_booking], actor=staff_user), actor=staff_user), actor=staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    qr = invoice_qr(inv)
    assert qr["payload"].startswith("000201010212") and "540819260.00" in qr["payload"]  # the amount owed
    client.force_login(finance_user)
    assert _thai("ชำระผ่านพร้อมเพย์") in _pdf_text(client.get(f"/finance/invoices/{inv.pk}/pdf/").content)
    services.payment_record(inv, amount=inv.total, paid_on=timezone.localdate(), method="cash", actor=finance_user)
    assert invoice_qr(inv) is None                                  # nothing owed, no QR


def test_agreement_pdf(client, paid_chain, staff_user):
    agreement = services.agreement_create(paid_chain["q"], actor=staff_user)
    client.force_login(staff_user)
    text = _pdf_text(client.get(f"/finance/agreements/{agreement.pk}/pdf/").content)
    assert _thai("สัญญาเช่าสถานที่") in text and _thai("หนังสือขอใช้สถานที่") in text


def test_receipts_register_xlsx_neutralises_formulas(client, paid_chain, finance_user):
    from openpyxl import load_workbook

    client.force_login(finance_user)
    fy = paid_chain["payment"].receipt.fiscal_year
    res = client.get(f"/finance/revenue/{fy}/receipts.xlsx")
    assert res.status_code == 200
    ws = load_workbook(io.BytesIO(res.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == paid_chain["payment"].receipt.number
    assert rows[1][6] == "'=HYPERLINK(\"x\")"                        # the reference, made inert
    assert rows[1][9] == 19260.0
    assert [safe_cell(v) for v in ("+1", "-2", "@x", "ok", 5)] == ["'+1", "'-2", "'@x", "ok", 5]


def test_revenue_received_and_booked(paid_chain, staff_user, finance_user, event_booking):
    from khuang.bookings.services import booking_confirm

    venue = paid_chain["q"].venue
    fy = paid_chain["payment"].receipt.fiscal_year
    report = revenue_report(venue, fy)
    assert report["received"] == Decimal("18000.00")                 # 19,260 less 7 % VAT
    assert report["by_class"][0]["key"] == "private"
    assert report["booked"] == 0                                     # the booking is a hold, not confirmed
    agreement = services.agreement_create(paid_chain["q"], actor=staff_user)
    services.agreement_send(agreement, actor=staff_user)
    services.agreement_sign(agreement, signed_on=timezone.localdate(), signed_by="x", actor=staff_user)
    booking_confirm(event_booking, actor=staff_user)
    event_fy = fiscal_year(timezone.localtime(event_booking.start).date())
    booked = revenue_report(venue, event_fy)
    assert booked["booked"] == Decimal("60000.00")                   # confirmed now: the quotation before VAT
    assert next(r for r in booked["by_space"] if r["code"] == "HALL-A")["booked"] == Decimal("60000.00")
    services.credit_note_create(paid_chain["deposit"], reason="ยกเลิกงาน", actor=finance_user)
    assert revenue_report(venue, fy)["received"] == Decimal("0.00")  # the credit note takes it back


def test_dashboard_revenue_kpi_uses_payments(client, paid_chain, staff_user, finance_user):
    from khuang.reports.selectors import kpi_report

    fy = paid_chain["payment"].receipt.fiscal_year
    venue = paid_chain["q"].venue
    tile = next(t for t in kpi_report(fy, venue.code)["tiles"] if t["key"] == "revenue_thb")
    assert tile["value"] == 18000.0
    services.payment_record(services.invoice_issue(services.invoice_for_instalment(
        paid_chain["q"].instalments.get(kind="balance"), actor=finance_user), actor=finance_user),
        amount="10700", paid_on=timezone.localdate(), method="cash", actor=finance_user)
    tile = next(t for t in kpi_report(fy, venue.code)["tiles"] if t["key"] == "revenue_thb")
    assert tile["value"] == 28000.0
    client.force_login(staff_user)
    page = client.get(f"/reports/{fy}/?venue={venue.code}").content.decode()
    assert "28,000" in page


def test_pages_speak_the_chosen_language(client, paid_chain, staff_user):
    client.force_login(staff_user)
    q = paid_chain["q"]
    th = client.get(f"/finance/quotations/{q.pk}/").content.decode()
    assert "ใบเสนอราคา" in th and "ค่าเช่า" in th and "กำหนดการชำระเงิน" in th
    en = client.get(f"/finance/quotations/{q.pk}/?lang=en").content.decode()
    assert "Quotation" in en and "Rental of" in en and "Payment schedule" in en
    assert "ใบเสนอราคา" not in en and "กำหนดการชำระเงิน" not in en
    inv = client.get(f"/finance/invoices/{paid_chain['deposit'].pk}/?lang=en").content.decode()
    assert "Still owed" in inv and "ยอดค้างชำระ" not in inv


def test_revenue_kpi_counts_an_invoiced_event_once(create_booking, hall, customer_agency, staff_user, finance_user,
                                                   bkk):
    """Recorded actual revenue counts only while an event has no invoice; then the payments count instead."""
    from khuang.reports.selectors import kpi_report
    from khuang.reports.services import actual_record

    now = timezone.localtime()
    booking = create_booking(space=hall, start=bkk(now.year, now.month, now.day, 9) - timezone.timedelta(days=3),
                             hours=8, customer_class="government", agency=customer_agency, title="ผ่านมาแล้ว")
    actual_record(booking, attendance=50, revenue_thb=5000, actor=staff_user)
    fy = fiscal_year(timezone.localtime(booking.start).date())
    venue = hall.venue

    def kpi() -> float:
        return next(t for t in kpi_report(fy, venue.code)["tiles"] if t["key"] == "revenue_thb")["value"]

    assert kpi() == 5000.0
    q = services.quotation_accept(services.quotation_send(
        services.quotation_from_bookings([booking], actor=staff_user), actor=staff_user), actor=staff_user)
    invoice = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="balance"),
                                                                     actor=finance_user), actor=finance_user)
    assert kpi() == 0.0                                                   # invoiced, nothing received yet
    services.payment_record(invoice, amount="10700", paid_on=timezone.localdate(), method="cash", actor=finance_user)
    if fiscal_year(timezone.localdate()) == fy:
        assert kpi() == 10000.0                                           # the payment, VAT excluded
