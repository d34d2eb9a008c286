"""Reads of the money chain: lists a user may see, balances, aged receivables and revenue by fiscal year.

Revenue definitions (also in docs/KPIS.md):

* **Received** = payments dated inside the fiscal year (venue time zone), VAT excluded: each payment counts
  the share `subtotal ÷ total` of its invoice, and is spread over the invoice's lines in proportion to them
  (so rental lines give revenue by space; extras and deposits have no space). Credit notes issued in the year
  are subtracted the same way (they are refunds or write-offs of money counted as owed).
* **Booked** = the value before VAT of accepted quotations whose event (first booking) starts in the fiscal
  year and whose bookings are confirmed or completed; by the month of the event's start, by space through the
  rental lines.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from khuang.bookings.models import BookingStatus
from khuang.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from khuang.core.thaidates import MONTHS_EN_SHORT, MONTHS_TH_SHORT, fiscal_year_bounds, parse_fiscal_year
from khuang.venues.models import CustomerClass, Space, Venue

from . import errors
from .models import (
    ZERO,
    Agreement,
    Customer,
    Instalment,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    Quotation,
    QuotationStatus,
    Receipt,
    prepares_documents,
    reads_money_reports,
    uses_finance_pages,
)

AGE_BUCKETS = (("current", None, 0), ("1_30", 1, 30), ("31_60", 31, 60), ("61_90", 61, 90), ("over_90", 91, None))


def _en() -> bool:
    return (get_language() or "th").startswith("en")


class BadFiscalYear(ApplicationError):
    status_code = 422


def fiscal_year_parse(text: str | int) -> int:
    """`2570` (BE) or `2027` (CE end year) → 2570; anything else → 422 naming `fiscal_year`."""
    try:
        return parse_fiscal_year(str(text).strip())
    except (TypeError, ValueError):
        raise BadFiscalYear(
            _("%(year)s is not a fiscal year (use the Buddhist-Era year, e.g. 2570).") % {"year": str(text)[:20]},
            field="fiscal_year") from None


def venue_get(code: str | None) -> Venue:
    """The venue by code (the default venue when none is given); unknown → 404."""
    from khuang.venues.selectors import default_venue

    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise NotFoundError(_("No venue with code %(code)s.") % {"code": code or "-"}, field="venue")
    return venue


def check_uses_finance_pages(user) -> None:
    """Refuse (403) anyone whose role has no finance pages (agency viewers, people without an agency)."""
    if not uses_finance_pages(user):
        raise PermissionDeniedError(str(errors.NO_FINANCE_PAGES))


def quotation_list(user, *, status: str | None = None) -> QuerySet[Quotation]:
    """Quotations the user may see, newest first; 403 for a role with no finance pages."""
    check_uses_finance_pages(user)
    qs = Quotation.objects.visible_to(user).select_related("customer", "venue")
    return qs.filter(status=status) if status else qs


def quotation_get(user, quotation_id: int) -> Quotation:
    """One quotation the user may see; anything else is 404 (its existence is not revealed)."""
    found = Quotation.objects.visible_to(user).select_related("customer", "venue").filter(pk=quotation_id).first()
    if found is None:
        raise NotFoundError(_("No quotation %(id)s.") % {"id": quotation_id})
    return found


def agreement_get(user, agreement_id: int) -> Agreement:
    found = Agreement.objects.visible_to(user).select_related("quotation__customer", "quotation__venue").filter(
        pk=agreement_id).first()
    if found is None:
        raise NotFoundError(_("No agreement %(id)s.") % {"id": agreement_id})
    return found


def invoice_list(user, *, kind: str | None = None, status: str | None = None) -> QuerySet[Invoice]:
    """Invoices and credit notes the user may see (void drafts left out); 403 for a role with no finance pages."""
    check_uses_finance_pages(user)
    qs = Invoice.objects.visible_to(user).select_related("customer", "venue").exclude(status=InvoiceStatus.VOID)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.filter(status=status) if status else qs


def invoice_get(user, invoice_id: int) -> Invoice:
    found = Invoice.objects.visible_to(user).select_related("customer", "venue", "credits").filter(
        pk=invoice_id).first()
    if found is None:
        raise NotFoundError(_("No invoice %(id)s.") % {"id": invoice_id})
    return found


def receipt_get(user, receipt_id: int) -> Receipt:
    found = Receipt.objects.visible_to(user).select_related("payment__invoice__customer", "venue").filter(
        pk=receipt_id).first()
    if found is None:
        raise NotFoundError(_("No receipt %(id)s.") % {"id": receipt_id})
    return found


def instalment_get(user, instalment_id: int) -> Instalment:
    found = Instalment.objects.filter(pk=instalment_id, quotation__in=Quotation.objects.visible_to(user)).first()
    if found is None:
        raise NotFoundError(_("No instalment %(id)s.") % {"id": instalment_id})
    return found


def customer_get(user, customer_id: int) -> Customer:
    found = Customer.objects.visible_to(user).filter(pk=customer_id).first()
    if found is None:
        raise NotFoundError(_("No customer %(id)s.") % {"id": customer_id})
    return found


def customer_balance(customer: Customer) -> dict[str, Decimal]:
    """What a customer owes: issued invoices − issued credit notes − payments (negative: in credit)."""
    issued = Invoice.objects.filter(customer=customer, status=InvoiceStatus.ISSUED)
    invoiced = issued.filter(kind=InvoiceKind.INVOICE).aggregate(s=Sum("total"))["s"] or ZERO
    credited = issued.filter(kind=InvoiceKind.CREDIT_NOTE).aggregate(s=Sum("total"))["s"] or ZERO
    paid = Payment.objects.filter(invoice__customer=customer).aggregate(s=Sum("amount"))["s"] or ZERO
    return {"invoiced": invoiced, "credited": credited, "paid": paid, "balance": invoiced - credited - paid}


def aged_receivables(user, today: date | None = None, venue: Venue | None = None) -> dict[str, Any]:
    """Open invoices by customer in buckets of days past due (current, 1–30, 31–60, 61–90, over 90)."""
    if not prepares_documents(user):
        raise PermissionDeniedError(_("Only center staff and finance officers see receivables."))
    today = today or timezone.localdate()
    qs = Invoice.objects.filter(kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED).select_related("customer")
    if venue is not None:
        qs = qs.filter(venue=venue)
    paid = dict(Payment.objects.filter(invoice__in=qs).values("invoice").annotate(s=Sum("amount")).values_list(
        "invoice", "s"))
    credited = dict(Invoice.objects.filter(credits__in=qs, status=InvoiceStatus.ISSUED).values("credits").annotate(
        s=Sum("total")).values_list("credits", "s"))
    rows: dict[int, dict[str, Any]] = {}
    totals = {key: ZERO for key, _lo, _hi in AGE_BUCKETS}
    for inv in qs.order_by("due_date", "pk"):
        owed = inv.total - (paid.get(inv.pk) or ZERO) - (credited.get(inv.pk) or ZERO)
        if owed <= 0:
            continue
        late = (today - (inv.due_date or inv.issue_date)).days
        bucket = next(key for key, lo, hi in AGE_BUCKETS if (lo is None and late <= 0) or (
            lo is not None and late >= lo and (hi is None or late <= hi)))
        row = rows.setdefault(inv.customer_id, {"customer": inv.customer, "invoices": [],
                                                "buckets": {key: ZERO for key, _lo, _hi in AGE_BUCKETS},
                                                "total": ZERO})
        row["invoices"].append({"invoice": inv, "owed": owed, "days_late": max(late, 0), "bucket": bucket})
        row["buckets"][bucket] += owed
        row["total"] += owed
        totals[bucket] += owed
    ordered = sorted(rows.values(), key=lambda r: -r["total"])
    return {"today": today, "rows": ordered, "totals": totals, "total": sum(totals.values(), ZERO),
            "buckets": [key for key, _lo, _hi in AGE_BUCKETS]}


# ---------------------------------------------------------------- revenue

def _fy_span(fy: int, tz: ZoneInfo) -> tuple[date, date, datetime, datetime]:
    first, last = fiscal_year_bounds(fy)
    return first, last, datetime.combine(first, time.min, tzinfo=tz), datetime.combine(
        last + timedelta(days=1), time.min, tzinfo=tz)


def _month_index(day: date) -> int:
    return (day.month - 10) % 12


def _line_shares(invoice_ids: list[int]) -> dict[int, list[tuple[int | None, Decimal]]]:
    """Each invoice's lines as (space id, share of the invoice's subtotal)."""
    from .models import InvoiceLine

    lines: dict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    for inv_id, space_id, amount in InvoiceLine.objects.filter(invoice_id__in=invoice_ids).values_list(
            "invoice_id", "space_id", "amount"):
        lines[inv_id].append((space_id, amount))
    out = {}
    for inv_id, rows in lines.items():
        total = sum((a for _s, a in rows), ZERO)
        out[inv_id] = [(s, a / total) for s, a in rows] if total else []
    return out


def revenue_report(venue: Venue, fy: int) -> dict[str, Any]:
    """Revenue of a fiscal year (VAT excluded): received by month, space and customer class; booked against
    received by month. See the module docstring for the definitions."""
    tz = ZoneInfo(venue.timezone)
    first, last, _start, _end = _fy_span(fy, tz)
    by_month = [ZERO] * 12
    by_space: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    by_class: dict[str, Decimal] = defaultdict(lambda: ZERO)
    pays = list(Payment.objects.filter(invoice__venue=venue, paid_on__gte=first, paid_on__lte=last).values_list(
        "invoice_id", "amount", "paid_on", "invoice__subtotal", "invoice__total", "invoice__customer_class"))
    notes = list(Invoice.objects.filter(venue=venue, kind=InvoiceKind.CREDIT_NOTE, status=InvoiceStatus.ISSUED,
                                        issue_date__gte=first, issue_date__lte=last).values_list(
        "credits_id", "total", "issue_date", "subtotal", "total", "customer_class"))
    shares = _line_shares(list({p[0] for p in pays} | {n[0] for n in notes}))
    for sign, rows in ((1, pays), (-1, notes)):
        for inv_id, amount, day, subtotal, total, klass in rows:
            net = amount * subtotal / total if total else ZERO
            net *= sign
            by_month[_month_index(day)] += net
            by_class[klass] += net
            for space_id, share in shares.get(inv_id, [(None, Decimal(1))]):
                by_space[space_id] += net * share
    booked_month = [ZERO] * 12
    booked_space: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    booked_class: dict[str, Decimal] = defaultdict(lambda: ZERO)
    _first, _last, start, end = _fy_span(fy, tz)
    quotations = Quotation.objects.filter(venue=venue, status=QuotationStatus.ACCEPTED).prefetch_related(
        "bookings", "lines")
    for q in quotations:
        bookings = list(q.bookings.all())
        counted = [b for b in bookings if b.status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)]
        if not counted:
            continue
        first_start = min(b.start for b in counted)
        if not (start <= first_start < end):
            continue
        month = _month_index(timezone.localtime(first_start, tz).date())
        booked_month[month] += q.net
        booked_class[q.customer_class] += q.net
        lines = list(q.lines.all())
        gross = sum((ln.amount for ln in lines), ZERO)
        for ln in lines:
            if gross:
                booked_space[ln.space_id] += q.net * ln.amount / gross
    spaces = dict(Space.objects.filter(venue=venue).values_list("pk", "code"))
    names = {pk: (n_en if _en() and n_en else n_th) for pk, n_th, n_en in
             Space.objects.filter(venue=venue).values_list("pk", "name_th", "name_en")}
    labels = dict(CustomerClass.choices)
    months = []
    for i in range(12):
        month = (9 + i) % 12 + 1
        year = first.year + (1 if month < 10 else 0)
        label = (f"{MONTHS_EN_SHORT[month - 1]} {str(year)[-2:]}" if _en()
                 else f"{MONTHS_TH_SHORT[month - 1]} {str(year + 543)[-2:]}")
        months.append({"label": label, "received": _q(by_month[i]), "booked": _q(booked_month[i])})
    space_keys = sorted(set(by_space) | set(booked_space), key=lambda k: (k is None, spaces.get(k, "")))
    return {
        "fiscal_year": fy, "venue": {"code": venue.code, "name": venue.name},
        "received": _q(sum(by_month, ZERO)), "booked": _q(sum(booked_month, ZERO)),
        "months": months,
        "by_space": [{"code": spaces.get(k) or "", "name": names.get(k) or _("Extras and other items"),
                      "received": _q(by_space.get(k, ZERO)), "booked": _q(booked_space.get(k, ZERO))}
                     for k in space_keys],
        "by_class": [{"key": k, "label": str(labels.get(k, k)), "received": _q(by_class.get(k, ZERO)),
                      "booked": _q(booked_class.get(k, ZERO))} for k in CustomerClass.values
                     if k in by_class or k in booked_class],
    }


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def revenue_received(venue: Venue, fy: int) -> Decimal:
    """Money received in the fiscal year before VAT, less credit notes (the revenue KPI's finance part)."""
    return revenue_report(venue, fy)["received"]


def invoiced_booking_ids() -> set[int]:
    """Every booking that is on an issued invoice (through its quotation or one of its lines). Invoiced bookings
    are few next to the diary, so one unparameterised query each beats passing thousands of ids."""
    via_quote = Invoice.objects.filter(status=InvoiceStatus.ISSUED, quotation__bookings__isnull=False).values_list(
        "quotation__bookings", flat=True)
    via_line = Invoice.objects.filter(status=InvoiceStatus.ISSUED, lines__booking__isnull=False).values_list(
        "lines__booking", flat=True)
    return set(via_quote) | set(via_line)


def receipts_register(venue: Venue, fy: int) -> list[dict[str, Any]]:
    """Every receipt of a fiscal year, in number order, for the accounting office."""
    rows = []
    for r in Receipt.objects.filter(venue=venue, fiscal_year=fy).select_related(
            "payment__invoice__customer").order_by("issue_date", "number"):
        inv = r.payment.invoice
        net = r.amount * inv.subtotal / inv.total if inv.total else ZERO
        rows.append({"number": r.number, "external": r.external, "date": r.issue_date,
                     "customer": inv.bill_to.get("name_th") or inv.customer.name_th,
                     "tax_id": inv.bill_to.get("tax_id", ""), "invoice": inv.number, "method": r.payment.method,
                     "method_label": r.payment.get_method_display(), "reference": r.payment.reference,
                     "net": _q(net), "vat": _q(r.amount - net), "amount": r.amount})
    return rows


def open_instalments(user) -> QuerySet[Instalment]:
    """Instalments of accepted quotations the user may see, soonest due first."""
    return Instalment.objects.filter(quotation__in=Quotation.objects.visible_to(user),
                                     quotation__status=QuotationStatus.ACCEPTED).select_related(
        "quotation__customer").order_by("due_date")


def bookings_for_quotation(user) -> QuerySet:
    """Bookings staff may quote: inquiries, holds and confirmed bookings that have no live quotation yet."""
    from khuang.bookings.models import Booking

    if not prepares_documents(user):
        return Booking.objects.none()
    live = Quotation.objects.filter(status__in=[QuotationStatus.DRAFT, QuotationStatus.SENT,
                                                QuotationStatus.ACCEPTED], bookings__isnull=False).values("bookings")
    return Booking.objects.filter(
        status__in=[BookingStatus.INQUIRY, BookingStatus.HOLD, BookingStatus.CONFIRMED],
        end__gte=timezone.now()).exclude(pk__in=live).select_related("space", "agency").order_by("start")


def check_reads_reports(user) -> None:
    """Refuse (403) anyone who may not read the revenue reports."""
    if not reads_money_reports(user):
        raise PermissionDeniedError(_("Only center staff, finance officers and executives read revenue reports."))
