"""The money chain: center staff and finance officers prepare quotations and agreements; finance officers alone
draft and issue invoices, record payments and credit notes; a planner sees (and may accept) its own agency's
documents; agency viewers and people without an agency have no finance pages; executives read the revenue only."""

from datetime import timedelta
from decimal import Decimal

from . import Row


def build(world: dict) -> None:
    """Agency A's customer and its documents at every step of the chain (the finance officer issues the money)."""
    from django.utils import timezone

    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.finance import services
    from khuang.finance.models import AgreementTemplate, DocumentRequirement
    from khuang.venues.models import RateCard, Space, Venue

    venue = Venue.objects.get(code=world["venue"])
    staff, finance, a = world["users"]["staff"], world["users"]["finance"], world["agency_a"]
    hall = Space.objects.get(code="HALL-B")
    RateCard.objects.create(space=hall, customer_class="government", full_day_thb=20000, half_day_thb=12000,
                            valid_from=world["soon"].date() - timedelta(days=400))
    AgreementTemplate.objects.create(venue=venue, name="มาตรฐาน", body_th="สัญญาเช่า {{ venue }} กับ {{ customer }}")
    DocumentRequirement.objects.create(venue=venue, name_th="หนังสือขอใช้สถานที่", name_en="Request letter")
    # An inquiry never occupies the hall, so it cannot collide with other apps' bookings; it is not quoted yet.
    start = world["soon"] + timedelta(days=100)
    booking = booking_create(BookingDraft(space=hall, title="Seminar of A (to quote)", start=start,
                                          end=start + timedelta(hours=8), agency=a), actor=staff)
    world["fin_booking"] = booking.pk
    customer = services.customer_for_booking(booking)
    world["customer"] = customer.pk

    def quotation(title: str):
        return services.quotation_create(venue, customer, title=title, actor=staff, lines=[
            services.LineDraft(description_th="ค่าบริการ", unit_price=Decimal("10000"))])

    draft = quotation("Draft of A")
    world["quotation"], world["quotation_line"] = draft.pk, draft.lines.get().pk
    world["quotation_sent"] = services.quotation_send(quotation("Sent to A"), actor=staff).pk
    accepted = services.quotation_accept(services.quotation_send(quotation("Accepted by A"), actor=staff),
                                         actor=staff)
    world["quotation_accepted"] = accepted.pk
    world["instalment"] = accepted.instalments.get(kind="deposit").pk

    def agreed(title: str):
        q = services.quotation_accept(services.quotation_send(quotation(title), actor=staff), actor=staff)
        return services.agreement_create(q, actor=staff)

    agreement = agreed("Agreed with A")
    world["agreement"], world["agreement_doc"] = agreement.pk, agreement.documents.get().pk
    world["agreement_sent"] = services.agreement_send(agreed("Agreement sent to A"), actor=staff).pk

    def invoice(title: str):
        return services.invoice_create(venue, customer, title=title, actor=finance, lines=[
            services.LineDraft(description_th="ค่าบริการ", unit_price=Decimal("5000"))])

    world["invoice_draft"] = invoice("Draft invoice of A").pk
    issued = services.invoice_issue(invoice("Invoice of A"), actor=finance)
    world["invoice"] = issued.pk
    payment = services.payment_record(issued, amount=Decimal("1000"), paid_on=timezone.localdate(), method="cash",
                                      actor=finance)
    world["receipt"] = payment.receipt.pk
    world["today"] = timezone.localdate().isoformat()


def _lines(world: dict) -> dict:
    return {"customer": world["customer"], "title": "Booth fees",
            "lines": [{"description_th": "ค่าบูธ", "unit_price": "3500"}]}


# Who gets what, besides anonymous (302 on pages, 401 on the API) and the finance officer (its own `also`):
#   scoped reads  — staff and agency A's planner; everyone else 404 (a document they may not see is not revealed)
#   preparing     — staff; agency A's planner sees the document but may not change it (403); others 404
#   money         — the finance officer alone; staff and agency A's planner 403; others 404
#   creating      — a quotation: staff and finance officers; an invoice: finance officers; everyone else 403, before
#                   the customer, bookings or instalment named are looked up
#   lists         — whoever has finance pages (empty for executives); agency viewers and no-agency viewers 403
SEE = {"finance": 200}
ACT = {"finance": 302}

ROWS = [
    #   method    path / route                                          anon staff plan planB view viewB none exec
    # ---------------------------------------------------------------- pages
    Row("GET",    "finance/",                                           "302  200   200  200   403  403   403  200",
        url="/finance/"),
    Row("GET",    "finance/quotations/",                                "302  200   200  200   403  403   403  200",
        url="/finance/quotations/"),
    Row("GET",    "finance/quotations/new/",                            "302  200   403  403   403  403   403  403",
        url="/finance/quotations/new/", also=SEE),
    Row("POST",   "finance/quotations/new/",                            "302  302   403  403   403  403   403  403",
        url="/finance/quotations/new/", body=lambda w: {"bookings": [w["fin_booking"]]}, also=ACT),
    Row("GET",    "finance/quotations/<int:quotation_id>/",             "302  200   200  404   404  404   404  404",
        url="/finance/quotations/{quotation}/", also=SEE),
    Row("GET",    "finance/quotations/<int:quotation_id>/pdf/",         "302  200   200  404   404  404   404  404",
        url="/finance/quotations/{quotation_sent}/pdf/", also=SEE),
    Row("POST",   "finance/quotations/<int:quotation_id>/<slug:action>/",
        "302  302   403  404   404  404   404  404",
        url="/finance/quotations/{quotation}/send/", note="send: preparers only", also=ACT),
    Row("POST",   "finance/quotations/<int:quotation_id>/<slug:action>/",
        "302  302   302  404   404  404   404  404",
        url="/finance/quotations/{quotation_sent}/accept/", note="accept: the agency's planner too", also=ACT),
    Row("GET",    "finance/agreements/<int:agreement_id>/",             "302  200   200  404   404  404   404  404",
        url="/finance/agreements/{agreement}/", also=SEE),
    Row("GET",    "finance/agreements/<int:agreement_id>/pdf/",         "302  200   200  404   404  404   404  404",
        url="/finance/agreements/{agreement}/pdf/", also=SEE),
    Row("POST",   "finance/agreements/<int:agreement_id>/<slug:action>/",
        "302  302   403  404   404  404   404  404",
        url="/finance/agreements/{agreement_sent}/sign/",
        body=lambda w: {"signed_by": "ผู้แทน", "signed_on": w["today"]}, note="sign", also=ACT),
    # Drafting an invoice is refused by role before the instalment is looked up, as POST /api/finance/invoices does.
    Row("POST",   "finance/instalments/<int:instalment_id>/invoice/",   "302  403   403  403   403  403   403  403",
        url="/finance/instalments/{instalment}/invoice/", also=ACT),
    Row("GET",    "finance/invoices/",                                  "302  200   200  200   403  403   403  200",
        url="/finance/invoices/"),
    Row("GET",    "finance/invoices/<int:invoice_id>/",                 "302  200   200  404   404  404   404  404",
        url="/finance/invoices/{invoice}/", also=SEE),
    Row("GET",    "finance/invoices/<int:invoice_id>/pdf/",             "302  200   200  404   404  404   404  404",
        url="/finance/invoices/{invoice}/pdf/", also=SEE),
    Row("POST",   "finance/invoices/<int:invoice_id>/<slug:action>/",   "302  403   403  404   404  404   404  404",
        url="/finance/invoices/{invoice_draft}/issue/", note="issue: finance officers only", also=ACT),
    Row("POST",   "finance/invoices/<int:invoice_id>/<slug:action>/",   "302  403   403  404   404  404   404  404",
        url="/finance/invoices/{invoice}/payment/", body=lambda w: {"amount": "100", "paid_on": w["today"],
                                                                    "method": "cash"},
        note="payment", also=ACT),
    Row("GET",    "finance/receipts/<int:receipt_id>/pdf/",             "302  200   200  404   404  404   404  404",
        url="/finance/receipts/{receipt}/pdf/", also=SEE),
    Row("GET",    "finance/customers/<int:customer_id>/",               "302  200   200  404   404  404   404  404",
        url="/finance/customers/{customer}/", also=SEE),
    Row("GET",    "finance/receivables/",                               "302  200   403  403   403  403   403  403",
        url="/finance/receivables/", also=SEE),
    Row("GET",    "finance/revenue/",                                   "302  200   403  403   403  403   403  200",
        url="/finance/revenue/"),
    Row("GET",    "finance/revenue/<str:fy>/",                          "302  200   403  403   403  403   403  200",
        url="/finance/revenue/{fy}/"),
    Row("GET",    "finance/revenue/<str:fy>/receipts.xlsx",             "302  200   403  403   403  403   403  403",
        url="/finance/revenue/{fy}/receipts.xlsx", also=SEE),
    # ---------------------------------------------------------------- API: quotations
    Row("GET",    "/api/finance/quotations",                            "401  200   200  200   403  403   403  200"),
    Row("POST",   "/api/finance/quotations",                            "401  201   403  403   403  403   403  403",
        body=_lines, note="for agency A's customer", also={"finance": 201}),
    Row("GET",    "/api/finance/quotations/{quotation_id}",             "401  200   200  404   404  404   404  404",
        url="/api/finance/quotations/{quotation}", also=SEE),
    Row("POST",   "/api/finance/quotations/{quotation_id}/lines",       "401  201   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation}/lines", body={"description_th": "เพิ่ม", "unit_price": "100"},
        also={"finance": 201}),
    Row("DELETE", "/api/finance/quotations/{quotation_id}/lines/{line_id}",
        "401  200   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation}/lines/{quotation_line}", also=SEE),
    Row("POST",   "/api/finance/quotations/{quotation_id}/discounts",   "401  201   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation}/discounts", body={"reason": "ลูกค้าประจำ", "percent": "5"},
        also={"finance": 201}),
    Row("POST",   "/api/finance/quotations/{quotation_id}/send",        "401  200   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation}/send", also=SEE),
    Row("POST",   "/api/finance/quotations/{quotation_id}/accept",      "401  200   200  404   404  404   404  404",
        url="/api/finance/quotations/{quotation_sent}/accept", also=SEE),
    Row("POST",   "/api/finance/quotations/{quotation_id}/reject",      "401  200   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation_sent}/reject", body={"reason": "แพงไป"}, also=SEE),
    Row("POST",   "/api/finance/quotations/{quotation_id}/revise",      "401  201   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation_sent}/revise", also={"finance": 201}),
    Row("POST",   "/api/finance/quotations/{quotation_id}/agreement",   "401  201   403  404   404  404   404  404",
        url="/api/finance/quotations/{quotation_accepted}/agreement", also={"finance": 201}),
    # ---------------------------------------------------------------- API: agreements
    Row("GET",    "/api/finance/agreements/{agreement_id}",             "401  200   200  404   404  404   404  404",
        url="/api/finance/agreements/{agreement}", also=SEE),
    Row("POST",   "/api/finance/agreements/{agreement_id}/send",        "401  200   403  404   404  404   404  404",
        url="/api/finance/agreements/{agreement}/send", also=SEE),
    Row("POST",   "/api/finance/agreements/{agreement_id}/sign",        "401  200   403  404   404  404   404  404",
        url="/api/finance/agreements/{agreement_sent}/sign",
        body=lambda w: {"signed_on": w["today"], "signed_by": "ผู้แทน"}, also=SEE),
    Row("POST",   "/api/finance/agreements/{agreement_id}/documents/{document_id}",
        "401  200   403  404   404  404   404  404",
        url="/api/finance/agreements/{agreement}/documents/{agreement_doc}",
        body=lambda w: {"received_on": w["today"]}, also=SEE),
    # ---------------------------------------------------------------- API: invoices, payments, reports
    Row("GET",    "/api/finance/invoices",                              "401  200   200  200   403  403   403  200"),
    Row("POST",   "/api/finance/invoices",                              "401  403   403  403   403  403   403  403",
        body=_lines, note="for agency A's customer", also={"finance": 201}),
    Row("GET",    "/api/finance/invoices/{invoice_id}",                 "401  200   200  404   404  404   404  404",
        url="/api/finance/invoices/{invoice}", also=SEE),
    Row("PATCH",  "/api/finance/invoices/{invoice_id}",                 "401  403   403  404   404  404   404  404",
        url="/api/finance/invoices/{invoice_draft}", body={"title": "ค่าเช่า (แก้)"}, also=SEE),
    Row("POST",   "/api/finance/invoices/{invoice_id}/issue",           "401  403   403  404   404  404   404  404",
        url="/api/finance/invoices/{invoice_draft}/issue", also=SEE),
    Row("POST",   "/api/finance/invoices/{invoice_id}/void",            "401  403   403  404   404  404   404  404",
        url="/api/finance/invoices/{invoice_draft}/void", body={"reason": "ซ้ำ"}, also=SEE),
    Row("POST",   "/api/finance/invoices/{invoice_id}/credit-notes",    "401  403   403  404   404  404   404  404",
        url="/api/finance/invoices/{invoice}/credit-notes", body={"reason": "คิดเกิน", "amount": "100"},
        also={"finance": 201}),
    Row("POST",   "/api/finance/invoices/{invoice_id}/payments",        "401  403   403  404   404  404   404  404",
        url="/api/finance/invoices/{invoice}/payments",
        body=lambda w: {"amount": "100", "paid_on": w["today"], "method": "transfer"}, also={"finance": 201}),
    Row("GET",    "/api/finance/customers/{customer_id}/balance",       "401  200   200  404   404  404   404  404",
        url="/api/finance/customers/{customer}/balance", also=SEE),
    Row("GET",    "/api/finance/receivables",                           "401  200   403  403   403  403   403  403",
        also=SEE),
    Row("GET",    "/api/finance/revenue",                               "401  200   403  403   403  403   403  200",
        url="/api/finance/revenue?fiscal_year={fy}"),
]
