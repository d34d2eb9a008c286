"""Money-chain endpoints: handlers parse, call one service or selector, and render.

Reads are scoped by `visible_to(user)` (a document the caller may not see is 404); writes ask the document's
predicates inside the services (403 for the wrong role, 409 for a frozen or issued document).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from khuang.accounts.auth import api_auth
from khuang.core.api import ErrorOut
from khuang.core.errors import NotFoundError, PermissionDeniedError

from . import errors, selectors, services
from .models import Agreement, Customer, Invoice, Quotation
from .schemas import (
    AgedOut,
    AgreementOut,
    BalanceOut,
    CreditNoteIn,
    DiscountIn,
    DocumentMarkIn,
    InvoiceIn,
    InvoiceOut,
    InvoicePatch,
    LineIn,
    PaymentIn,
    QuotationIn,
    QuotationOut,
    ReasonIn,
    RevenueOut,
    RevenueQuery,
    SignIn,
)

router = Router(tags=["finance"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------- rendering

def _line(ln) -> dict:
    return {"id": ln.pk, "kind": ln.kind, "description_th": ln.description_th, "description_en": ln.description_en,
            "quantity": ln.quantity, "unit_th": ln.unit_th, "unit_en": ln.unit_en, "unit_price": ln.unit_price,
            "amount": ln.amount, "space": ln.space.code if ln.space_id else None, "booking": ln.booking_id,
            "reason": getattr(ln, "reason", "")}


def quotation_out(q: Quotation) -> dict:
    instalments = []
    for inst in q.instalments.all():
        invoice = inst.invoice()
        instalments.append({"id": inst.pk, "kind": inst.kind, "percent": inst.percent, "amount": inst.amount,
                            "due_date": inst.due_date, "invoice": (invoice.number or f"#{invoice.pk}")
                            if invoice else None})
    agreement = Agreement.objects.filter(quotation=q).values_list("pk", flat=True).first()
    return {"id": q.pk, "number": q.number, "version": q.version, "label": q.label, "status": q.status,
            "customer": q.customer.name, "customer_id": q.customer_id, "title": q.title,
            "customer_class": q.customer_class, "bookings": list(q.bookings.values_list("pk", flat=True)),
            "issue_date": q.issue_date, "valid_until": q.valid_until, "vat_rate": q.vat_rate, "subtotal": q.subtotal,
            "discount_total": q.discount_total, "vat": q.vat, "total": q.total, "frozen": q.is_frozen,
            "lines": [_line(ln) for ln in q.lines.select_related("space")], "instalments": instalments,
            "agreement": agreement}


def agreement_out(a: Agreement) -> dict:
    return {"id": a.pk, "number": a.number, "status": a.status, "quotation": a.quotation_id, "body": a.body,
            "sent_at": a.sent_at, "signed_on": a.signed_on, "signed_by": a.signed_by,
            "documents": [{"id": d.pk, "name_th": d.name_th, "name_en": d.name_en, "received_on": d.received_on,
                           "note": d.note} for d in a.documents.all()]}


def invoice_out(inv: Invoice) -> dict:
    payments = [{"id": p.pk, "invoice": inv.number, "amount": p.amount, "paid_on": p.paid_on, "method": p.method,
                 "reference": p.reference, "receipt": p.receipt.number} for p in inv.payments.select_related("receipt")]
    return {"id": inv.pk, "kind": inv.kind, "status": inv.status, "number": inv.number,
            "fiscal_year": inv.fiscal_year, "customer": inv.customer.name, "customer_id": inv.customer_id,
            "title": inv.title, "reason": inv.reason, "credits": inv.credits.number if inv.credits_id else None,
            "issue_date": inv.issue_date, "due_date": inv.due_date, "vat_rate": inv.vat_rate,
            "subtotal": inv.subtotal, "vat": inv.vat, "total": inv.total, "amount_in_words": inv.amount_in_words,
            "paid": inv.paid(), "credited": inv.credited(), "outstanding": inv.outstanding(),
            "lines": [_line(ln) for ln in inv.lines.select_related("space")], "payments": payments}


def _venue(code: str | None):
    return selectors.venue_get(code)


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    return selectors.customer_get(request.auth, customer_id)


# ---------------------------------------------------------------- quotations

@router.get("/finance/quotations", response={200: list[QuotationOut], **ERRORS})
def list_quotations(request: HttpRequest, status: str | None = None):
    """Quotations the caller may see (a planner: their own agency's), newest first."""
    return [quotation_out(q) for q in selectors.quotation_list(request.auth, status=status)[:200]]


@router.post("/finance/quotations", response={201: QuotationOut, **ERRORS})
def create_quotation(request: HttpRequest, payload: QuotationIn):
    """A draft quotation from bookings (rental from the rate cards, discount rules), or for a customer with lines.
    Center staff and finance officers only: anyone else is refused (403) before the ids they name are looked up."""
    if not Quotation.may_create(request.auth):
        raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
    if payload.bookings:
        from khuang.bookings.models import Booking

        bookings = list(Booking.objects.select_related("space__venue", "agency").filter(pk__in=payload.bookings))
        if len(bookings) != len(set(payload.bookings)):
            raise NotFoundError(_("No booking with one of these ids."), field="bookings")
        quotation = services.quotation_from_bookings(bookings, actor=request.auth)
        for row in payload.lines:
            quotation = services.quotation_add_line(quotation, services.lines_from_input(
                quotation.venue, [row.dict()])[0], actor=request.auth)
    else:
        if payload.customer is None:
            raise services.InvalidInput(_("Give bookings, or a customer with lines."), field="bookings")
        venue = _venue(payload.venue)
        customer = _customer(request, payload.customer)
        lines = services.lines_from_input(venue, [row.dict() for row in payload.lines])
        quotation = services.quotation_create(venue, customer, title=payload.title, lines=lines, actor=request.auth)
    return Status(201, quotation_out(quotation))


@router.get("/finance/quotations/{quotation_id}", response={200: QuotationOut, **ERRORS})
def get_quotation(request: HttpRequest, quotation_id: int):
    return quotation_out(selectors.quotation_get(request.auth, quotation_id))


@router.post("/finance/quotations/{quotation_id}/lines", response={201: QuotationOut, **ERRORS})
def add_quotation_line(request: HttpRequest, quotation_id: int, payload: LineIn):
    """Add a price-list extra (`item`, `quantity`) or a described line to a draft (409 once sent)."""
    quotation = selectors.quotation_get(request.auth, quotation_id)
    if payload.item:
        quotation = services.quotation_add_extra(quotation, payload.item, payload.quantity, actor=request.auth)
    else:
        line = services.lines_from_input(quotation.venue, [payload.dict()])[0]
        quotation = services.quotation_add_line(quotation, line, actor=request.auth)
    return Status(201, quotation_out(quotation))


@router.delete("/finance/quotations/{quotation_id}/lines/{line_id}", response={200: QuotationOut, **ERRORS})
def remove_quotation_line(request: HttpRequest, quotation_id: int, line_id: int):
    quotation = selectors.quotation_get(request.auth, quotation_id)
    return quotation_out(services.quotation_remove_line(quotation, line_id, actor=request.auth))


@router.post("/finance/quotations/{quotation_id}/discounts", response={201: QuotationOut, **ERRORS})
def add_quotation_discount(request: HttpRequest, quotation_id: int, payload: DiscountIn):
    """A discount by hand, with its reason."""
    quotation = selectors.quotation_get(request.auth, quotation_id)
    return Status(201, quotation_out(services.quotation_add_discount(
        quotation, reason=payload.reason, percent=payload.percent, amount=payload.amount, actor=request.auth)))


@router.post("/finance/quotations/{quotation_id}/send", response={200: QuotationOut, **ERRORS})
def send_quotation(request: HttpRequest, quotation_id: int):
    """Send a draft; from now on it is frozen."""
    return quotation_out(services.quotation_send(selectors.quotation_get(request.auth, quotation_id),
                                                 actor=request.auth))


@router.post("/finance/quotations/{quotation_id}/accept", response={200: QuotationOut, **ERRORS})
def accept_quotation(request: HttpRequest, quotation_id: int):
    """Record the customer's acceptance; the payment schedule is made by the customer class's rule."""
    return quotation_out(services.quotation_accept(selectors.quotation_get(request.auth, quotation_id),
                                                   actor=request.auth))


@router.post("/finance/quotations/{quotation_id}/reject", response={200: QuotationOut, **ERRORS})
def reject_quotation(request: HttpRequest, quotation_id: int, payload: ReasonIn):
    return quotation_out(services.quotation_reject(selectors.quotation_get(request.auth, quotation_id),
                                                   reason=payload.reason, actor=request.auth))


@router.post("/finance/quotations/{quotation_id}/revise", response={201: QuotationOut, **ERRORS})
def revise_quotation(request: HttpRequest, quotation_id: int):
    """A new draft version of a sent quotation, with the same lines at the same prices."""
    return Status(201, quotation_out(services.quotation_revise(selectors.quotation_get(request.auth, quotation_id),
                                                               actor=request.auth)))


@router.post("/finance/quotations/{quotation_id}/agreement", response={201: AgreementOut, **ERRORS})
def create_agreement(request: HttpRequest, quotation_id: int):
    """The hire agreement of an accepted quotation, from the venue's Thai template, with its checklist."""
    quotation = selectors.quotation_get(request.auth, quotation_id)
    return Status(201, agreement_out(services.agreement_create(quotation, actor=request.auth)))


# ---------------------------------------------------------------- agreements

@router.get("/finance/agreements/{agreement_id}", response={200: AgreementOut, **ERRORS})
def get_agreement(request: HttpRequest, agreement_id: int):
    return agreement_out(selectors.agreement_get(request.auth, agreement_id))


@router.post("/finance/agreements/{agreement_id}/send", response={200: AgreementOut, **ERRORS})
def send_agreement(request: HttpRequest, agreement_id: int):
    return agreement_out(services.agreement_send(selectors.agreement_get(request.auth, agreement_id),
                                                 actor=request.auth))


@router.post("/finance/agreements/{agreement_id}/sign", response={200: AgreementOut, **ERRORS})
def sign_agreement(request: HttpRequest, agreement_id: int, payload: SignIn):
    """Record the customer's signature (who, which date)."""
    agreement = selectors.agreement_get(request.auth, agreement_id)
    return agreement_out(services.agreement_sign(agreement, signed_on=payload.signed_on,
                                                 signed_by=payload.signed_by, actor=request.auth))


@router.post("/finance/agreements/{agreement_id}/documents/{document_id}", response={200: AgreementOut, **ERRORS})
def mark_agreement_document(request: HttpRequest, agreement_id: int, document_id: int, payload: DocumentMarkIn):
    """Tick a required document as received (a date), or untick it (no date)."""
    agreement = selectors.agreement_get(request.auth, agreement_id)
    services.agreement_document_mark(agreement, document_id, received_on=payload.received_on, note=payload.note,
                                     actor=request.auth)
    return agreement_out(agreement)


# ---------------------------------------------------------------- invoices

@router.get("/finance/invoices", response={200: list[InvoiceOut], **ERRORS})
def list_invoices(request: HttpRequest, kind: str | None = None, status: str | None = None):
    """Invoices and credit notes the caller may see, newest first."""
    return [invoice_out(i) for i in selectors.invoice_list(request.auth, kind=kind, status=status)[:200]]


@router.post("/finance/invoices", response={201: InvoiceOut, **ERRORS})
def create_invoice(request: HttpRequest, payload: InvoiceIn):
    """A draft invoice for an instalment of a payment schedule, or for a customer with lines. Finance officers only:
    anyone else is refused (403) before the ids they name are looked up."""
    if not Invoice.may_create(request.auth):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    if payload.instalment is not None:
        instalment = selectors.instalment_get(request.auth, payload.instalment)
        invoice = services.invoice_for_instalment(instalment, actor=request.auth)
    else:
        if payload.customer is None:
            raise services.InvalidInput(_("Give an instalment, or a customer with lines."), field="instalment")
        venue = _venue(payload.venue)
        customer = _customer(request, payload.customer)
        lines = services.lines_from_input(venue, [row.dict() for row in payload.lines])
        invoice = services.invoice_create(venue, customer, title=payload.title, lines=lines,
                                          due_date=payload.due_date, actor=request.auth)
    return Status(201, invoice_out(invoice))


@router.get("/finance/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def get_invoice(request: HttpRequest, invoice_id: int):
    return invoice_out(selectors.invoice_get(request.auth, invoice_id))


@router.patch("/finance/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def update_invoice(request: HttpRequest, invoice_id: int, payload: InvoicePatch):
    """Change a draft's subject or due date; an issued invoice answers 409 (correct it with a credit note)."""
    invoice = selectors.invoice_get(request.auth, invoice_id)
    changes = payload.dict(exclude_unset=True)
    return invoice_out(services.invoice_update(invoice, changes, actor=request.auth))


@router.post("/finance/invoices/{invoice_id}/issue", response={200: InvoiceOut, **ERRORS})
def issue_invoice(request: HttpRequest, invoice_id: int):
    """Number a draft (INV-<fiscal year>-NNNNN, consecutive per venue) and freeze it."""
    return invoice_out(services.invoice_issue(selectors.invoice_get(request.auth, invoice_id), actor=request.auth))


@router.post("/finance/invoices/{invoice_id}/void", response={200: InvoiceOut, **ERRORS})
def void_invoice(request: HttpRequest, invoice_id: int, payload: ReasonIn):
    """Drop a draft that was never issued."""
    return invoice_out(services.invoice_void(selectors.invoice_get(request.auth, invoice_id),
                                             reason=payload.reason, actor=request.auth))


@router.post("/finance/invoices/{invoice_id}/credit-notes", response={201: InvoiceOut, **ERRORS})
def credit_invoice(request: HttpRequest, invoice_id: int, payload: CreditNoteIn):
    """A numbered credit note referencing the invoice, for all that is left of it or an amount."""
    invoice = selectors.invoice_get(request.auth, invoice_id)
    note = services.credit_note_create(invoice, reason=payload.reason, amount=payload.amount, actor=request.auth)
    return Status(201, invoice_out(note))


@router.post("/finance/invoices/{invoice_id}/payments", response={201: InvoiceOut, **ERRORS})
def record_payment(request: HttpRequest, invoice_id: int, payload: PaymentIn):
    """Record a payment (part or all) and issue its receipt."""
    invoice = selectors.invoice_get(request.auth, invoice_id)
    services.payment_record(invoice, amount=payload.amount, paid_on=payload.paid_on, method=payload.method,
                            reference=payload.reference, external_receipt_number=payload.external_receipt_number,
                            actor=request.auth)
    return Status(201, invoice_out(Invoice.objects.get(pk=invoice.pk)))


# ---------------------------------------------------------------- balances and reports

@router.get("/finance/customers/{customer_id}/balance", response={200: BalanceOut, **ERRORS})
def customer_balance(request: HttpRequest, customer_id: int):
    """What the customer owes: invoices − credit notes − payments."""
    customer = _customer(request, customer_id)
    return {"customer": customer.name, **selectors.customer_balance(customer)}


@router.get("/finance/receivables", response={200: AgedOut, **ERRORS})
def receivables(request: HttpRequest, venue: str | None = None):
    """Open invoices by customer, aged by days past due (center staff and finance officers)."""
    report = selectors.aged_receivables(request.auth, venue=_venue(venue) if venue else None)
    return {**report, "rows": [{"customer": r["customer"].name, "customer_id": r["customer"].pk,
                                "buckets": r["buckets"], "total": r["total"]} for r in report["rows"]]}


@router.get("/finance/revenue", response={200: RevenueOut, **ERRORS})
def revenue(request: HttpRequest, query: Query[RevenueQuery]):
    """Revenue of a fiscal year before VAT: received and booked, by month, space and customer class."""
    selectors.check_reads_reports(request.auth)
    return selectors.revenue_report(_venue(query.venue), selectors.fiscal_year_parse(query.fiscal_year))

