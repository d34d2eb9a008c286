"""Booth fees in the money chain: one quotation per exhibitor, a deposit and a balance, their invoices.

Billing an exhibitor (center staff or a finance officer) makes its finance customer (the company or group, in
the customer class of its exhibitor category), a quotation with one line per reserved or bought booth at the price
frozen when the booth was reserved, and the payment schedule of the exhibition: the deposit share due N days
after billing, the balance N days before move-in. Booking the booth was the exhibitor's acceptance, so the
quotation is sent and accepted in the same step. Finance officers then issue the deposit and balance invoices
(numbered, immutable) and record payments with the finance services as for any customer.

The quotation carries no booking: booth fees are the exhibitor's, not the organiser's hall rental, and must not
stand in for the hall's own invoicing in the revenue figures.
"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.finance import services as finance
from khuang.finance.models import (
    Customer,
    Instalment,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    LineKind,
    QuotationStatus,
    money,
)
from khuang.finance.selectors import customer_balance
from khuang.venues.models import CustomerClass

from .models import ApplicationStatus, BoothType, ClaimStatus, ExhibitorApplication, ExhibitorCategory
from .selectors import metres

CUSTOMER_CLASS = {ExhibitorCategory.COMMUNITY: CustomerClass.COMMUNITY,
                  ExhibitorCategory.GOVERNMENT: CustomerClass.GOVERNMENT,
                  ExhibitorCategory.SME: CustomerClass.PRIVATE, ExhibitorCategory.CORPORATE: CustomerClass.PRIVATE}
TYPE_TH = {BoothType.INLINE: "บูธแถว", BoothType.CORNER: "บูธหัวมุม", BoothType.PENINSULA: "บูธคาบสมุทร",
           BoothType.ISLAND: "บูธเกาะ"}
LIVE = (QuotationStatus.DRAFT, QuotationStatus.SENT, QuotationStatus.ACCEPTED)


def _customer(app: ExhibitorApplication) -> Customer:
    if app.customer_id:
        return app.customer
    return Customer.objects.create(name_th=app.company_name, name_en=app.company_name_en,
                                   customer_class=CUSTOMER_CLASS[app.category], contact_name=app.contact_name,
                                   email=app.email, phone=app.phone)


def _lines(app: ExhibitorApplication) -> list[finance.LineDraft]:
    ex = app.exhibition
    title_th, title_en = ex.booking.title, ex.booking.title_en or ex.booking.title
    out = []
    for claim in app.claims.filter(active=True, status__in=(ClaimStatus.RESERVED, ClaimStatus.SOLD)).select_related(
            "booth").order_by("booth__code"):
        b = claim.booth
        size = f"{metres(b.width)} × {metres(b.depth)}"
        out.append(finance.LineDraft(
            kind=LineKind.OTHER, unit_price=claim.price_thb or Decimal("0"), unit_th="บูธ", unit_en="booth",
            description_th=f"ค่าบูธ {b.code} ({TYPE_TH[b.kind]} {size} ม.) งาน{title_th}",
            description_en=f"Booth {b.code} ({b.get_kind_display()} {size} m), {title_en}"))
    return out


def _schedule(quotation, app: ExhibitorApplication) -> None:
    """The exhibition's deposit and balance (the finance service keeps a schedule that already exists)."""
    ex = app.exhibition
    today = timezone.localdate()
    move_in = timezone.localtime(ex.booking.occupied_start).date()
    balance_due = max(move_in - timedelta(days=ex.balance_due_days), today)
    deposit_due = min(today + timedelta(days=ex.deposit_due_days), balance_due)
    pct = ex.deposit_pct if quotation.total > 0 else Decimal("0")
    deposit = money(quotation.total * pct / 100)
    if 0 < deposit < quotation.total:
        Instalment.objects.create(quotation=quotation, kind=Instalment.Kind.DEPOSIT, percent=pct, amount=deposit,
                                  due_date=deposit_due)
    else:
        deposit, pct = Decimal("0"), Decimal("0")
    Instalment.objects.create(quotation=quotation, kind=Instalment.Kind.BALANCE, percent=Decimal("100") - pct,
                              amount=quotation.total - deposit, due_date=balance_due)


def booth_fees_bill(app: ExhibitorApplication, *, actor):
    """Quote an accepted exhibitor's booth fees with its deposit and balance (center staff, finance officers)."""
    if not app.can_bill(actor):
        raise PermissionDeniedError(_("Only center staff and finance officers bill booth fees."))
    if app.status != ApplicationStatus.ACCEPTED:
        raise ConflictError(_("%(name)s is not an accepted exhibitor.") % {"name": app.company_name}, field="status")
    if app.quotation_id and app.quotation.status in LIVE:
        raise ConflictError(_("Booth fees are already billed on quotation %(number)s.") % {
            "number": app.quotation.label}, field="quotation")
    lines = _lines(app)
    if not lines:
        raise ConflictError(_("%(name)s has no reserved or bought booth to bill.") % {"name": app.company_name},
                            field="booths")
    ex = app.exhibition
    with transaction.atomic():
        locked = ExhibitorApplication.objects.select_for_update().select_related("exhibition__booking").get(
            pk=app.pk)
        customer = _customer(locked)
        quotation = finance.quotation_create(
            ex.booking.space.venue, customer, title=f"{ex.booking.title}: {locked.company_name}"[:200], lines=lines,
            event_type=ex.booking.event_type, customer_class=CUSTOMER_CLASS[locked.category],
            notes=_("Booth fees, %(event)s") % {"event": ex.booking.title}, actor=actor)
        quotation = finance.quotation_send(quotation, actor=actor)
        _schedule(quotation, locked)
        quotation = finance.quotation_accept(quotation, actor=actor)
        locked.customer, locked.quotation = customer, quotation
        locked.save(update_fields=["customer", "quotation", "updated_at"])
        log_action(locked, "bill", actor=actor, data={"quotation": quotation.number, "total": str(quotation.total)})
    return quotation


def booth_invoice_issue(app: ExhibitorApplication, kind: str, *, actor) -> Invoice:
    """Issue the deposit or balance invoice of an exhibitor's booth fees (finance officers)."""
    if not app.can_invoice(actor):
        raise PermissionDeniedError(_("Only finance officers issue invoices."))
    if not app.quotation_id:
        raise ConflictError(_("Bill the booth fees first."), field="quotation")
    instalment = app.quotation.instalments.filter(kind=kind).first()
    if instalment is None:
        raise ConflictError(_("This quotation has no %(kind)s.") % {"kind": kind}, field="kind")
    with transaction.atomic():
        invoice = finance.invoice_for_instalment(instalment, actor=actor)
        invoice = finance.invoice_issue(invoice, actor=actor)
        log_action(app, "invoice", actor=actor, data={"invoice": invoice.number, "kind": kind})
    return invoice


def exhibitor_money(app: ExhibitorApplication) -> dict[str, Any] | None:
    """The exhibitor's booth-fee quotation, instalments with their invoices, and what is still owed."""
    if not app.quotation_id:
        return None
    q = app.quotation
    instalments = []
    for inst in q.instalments.all().order_by("due_date", "id"):
        invoice = inst.invoice()
        instalments.append({
            "kind": inst.kind, "label": inst.get_kind_display(), "percent": inst.percent, "amount": inst.amount,
            "due_date": inst.due_date, "invoice": invoice if invoice and invoice.is_issued else None,
            "paid": invoice.paid() if invoice and invoice.is_issued else Decimal("0"),
            "outstanding": invoice.outstanding() if invoice and invoice.is_issued else inst.amount,
        })
    return {"quotation": q, "instalments": instalments, "balance": customer_balance(q.customer)}


def exhibitor_invoice(app: ExhibitorApplication, invoice_id: int) -> Invoice | None:
    """One issued invoice (or credit note) of the exhibitor's own, for its private page."""
    if not app.customer_id:
        return None
    return Invoice.objects.filter(pk=invoice_id, customer_id=app.customer_id, status=InvoiceStatus.ISSUED,
                                  kind__in=(InvoiceKind.INVOICE, InvoiceKind.CREDIT_NOTE)).first()
