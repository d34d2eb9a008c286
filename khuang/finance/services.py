"""Writes of the money chain. Each service checks permission and state, then changes the documents and writes
the audit entry in one transaction; e-mails are enqueued after commit.

Numbering: an issued invoice, credit note or receipt takes the next number of its kind at its venue in the
fiscal year of its date from a `DocumentCounter` row that is locked (`SELECT … FOR UPDATE` on PostgreSQL; on
SQLite the IMMEDIATE transaction holds the database's write lock) inside the issuing transaction. A rollback
returns the number with it, so numbers never skip or repeat, however many are issued at once.

For callers that are not about bookings (booth fees at a fair): `quotation_create` and `invoice_create` take a
customer and plain `LineDraft`s, no booking needed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from khuang.bookings.models import Booking, BookingStatus
from khuang.core import numformat
from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.models import log_action
from khuang.core.thaidates import fiscal_year, format_date
from khuang.venues.models import CustomerClass, RateCard, Venue

from . import errors
from .models import (
    ZERO,
    Agreement,
    AgreementDocument,
    AgreementStatus,
    AgreementTemplate,
    Customer,
    DiscountRule,
    DocumentCounter,
    DocumentRequirement,
    Instalment,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentMethod,
    PaymentRule,
    PriceItem,
    Quotation,
    QuotationLine,
    QuotationStatus,
    Receipt,
    VenueFinance,
    is_finance_officer,
    money,
    prepares_documents,
)
from .words import baht_words

HALF_DAY_HOURS = 4
MAX_LINE = Decimal("1000000000")  # one billion baht a line keeps every total inside the 14-digit money columns
PREFIX = {"quotation": "QT", "agreement": "AGR", "invoice": "INV", "credit_note": "CN", "receipt": "RC"}


class InvalidInput(ApplicationError):
    status_code = 422


@dataclass
class LineDraft:
    """A line to put on a quotation or invoice; `space`/`booking` are optional (booth fees have neither)."""

    description_th: str
    unit_price: Decimal
    quantity: Decimal = Decimal("1")
    description_en: str = ""
    unit_th: str = ""
    unit_en: str = ""
    kind: str = LineKind.OTHER
    space: Any = None
    booking: Any = None
    rate_card: Any = None
    price_item: Any = None
    discount_rule: Any = None
    reason: str = ""


# ---------------------------------------------------------------- small helpers

def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _today(venue: Venue | None = None) -> date:
    return timezone.localdate(timezone=ZoneInfo(venue.timezone)) if venue else timezone.localdate()


def _decimal(value: Any, field: str, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput(str(errors.NEGATIVE) % {"field": field}, field=field) from None
    if not number.is_finite() or number < 0 or (positive and number <= 0):
        message = errors.NOT_POSITIVE if positive else errors.NEGATIVE
        raise InvalidInput(str(message) % {"field": field}, field=field)
    if abs(number) >= Decimal("1e12"):
        raise InvalidInput(str(errors.NEGATIVE) % {"field": field}, field=field)
    return number


def _refuse(user, allowed: bool, action: str, *, finance: bool = False) -> None:
    if allowed:
        return
    if finance and not is_finance_officer(user):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    if not finance and not prepares_documents(user) and action not in ("accept",):
        raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
    raise ConflictError(str(errors.NOT_ALLOWED) % {"action": action}, field="status")


def venue_finance(venue: Venue) -> VenueFinance:
    """The venue's money settings (defaults when staff have not set them: not VAT registered, no PromptPay)."""
    found = VenueFinance.objects.filter(venue=venue).first()
    return found or VenueFinance(venue=venue, legal_name_th=venue.name_th, legal_name_en=venue.name_en)


def payment_rule(venue: Venue, customer_class: str) -> PaymentRule:
    """The payment rule of a customer class (default: 30 % deposit in 7 days, balance 7 days before move-in)."""
    found = PaymentRule.objects.filter(venue=venue, customer_class=customer_class).first()
    return found or PaymentRule(venue=venue, customer_class=customer_class)


def next_number(venue: Venue, kind: str, fy: int) -> str:
    """The next number of a kind of document (`INV-2570-00042`); call inside the issuing transaction.

    The counter row is created beforehand in its own savepoint (two creators race harmlessly: the loser's
    insert fails and it reads the winner's row), then locked for the rest of the transaction.
    """
    if not DocumentCounter.objects.filter(venue=venue, kind=PREFIX[kind], fiscal_year=fy).exists():
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(venue=venue, kind=PREFIX[kind], fiscal_year=fy)
        except IntegrityError:
            pass
    counter = DocumentCounter.objects.select_for_update().get(venue=venue, kind=PREFIX[kind], fiscal_year=fy)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{PREFIX[kind]}-{fy}-{counter.last_number:05d}"


def customer_for_booking(booking: Booking) -> Customer:
    """The customer a booking is billed to: its agency's customer (made on first use), else its contact."""
    if booking.agency_id:
        agency = booking.agency
        customer, _created = Customer.objects.get_or_create(agency=agency, defaults={
            "name_th": agency.name_th, "name_en": agency.name_en, "customer_class": booking.customer_class,
            "contact_name": booking.contact_name, "email": booking.contact_email, "phone": booking.contact_phone,
        })
        return customer
    name = booking.contact_name or booking.title
    customer = Customer.objects.filter(agency=None, name_th=name, email=booking.contact_email).first()
    return customer or Customer.objects.create(
        name_th=name, customer_class=booking.customer_class, contact_name=booking.contact_name,
        email=booking.contact_email, phone=booking.contact_phone)


def lines_from_input(venue: Venue, rows: list[dict[str, Any]]) -> list[LineDraft]:
    """Lines as a form or the API gives them: a price-list `item` with a quantity, or a described line."""
    out = []
    for i, row in enumerate(rows):
        if row.get("item"):
            item = PriceItem.objects.filter(venue=venue, code=row["item"], is_active=True).first()
            if item is None:
                raise InvalidInput(str(errors.UNKNOWN_ITEM) % {"code": row["item"]}, field=f"lines.{i}.item")
            out.append(LineDraft(kind=LineKind.EXTRA, price_item=item, description_th=item.name_th,
                                 description_en=item.name_en, unit_th=item.unit_th, unit_en=item.unit_en,
                                 quantity=Decimal(str(row.get("quantity") or 1)), unit_price=item.unit_price))
            continue
        if not (row.get("description_th") or "").strip():
            raise InvalidInput(_("Describe the line."), field=f"lines.{i}.description_th")
        if row.get("unit_price") is None:
            raise InvalidInput(str(errors.NEGATIVE) % {"field": "unit_price"}, field=f"lines.{i}.unit_price")
        out.append(LineDraft(description_th=row["description_th"], description_en=row.get("description_en") or "",
                             unit_th=row.get("unit_th") or "", unit_en=row.get("unit_en") or "",
                             quantity=Decimal(str(row.get("quantity") or 1)),
                             unit_price=_decimal(row["unit_price"], f"lines.{i}.unit_price")))
    return out


# ---------------------------------------------------------------- quotations

def _event_days(booking: Booking, tz: ZoneInfo) -> list[tuple[date, bool]]:
    """Each event day of a booking and whether it is a full day (more than four event hours)."""
    start, end = timezone.localtime(booking.start, tz), timezone.localtime(booking.end, tz)
    out, day = [], start.date()
    while day <= (end - timedelta(microseconds=1)).date():
        day_start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        hours = (min(end, day_start + timedelta(days=1)) - max(start, day_start)).total_seconds() / 3600
        out.append((day, hours > HALF_DAY_HOURS))
        day += timedelta(days=1)
    return out


def _rate_card(booking: Booking, day: date) -> RateCard:
    card = (RateCard.objects.filter(space=booking.space, customer_class=booking.customer_class, valid_from__lte=day)
            .exclude(valid_to__lt=day).order_by("-valid_from").first())
    if card is None:
        raise InvalidInput(str(errors.NO_RATE) % {
            "space": booking.space.code, "klass": CustomerClass(booking.customer_class).label,
            "day": format_date(day)}, field="bookings")
    return card


def rental_lines(booking: Booking) -> list[LineDraft]:
    """Space-rental lines of a booking from the rate card valid on each event day (full or half days)."""
    tz = ZoneInfo(booking.space.venue.timezone)
    groups: list[tuple[RateCard, bool, list[date]]] = []
    for day, full in _event_days(booking, tz):
        card = _rate_card(booking, day)
        if groups and groups[-1][0].pk == card.pk and groups[-1][1] == full:
            groups[-1][2].append(day)
        else:
            groups.append((card, full, [day]))
    lines = []
    for card, full, days in groups:
        when_th = format_date(days[0], "th") + (f" – {format_date(days[-1], 'th')}" if len(days) > 1 else "")
        when_en = format_date(days[0], "en") + (f" – {format_date(days[-1], 'en')}" if len(days) > 1 else "")
        lines.append(LineDraft(
            kind=LineKind.RENTAL, space=booking.space, booking=booking, rate_card=card,
            description_th=f"ค่าเช่า{booking.space.name_th} ({'เต็มวัน' if full else 'ครึ่งวัน'}) {when_th}",
            description_en=f"Rental of {booking.space.name_en or booking.space.code} "
                           f"({'full day' if full else 'half day'}) {when_en}",
            quantity=Decimal(len(days)), unit_th="วัน" if full else "ครึ่งวัน",
            unit_en="day" if full else "half day",
            unit_price=card.full_day_thb if full else card.half_day_thb,
        ))
    return lines


def _best_discount_rule(venue: Venue, customer_class: str, event_type: str, days: int) -> DiscountRule | None:
    best = None
    for rule in DiscountRule.objects.filter(venue=venue, is_active=True):
        if rule.customer_class and rule.customer_class != customer_class:
            continue
        if rule.event_type and rule.event_type != event_type:
            continue
        if rule.min_days is not None and days < rule.min_days:
            continue
        if best is None or rule.percent > best.percent:
            best = rule
    return best


def _recalc(quotation: Quotation) -> None:
    """Totals of a draft from its lines: subtotal, discounts, VAT at the venue's rate, total."""
    lines = list(quotation.lines.all())
    subtotal = sum((ln.amount for ln in lines if ln.kind != LineKind.DISCOUNT), ZERO)
    discounts = -sum((ln.amount for ln in lines if ln.kind == LineKind.DISCOUNT), ZERO)
    net = subtotal - discounts
    if net < 0:
        raise InvalidInput(str(errors.NEGATIVE_TOTAL), field="amount")
    quotation.vat_rate = venue_finance(quotation.venue).effective_vat_rate
    quotation.subtotal, quotation.discount_total = money(subtotal), money(discounts)
    quotation.vat = money(net * quotation.vat_rate / 100)
    quotation.total = money(net) + quotation.vat
    quotation.save()


def _add_line(quotation: Quotation, draft: LineDraft) -> QuotationLine:
    quantity = _decimal(draft.quantity, "quantity", positive=True)
    price = Decimal(str(draft.unit_price))
    if draft.kind != LineKind.DISCOUNT:
        price = _decimal(price, "unit_price")
    if abs(quantity * price) >= MAX_LINE or quantity >= Decimal("1e7"):
        raise InvalidInput(_("A line may not exceed one billion baht."), field="unit_price")
    position = quotation.lines.count() + 1
    return QuotationLine.objects.create(
        quotation=quotation, position=position, kind=draft.kind, description_th=draft.description_th[:300],
        description_en=draft.description_en[:300], quantity=quantity, unit_th=draft.unit_th,
        unit_en=draft.unit_en, unit_price=money(price), amount=money(quantity * price), space=draft.space,
        booking=draft.booking, rate_card=draft.rate_card, price_item=draft.price_item,
        discount_rule=draft.discount_rule, reason=draft.reason[:300])


def quotation_create(venue: Venue, customer: Customer, *, title: str, lines: list[LineDraft],
                     event_type: str = "other", customer_class: str | None = None, bookings=(), notes: str = "",
                     actor=None) -> Quotation:
    """A draft quotation for a customer with these lines (bookings optional), numbered QT-<FY>-NNNNN."""
    if not Quotation.may_create(actor):
        raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
    if not title.strip():
        raise InvalidInput(_("Give the event's name."), field="title")
    settings_ = venue_finance(venue)
    today = _today(venue)
    with transaction.atomic():
        quotation = Quotation.objects.create(
            venue=venue, customer=customer, number=next_number(venue, "quotation", fiscal_year(today)),
            title=title[:200], event_type=event_type, customer_class=customer_class or customer.customer_class,
            issue_date=today, valid_until=today + timedelta(days=settings_.quotation_valid_days), notes=notes,
            created_by=_user(actor))
        if bookings:
            quotation.bookings.set(bookings)
        for draft in lines:
            _add_line(quotation, draft)
        _recalc(quotation)
        log_action(quotation, "create", actor=actor, to_state=quotation.status,
                   data={"number": quotation.number, "total": str(quotation.total)})
    return quotation


def quotation_from_bookings(bookings: list[Booking], *, actor=None) -> Quotation:
    """A draft quotation for bookings of one customer: rental from the rate cards valid on the event's dates
    for their customer class, and the best matching discount rule."""
    if not bookings:
        raise InvalidInput(str(errors.NO_BOOKINGS), field="bookings")
    first = bookings[0]
    venue = first.space.venue
    if any(b.space.venue_id != venue.pk or b.agency_id != first.agency_id or
           (not first.agency_id and b.contact_name != first.contact_name) for b in bookings):
        raise InvalidInput(str(errors.MIXED_CUSTOMERS), field="bookings")
    if any(b.status == BookingStatus.CANCELLED for b in bookings):
        raise InvalidInput(_("A cancelled booking cannot be quoted."), field="bookings")
    lines: list[LineDraft] = []
    for booking in sorted(bookings, key=lambda b: (b.start, b.pk)):
        lines.extend(rental_lines(booking))
    days = int(sum(ln.quantity for ln in lines))
    rental = sum((money(ln.quantity * ln.unit_price) for ln in lines), ZERO)
    rule = _best_discount_rule(venue, first.customer_class, first.event_type, days)
    if rule is not None and rule.percent > 0 and rental > 0:
        pct = f"{rule.percent.normalize():f}%"
        off = -money(rental * rule.percent / 100)
        lines.append(LineDraft(kind=LineKind.DISCOUNT, discount_rule=rule, unit_price=off,
                               description_th=f"ส่วนลด {rule.name_th} ({pct})", reason=rule.name_th,
                               description_en=f"Discount {rule.name_en or rule.name_th} ({pct})"))
    return quotation_create(venue, customer_for_booking(first), title=first.title, event_type=first.event_type,
                            customer_class=first.customer_class, bookings=bookings, lines=lines, actor=actor)


def _editable(quotation: Quotation, actor) -> Quotation:
    locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
    if not prepares_documents(actor):
        raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
    if locked.is_frozen:
        raise ConflictError(str(errors.FROZEN_QUOTATION) % {"number": locked.label}, field="status")
    return locked


def quotation_add_extra(quotation: Quotation, item_code: str, quantity: Any, *, actor=None) -> Quotation:
    """Add an extra from the venue's price list (equipment, electricity per booth, cleaning, overtime)."""
    with transaction.atomic():
        locked = _editable(quotation, actor)
        item = PriceItem.objects.filter(venue=locked.venue, code=item_code, is_active=True).first()
        if item is None:
            raise InvalidInput(str(errors.UNKNOWN_ITEM) % {"code": item_code}, field="item")
        line = _add_line(locked, LineDraft(kind=LineKind.EXTRA, price_item=item, description_th=item.name_th,
                                           description_en=item.name_en, unit_th=item.unit_th, unit_en=item.unit_en,
                                           quantity=quantity, unit_price=item.unit_price))
        _recalc(locked)
        log_action(locked, "add_line", actor=actor, data={"line": line.pk, "item": item.code,
                                                          "quantity": str(line.quantity), "amount": str(line.amount)})
    return locked


def quotation_add_line(quotation: Quotation, draft: LineDraft, *, actor=None) -> Quotation:
    """Add a free line (a service not on the price list) to a draft."""
    if not draft.description_th.strip():
        raise InvalidInput(_("Describe the line."), field="description_th")
    with transaction.atomic():
        locked = _editable(quotation, actor)
        line = _add_line(locked, draft)
        _recalc(locked)
        log_action(locked, "add_line", actor=actor, data={"line": line.pk, "amount": str(line.amount)})
    return locked


def quotation_add_discount(quotation: Quotation, *, reason: str, percent: Any = None, amount: Any = None,
                           actor=None) -> Quotation:
    """A discount by hand, as a percentage of the lines before discounts or an amount; a reason is required."""
    if not (reason or "").strip():
        raise InvalidInput(str(errors.REASON_NEEDED), field="reason")
    if (percent is None) == (amount is None):
        raise InvalidInput(str(errors.ONE_OF_PERCENT_AMOUNT), field="percent")
    with transaction.atomic():
        locked = _editable(quotation, actor)
        base = locked.subtotal - locked.discount_total
        if percent is not None:
            pct = _decimal(percent, "percent", positive=True)
            if pct > 100:
                raise InvalidInput(str(errors.DISCOUNT_TOO_LARGE), field="percent")
            value = money(locked.subtotal * pct / 100)
            text_th, text_en = f"ส่วนลด {pct.normalize():f}% ({reason})", f"Discount {pct.normalize():f}% ({reason})"
        else:
            value = money(_decimal(amount, "amount", positive=True))
            text_th, text_en = f"ส่วนลด ({reason})", f"Discount ({reason})"
        if value > base:
            raise InvalidInput(str(errors.DISCOUNT_TOO_LARGE), field="percent" if percent is not None else "amount")
        line = _add_line(locked, LineDraft(kind=LineKind.DISCOUNT, description_th=text_th, description_en=text_en,
                                           unit_price=-value, reason=reason))
        _recalc(locked)
        log_action(locked, "discount", actor=actor, reason=reason, data={"line": line.pk, "amount": str(value)})
    return locked


def quotation_remove_line(quotation: Quotation, line_id: int, *, actor=None) -> Quotation:
    """Take a line off a draft."""
    with transaction.atomic():
        locked = _editable(quotation, actor)
        line = locked.lines.filter(pk=line_id).first()
        if line is None:
            raise InvalidInput(_("No line %(id)s on this quotation.") % {"id": line_id}, field="line")
        data = {"line": line.pk, "description": line.description_th, "amount": str(line.amount)}
        line.delete()
        _recalc(locked)
        log_action(locked, "remove_line", actor=actor, data=data)
    return locked


def quotation_send(quotation: Quotation, *, actor=None) -> Quotation:
    """Send a draft: from now on its lines and totals are frozen (a new version is needed to change it)."""
    with transaction.atomic():
        locked = _editable(quotation, actor)
        if not locked.lines.exists():
            raise InvalidInput(str(errors.NO_LINES), field="lines")
        _recalc(locked)
        locked.status, locked.sent_at = QuotationStatus.SENT, timezone.now()
        locked.issue_date = _today(locked.venue)
        locked.valid_until = locked.issue_date + timedelta(days=venue_finance(locked.venue).quotation_valid_days)
        locked.save()
        if locked.previous_id:
            Quotation.objects.filter(pk=locked.previous_id).update(status=QuotationStatus.SUPERSEDED)
        log_action(locked, "send", actor=actor, from_state=QuotationStatus.DRAFT, to_state=locked.status,
                   data={"total": str(locked.total), "lines": locked.lines.count()})
    return locked


def quotation_accept(quotation: Quotation, *, actor=None) -> Quotation:
    """Record the customer's acceptance; the payment schedule follows the customer class's rule."""
    with transaction.atomic():
        locked = Quotation.objects.select_for_update().select_related("customer", "venue").get(pk=quotation.pk)
        _refuse(actor, locked.can_accept(actor), "accept")
        locked.status, locked.accepted_at = QuotationStatus.ACCEPTED, timezone.now()
        locked.save()
        schedule_create(locked)
        log_action(locked, "accept", actor=actor, from_state=QuotationStatus.SENT, to_state=locked.status)
    return locked


def quotation_reject(quotation: Quotation, *, reason: str = "", actor=None) -> Quotation:
    """The customer declined a sent quotation."""
    with transaction.atomic():
        locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
        _refuse(actor, locked.can_revise(actor), "reject")
        locked.status = QuotationStatus.REJECTED
        locked.save()
        log_action(locked, "reject", actor=actor, from_state=QuotationStatus.SENT, to_state=locked.status,
                   reason=reason)
    return locked


def quotation_revise(quotation: Quotation, *, actor=None) -> Quotation:
    """A new draft version of a sent quotation, with the same lines at the same prices (the sent one stays)."""
    with transaction.atomic():
        locked = Quotation.objects.select_for_update().get(pk=quotation.pk)
        _refuse(actor, locked.can_revise(actor), "revise")
        if Quotation.objects.filter(previous=locked).exists():
            raise ConflictError(_("Quotation %(number)s already has a newer version.") % {"number": locked.label},
                                field="status")
        new = Quotation.objects.create(
            venue=locked.venue, customer=locked.customer, number=locked.number, version=locked.version + 1,
            previous=locked, title=locked.title, event_type=locked.event_type, customer_class=locked.customer_class,
            issue_date=_today(locked.venue), valid_until=locked.valid_until, notes=locked.notes,
            created_by=_user(actor))
        new.bookings.set(locked.bookings.all())
        for line in locked.lines.all():
            line.pk, line.quotation = None, new
            line.save()
        _recalc(new)
        log_action(new, "revise", actor=actor, to_state=new.status, data={"from_version": locked.version})
    return new


# ---------------------------------------------------------------- payment schedule

def _move_in(quotation: Quotation) -> date | None:
    first = quotation.bookings.order_by("occupied_start").first()
    if first is None:
        return None
    return timezone.localtime(first.occupied_start, ZoneInfo(quotation.venue.timezone)).date()


def schedule_create(quotation: Quotation) -> list[Instalment]:
    """Deposit (share and due date by the customer class's rule) and balance (due before move-in)."""
    if quotation.instalments.exists():
        return list(quotation.instalments.all())
    rule = payment_rule(quotation.venue, quotation.customer_class)
    today = _today(quotation.venue)
    move_in = _move_in(quotation)
    balance_due = (move_in - timedelta(days=rule.balance_due_days_before)) if move_in else today + timedelta(
        days=rule.deposit_due_days)
    balance_due = max(balance_due, today)
    deposit_due = min(today + timedelta(days=rule.deposit_due_days), balance_due)
    out = []
    pct = rule.deposit_pct if quotation.total > 0 else ZERO
    deposit = money(quotation.total * pct / 100)
    if deposit > 0 and pct < 100:
        out.append(Instalment.objects.create(quotation=quotation, kind=Instalment.Kind.DEPOSIT, percent=pct,
                                             amount=deposit, due_date=deposit_due))
    else:
        deposit = ZERO
    out.append(Instalment.objects.create(quotation=quotation, kind=Instalment.Kind.BALANCE,
                                         percent=Decimal("100") - (pct if deposit else ZERO),
                                         amount=quotation.total - deposit, due_date=balance_due))
    return out


# ---------------------------------------------------------------- agreements

def _agreement_text(quotation: Quotation, template: AgreementTemplate) -> str:
    bookings = list(quotation.bookings.select_related("space").order_by("start"))
    instalments = {i.kind: i for i in quotation.instalments.all()}
    deposit, balance = instalments.get("deposit"), instalments.get("balance")
    tz = ZoneInfo(quotation.venue.timezone)
    dates = ", ".join(
        f"{format_date(timezone.localtime(b.start, tz), 'th', full=True)} – "
        f"{format_date(timezone.localtime(b.end, tz), 'th', full=True)}" for b in bookings)
    context = {
        "customer": quotation.customer.name_th, "venue": venue_finance(quotation.venue).legal_name_th,
        "event": quotation.title, "spaces": ", ".join(dict.fromkeys(b.space.name_th for b in bookings)),
        "dates": dates, "total": numformat.baht(quotation.total), "total_words": baht_words(quotation.total),
        "deposit": numformat.baht(deposit.amount if deposit else 0),
        "deposit_due": format_date(deposit.due_date, "th", full=True) if deposit else "-",
        "balance_due": format_date(balance.due_date, "th", full=True) if balance else "-",
        "number": quotation.label,
    }
    with override("th"):
        return Template(template.body_th).render(Context(context, autoescape=False))


def agreement_create(quotation: Quotation, *, actor=None) -> Agreement:
    """The hire agreement of an accepted quotation: the venue's Thai template filled in, and the checklist of
    documents required for the activity type."""
    with transaction.atomic():
        locked = Quotation.objects.select_for_update().select_related("venue", "customer").get(pk=quotation.pk)
        if Agreement.objects.filter(quotation=locked).exists():
            raise ConflictError(str(errors.AGREEMENT_EXISTS) % {"number": locked.label}, field="quotation")
        _refuse(actor, locked.can_agree(actor), "agree")
        template = AgreementTemplate.objects.filter(venue=locked.venue).order_by("-is_default", "id").first()
        if template is None:
            raise InvalidInput(str(errors.NO_TEMPLATE) % {"venue": locked.venue.code}, field="template")
        schedule_create(locked)
        agreement = Agreement.objects.create(
            quotation=locked, number=next_number(locked.venue, "agreement", fiscal_year(_today(locked.venue))),
            body=_agreement_text(locked, template), created_by=_user(actor))
        requirements = DocumentRequirement.objects.filter(venue=locked.venue, event_type__in=["", locked.event_type])
        for i, req in enumerate(requirements):
            AgreementDocument.objects.create(agreement=agreement, name_th=req.name_th, name_en=req.name_en,
                                             position=i)
        log_action(agreement, "create", actor=actor, to_state=agreement.status,
                   data={"quotation": locked.label, "documents": requirements.count()})
    return agreement


def agreement_send(agreement: Agreement, *, actor=None) -> Agreement:
    """Mark the agreement as sent to the customer for signature (its text is frozen from now on)."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _refuse(actor, locked.can_send(actor), "send")
        locked.status, locked.sent_at = AgreementStatus.SENT, timezone.now()
        locked.save()
        log_action(locked, "send", actor=actor, from_state=AgreementStatus.DRAFT, to_state=locked.status)
    return locked


def agreement_sign(agreement: Agreement, *, signed_on: date, signed_by: str, actor=None) -> Agreement:
    """Record the customer's signature: who signed and on which date."""
    if not (signed_by or "").strip():
        raise InvalidInput(_("Say who signed for the customer."), field="signed_by")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _refuse(actor, locked.can_sign(actor), "sign")
        if signed_on > _today(locked.quotation.venue):
            raise InvalidInput(_("The signing date cannot be in the future."), field="signed_on")
        locked.status, locked.signed_on, locked.signed_by = AgreementStatus.SIGNED, signed_on, signed_by[:200]
        locked.save()
        log_action(locked, "sign", actor=actor, from_state=AgreementStatus.SENT, to_state=locked.status,
                   data={"signed_on": signed_on.isoformat(), "signed_by": locked.signed_by})
    return locked


def agreement_document_mark(agreement: Agreement, document_id: int, *, received_on: date | None,
                            note: str = "", actor=None) -> AgreementDocument:
    """Tick (or untick, with no date) a required document as received."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not prepares_documents(actor):
            raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
        doc = locked.documents.filter(pk=document_id).first()
        if doc is None:
            raise InvalidInput(_("No document %(id)s on this agreement.") % {"id": document_id}, field="document")
        doc.received_on, doc.note = received_on, (note or "")[:300]
        doc.save()
        log_action(locked, "document", actor=actor, data={"document": doc.name_th, "received_on":
                                                          received_on.isoformat() if received_on else None})
    return doc


# ---------------------------------------------------------------- invoices

def _invoice_line(invoice: Invoice, position: int, draft: LineDraft) -> InvoiceLine:
    quantity = _decimal(draft.quantity, "quantity", positive=True)
    price = Decimal(str(draft.unit_price))
    if abs(quantity * price) >= MAX_LINE or quantity >= Decimal("1e7"):
        raise InvalidInput(_("A line may not exceed one billion baht."), field="unit_price")
    return InvoiceLine.objects.create(
        invoice=invoice, position=position, kind=draft.kind, description_th=draft.description_th[:300],
        description_en=draft.description_en[:300], quantity=quantity, unit_th=draft.unit_th, unit_en=draft.unit_en,
        unit_price=money(price), amount=money(quantity * price), space=draft.space, booking=draft.booking)


def _invoice_totals(invoice: Invoice, vat: Decimal | None = None) -> None:
    subtotal = money(sum((ln.amount for ln in invoice.lines.all()), ZERO))
    if subtotal < 0:
        raise InvalidInput(str(errors.NEGATIVE_TOTAL), field="lines")
    invoice.vat_rate = venue_finance(invoice.venue).effective_vat_rate
    invoice.subtotal = subtotal
    invoice.vat = money(subtotal * invoice.vat_rate / 100) if vat is None else vat
    invoice.total = invoice.subtotal + invoice.vat
    invoice.save()


def invoice_create(venue: Venue, customer: Customer, *, title: str, lines: list[LineDraft],
                   due_date: date | None = None, quotation: Quotation | None = None,
                   instalment: Instalment | None = None, actor=None, vat: Decimal | None = None) -> Invoice:
    """A draft invoice for a customer with these lines (no booking needed); issue it to number it."""
    if not Invoice.may_create(actor):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    if not lines:
        raise InvalidInput(str(errors.NO_LINES), field="lines")
    if not (title or "").strip():
        raise InvalidInput(_("Give the invoice a subject."), field="title")
    with transaction.atomic():
        invoice = Invoice.objects.create(
            venue=venue, customer=customer, title=title[:200], due_date=due_date, quotation=quotation,
            instalment=instalment, customer_class=quotation.customer_class if quotation else customer.customer_class,
            created_by=_user(actor))
        for i, draft in enumerate(lines, start=1):
            _invoice_line(invoice, i, draft)
        _invoice_totals(invoice, vat)
        log_action(invoice, "create", actor=actor, to_state=invoice.status, data={"total": str(invoice.total)})
    return invoice


def invoice_for_instalment(instalment: Instalment, *, actor=None) -> Invoice:
    """The draft invoice of a deposit or balance: the deposit as one line; the balance itemised from the
    quotation less the deposit invoiced, so the two invoices add up exactly to the quotation."""
    quotation = instalment.quotation
    existing = instalment.invoice()
    if existing is not None:
        raise ConflictError(str(errors.ALREADY_INVOICED) % {"number": existing.number or f"#{existing.pk}"},
                            field="instalment")
    if not Invoice.may_create(actor):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    net = quotation.net
    if instalment.kind == Instalment.Kind.DEPOSIT:
        deposit_net = money(net * instalment.percent / 100)
        lines = [LineDraft(kind=LineKind.OTHER, unit_price=deposit_net,
                           description_th=f"เงินมัดจำ {instalment.percent.normalize():f}% ตามใบเสนอราคา {quotation.label}"
                                          f" ({quotation.title})",
                           description_en=f"Deposit {instalment.percent.normalize():f}% of quotation {quotation.label}"
                                          f" ({quotation.title})")]
        vat = instalment.amount - deposit_net
        title = _("Deposit: %(event)s") % {"event": quotation.title}
    else:
        lines = [LineDraft(kind=ln.kind, description_th=ln.description_th, description_en=ln.description_en,
                           quantity=ln.quantity, unit_th=ln.unit_th, unit_en=ln.unit_en, unit_price=ln.unit_price,
                           space=ln.space, booking=ln.booking) for ln in quotation.lines.all()]
        vat = quotation.vat
        deposit = quotation.instalments.filter(kind=Instalment.Kind.DEPOSIT).first()
        if deposit is not None:
            invoiced = deposit.invoice()
            if invoiced is None:
                raise ConflictError(str(errors.DEPOSIT_FIRST), field="instalment")
            lines.append(LineDraft(kind=LineKind.OTHER, unit_price=-invoiced.subtotal,
                                   description_th=f"หัก เงินมัดจำตามใบแจ้งหนี้ {invoiced.number or '#' + str(invoiced.pk)}",
                                   description_en=f"Less deposit, invoice {invoiced.number or '#' + str(invoiced.pk)}"))
            vat -= invoiced.vat
        title = _("Balance: %(event)s") % {"event": quotation.title}
    return invoice_create(quotation.venue, quotation.customer, title=title, lines=lines,
                          due_date=instalment.due_date, quotation=quotation, instalment=instalment, actor=actor,
                          vat=vat)


def _locked_draft(invoice: Invoice, actor) -> Invoice:
    locked = Invoice.objects.select_for_update().select_related("venue", "customer").get(pk=invoice.pk)
    if not is_finance_officer(actor):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    if locked.status != InvoiceStatus.DRAFT:
        raise ConflictError(str(errors.ISSUED_INVOICE) % {"number": locked.number or f"#{locked.pk}"},
                            field="status")
    return locked


INVOICE_EDITABLE = {"title", "due_date"}


def invoice_update(invoice: Invoice, changes: dict[str, Any], *, actor=None) -> Invoice:
    """Change a draft's subject or due date; an issued invoice refuses (409): issue a credit note instead."""
    with transaction.atomic():
        locked = _locked_draft(invoice, actor)
        unknown = set(changes) - INVOICE_EDITABLE
        if unknown:
            raise InvalidInput(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                               field=sorted(unknown)[0])
        before = {k: str(getattr(locked, k)) for k in changes}
        for key, value in changes.items():
            setattr(locked, key, value)
        if not (locked.title or "").strip():
            raise InvalidInput(_("Give the invoice a subject."), field="title")
        locked.save()
        log_action(locked, "update", actor=actor, data={"from": before, "to": {k: str(v) for k, v in changes.items()}})
    return locked


def _bill_to(customer: Customer) -> dict[str, str]:
    return {"name_th": customer.name_th, "name_en": customer.name_en, "tax_id": customer.tax_id,
            "branch": customer.branch, "address": customer.address, "contact": customer.contact_name}


def invoice_issue(invoice: Invoice, *, actor=None) -> Invoice:
    """Issue a draft: it takes the next number of its venue and fiscal year and never changes again."""
    with transaction.atomic():
        locked = _locked_draft(invoice, actor)
        if not locked.lines.exists():
            raise InvalidInput(str(errors.NO_LINES), field="lines")
        today = _today(locked.venue)
        locked.fiscal_year = fiscal_year(today)
        locked.number = next_number(locked.venue, locked.kind, locked.fiscal_year)
        locked.status, locked.issue_date = InvoiceStatus.ISSUED, today
        locked.issued_at, locked.issued_by = timezone.now(), _user(actor)
        locked.due_date = locked.due_date or today
        locked.bill_to = _bill_to(locked.customer)
        locked.amount_in_words = baht_words(locked.total)
        locked.save()
        log_action(locked, "issue", actor=actor, from_state=InvoiceStatus.DRAFT, to_state=locked.status,
                   data={"number": locked.number, "total": str(locked.total)})
    return locked


def invoice_void(invoice: Invoice, *, reason: str = "", actor=None) -> Invoice:
    """Drop a draft that was never issued (it has no number, so nothing is skipped)."""
    with transaction.atomic():
        locked = _locked_draft(invoice, actor)
        locked.status = InvoiceStatus.VOID
        locked.save()
        log_action(locked, "void", actor=actor, from_state=InvoiceStatus.DRAFT, to_state=locked.status, reason=reason)
    return locked


def credit_note_create(invoice: Invoice, *, reason: str, amount: Any = None, actor=None) -> Invoice:
    """Correct an issued invoice: a numbered credit note for all that is left of it, or for an amount
    (VAT included), referencing the original; the customer's balance drops by the same."""
    if not (reason or "").strip():
        raise InvalidInput(str(errors.REASON_NEEDED), field="reason")
    with transaction.atomic():
        original = Invoice.objects.select_for_update().select_related("venue", "customer").get(pk=invoice.pk)
        _refuse(actor, original.can_credit(actor), "credit", finance=True)
        done = original.credit_notes.filter(status=InvoiceStatus.ISSUED)
        left_total = original.total - sum((c.total for c in done), ZERO)
        left_vat = original.vat - sum((c.vat for c in done), ZERO)
        if amount is None:
            total, vat = left_total, left_vat
        else:
            total = money(_decimal(amount, "amount", positive=True))
            vat = money(total * original.vat_rate / (100 + original.vat_rate)) if original.vat_rate else ZERO
        if total <= 0 or total > left_total:
            raise InvalidInput(str(errors.CREDIT_TOO_LARGE) % {"amount": numformat.baht(total),
                                                               "left": numformat.baht(left_total),
                                                               "number": original.number}, field="amount")
        note = Invoice.objects.create(
            venue=original.venue, customer=original.customer, kind=InvoiceKind.CREDIT_NOTE, credits=original,
            quotation=original.quotation, title=_("Credit note for %(number)s") % {"number": original.number},
            reason=reason, customer_class=original.customer_class, created_by=_user(actor))
        _invoice_line(note, 1, LineDraft(
            description_th=f"ลดหนี้ตามใบแจ้งหนี้ {original.number}: {reason}",
            description_en=f"Credit on invoice {original.number}: {reason}", unit_price=total - vat))
        note.vat_rate, note.subtotal, note.vat, note.total = original.vat_rate, total - vat, vat, total
        today = _today(original.venue)
        note.fiscal_year = fiscal_year(today)
        note.number = next_number(original.venue, "credit_note", note.fiscal_year)
        note.status, note.issue_date, note.due_date = InvoiceStatus.ISSUED, today, today
        note.issued_at, note.issued_by = timezone.now(), _user(actor)
        note.bill_to, note.amount_in_words = original.bill_to, baht_words(total)
        note.save()
        log_action(note, "issue", actor=actor, to_state=note.status, reason=reason,
                   data={"number": note.number, "credits": original.number, "total": str(total)})
        log_action(original, "credit", actor=actor, reason=reason, data={"credit_note": note.number,
                                                                          "total": str(total)})
    return note


# ---------------------------------------------------------------- payments and receipts

def payment_record(invoice: Invoice, *, amount: Any, paid_on: date, method: str, reference: str = "",
                   external_receipt_number: str = "", actor=None) -> Payment:
    """Record money received against an issued invoice (part or all of what is owed) and issue its receipt:
    numbered RC-<FY>-NNNNN, or, where receipts come from an outside government system, that system's number."""
    if method not in PaymentMethod.values:
        raise InvalidInput(_("Unknown payment method %(m)s.") % {"m": method}, field="method")
    value = money(_decimal(amount, "amount", positive=True))
    if value <= 0:
        raise InvalidInput(str(errors.NOT_POSITIVE) % {"field": "amount"}, field="amount")
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("venue").get(pk=invoice.pk)
        _refuse(actor, locked.can_record_payment(actor), "pay", finance=True)
        if paid_on > _today(locked.venue):
            raise InvalidInput(_("The payment date cannot be in the future."), field="paid_on")
        outstanding = locked.outstanding()
        if value > outstanding:
            raise InvalidInput(str(errors.OVERPAID) % {"amount": numformat.baht(value),
                                                       "outstanding": numformat.baht(outstanding),
                                                       "number": locked.number}, field="amount")
        external = venue_finance(locked.venue).external_receipts
        number = (external_receipt_number or "").strip()
        if external and not number:
            raise InvalidInput(str(errors.EXTERNAL_NUMBER_NEEDED), field="external_receipt_number")
        if external and Receipt.objects.filter(venue=locked.venue, number=number).exists():
            raise InvalidInput(str(errors.EXTERNAL_NUMBER_TAKEN) % {"number": number}, field="external_receipt_number")
        payment = Payment.objects.create(invoice=locked, amount=value, paid_on=paid_on, method=method,
                                         reference=(reference or "")[:100], recorded_by=_user(actor))
        fy = fiscal_year(paid_on)
        receipt = Receipt.objects.create(
            venue=locked.venue, payment=payment, external=external, fiscal_year=fy, issue_date=paid_on,
            number=number[:40] if external else next_number(locked.venue, "receipt", fy), amount=value,
            amount_in_words=baht_words(value), issued_by=_user(actor))
        log_action(payment, "record", actor=actor, data={"invoice": locked.number, "amount": str(value),
                                                          "method": method, "reference": payment.reference})
        log_action(receipt, "issue", actor=actor, data={"number": receipt.number, "external": external})
        log_action(locked, "payment", actor=actor, data={"amount": str(value), "receipt": receipt.number,
                                                          "outstanding": str(outstanding - value)})
    return payment


# ---------------------------------------------------------------- overdue payments

def overdue_instalments(today: date):
    """Instalments past their due date whose invoice (if any) is not paid in full."""
    out = []
    for inst in Instalment.objects.select_related("quotation__venue", "quotation__customer").filter(
            due_date__lt=today, quotation__status=QuotationStatus.ACCEPTED, lapsed_at=None):
        invoice = inst.invoice()
        owed = inst.amount if invoice is None or not invoice.is_issued else invoice.outstanding()
        if owed > 0:
            out.append(inst)
    return out


def overdue_sweep(today: date | None = None) -> dict[str, int]:
    """Remind customers of overdue instalments once; after the rule's grace days, let the event's holds
    expire through the diary's hold service so the next option is offered the dates."""
    from khuang.bookings.services import hold_expire

    today = today or timezone.localdate()
    reminded = lapsed = 0
    for inst in overdue_instalments(today):
        try:
            with transaction.atomic():
                if inst.reminded_at is None:
                    inst.reminded_at = timezone.now()
                    inst.save(update_fields=["reminded_at", "updated_at"])
                    log_action(inst.quotation, "reminder", data={"instalment": inst.kind,
                                                                 "due": inst.due_date.isoformat()})
                    transaction.on_commit(partial(_enqueue_reminder, inst.pk))
                    reminded += 1
                    continue
                rule = payment_rule(inst.quotation.venue, inst.quotation.customer_class)
                reminded_on = max(timezone.localtime(inst.reminded_at).date(), inst.due_date + timedelta(days=1))
                grace_end = reminded_on + timedelta(days=rule.grace_days)
                if not rule.release_hold_when_overdue or today < grace_end:
                    continue
                holds = list(inst.quotation.bookings.filter(status=BookingStatus.HOLD).values_list("pk", flat=True))
                for pk in holds:
                    # The hold's expiry is brought forward to now; the diary's own service lapses it and
                    # promotes the next option, exactly as when a hold runs out by itself.
                    Booking.objects.filter(pk=pk, status=BookingStatus.HOLD).update(hold_expires_at=timezone.now())
                    hold_expire(pk)
                inst.lapsed_at = timezone.now()
                inst.save(update_fields=["lapsed_at", "updated_at"])
                log_action(inst.quotation, "overdue_release", reason=_("Payment overdue."),
                           data={"instalment": inst.kind, "holds": holds})
                lapsed += 1
        except ApplicationError:
            continue  # one bad instalment must not stop the sweep
    return {"reminded": reminded, "lapsed": lapsed}


def _enqueue_reminder(instalment_id: int) -> None:
    from .tasks import send_payment_reminder

    send_payment_reminder.enqueue(instalment_id)


def promptpay_check(promptpay_id: str) -> None:
    """Refuse a PromptPay ID the QR code cannot carry (used by the settings form)."""
    from .promptpay import PromptPayIdError, payload

    try:
        payload(promptpay_id)
    except PromptPayIdError:
        raise InvalidInput(str(errors.BAD_PROMPTPAY) % {"id": promptpay_id}, field="promptpay_id") from None
