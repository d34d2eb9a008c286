"""The money chain's rules, service by service: prices, versions, schedule, numbering, credit notes, balance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.models import audit_trail
from khuang.finance import services
from khuang.finance.models import (
    AgreementStatus,
    DiscountRule,
    Instalment,
    InvoiceStatus,
    QuotationStatus,
    Receipt,
    VenueFinance,
)
from khuang.finance.selectors import aged_receivables, customer_balance
from khuang.venues.models import RateCard

pytestmark = pytest.mark.django_db


def _accepted(event_booking, actor):
    q = services.quotation_from_bookings([event_booking], actor=actor)
    q = services.quotation_send(q, actor=actor)
    return services.quotation_accept(q, actor=actor)


def test_quotation_prices_rental_from_rate_card_for_class_with_vat(event_booking, staff_user):
    q = services.quotation_from_bookings([event_booking], actor=staff_user)
    rental = q.lines.get(kind="rental")
    assert (rental.quantity, rental.unit_price, rental.amount) == (Decimal("2"), Decimal("30000.00"),
                                                                   Decimal("60000.00"))
    assert q.number.startswith("QT-25") and q.status == QuotationStatus.DRAFT
    assert (q.subtotal, q.vat, q.total) == (Decimal("60000.00"), Decimal("4200.00"), Decimal("64200.00"))


def test_half_day_and_extras_and_discount_rule(hall, create_booking, staff_user, soon, customer_agency, money_venue):
    DiscountRule.objects.create(venue=money_venue, name_th="ราชการ", name_en="Government", percent=10,
                                customer_class="government")
    b = create_booking(space=hall, start=soon + timedelta(days=40), hours=3, customer_class="government",
                       agency=customer_agency, title="ประชุม")
    q = services.quotation_from_bookings([b], actor=staff_user)
    assert q.lines.get(kind="rental").unit_price == Decimal("12000.00")        # half day, government card
    assert q.lines.get(kind="discount").amount == Decimal("-1200.00")          # the rule, 10 %
    q = services.quotation_add_extra(q, "projector", 2, actor=staff_user)
    assert q.subtotal == Decimal("15000.00") and q.discount_total == Decimal("1200.00")
    assert q.total == Decimal("14766.00")                                     # 13,800 + 7 % VAT


def test_hand_discount_needs_reason(event_booking, staff_user):
    q = services.quotation_from_bookings([event_booking], actor=staff_user)
    with pytest.raises(ApplicationError) as err:
        services.quotation_add_discount(q, reason=" ", amount=1000, actor=staff_user)
    assert err.value.field == "reason"
    q = services.quotation_add_discount(q, reason="ลูกค้าประจำ", percent=5, actor=staff_user)
    assert q.discount_total == Decimal("3000.00")
    assert audit_trail(q).filter(action="discount", reason="ลูกค้าประจำ").exists()


def test_no_rate_card_on_the_event_dates_is_named(event_booking, staff_user):
    RateCard.objects.all().update(valid_to=date.today())
    with pytest.raises(ApplicationError) as err:
        services.quotation_from_bookings([event_booking], actor=staff_user)
    assert err.value.field == "bookings" and "HALL-A" in err.value.message


def test_sent_quotation_is_frozen_and_rate_change_does_not_move_it(event_booking, staff_user):
    q = services.quotation_send(services.quotation_from_bookings([event_booking], actor=staff_user),
                                actor=staff_user)
    RateCard.objects.all().update(full_day_thb=99999, half_day_thb=55555)
    q.refresh_from_db()
    assert q.total == Decimal("64200.00")
    assert list(q.lines.values_list("unit_price", flat=True)) == [Decimal("30000.00")]
    with pytest.raises(ConflictError):
        services.quotation_add_extra(q, "projector", 1, actor=staff_user)
    v2 = services.quotation_revise(q, actor=staff_user)
    assert (v2.number, v2.version, v2.total) == (q.number, 2, Decimal("64200.00"))  # same prices, new version
    services.quotation_send(v2, actor=staff_user)
    q.refresh_from_db()
    assert q.status == QuotationStatus.SUPERSEDED


def test_schedule_by_customer_class_rule(event_booking, staff_user):
    q = _accepted(event_booking, staff_user)
    deposit, balance = q.instalments.order_by("due_date")
    assert deposit.kind == "deposit" and deposit.amount == Decimal("19260.00")    # 30 % of 64,200
    assert balance.amount == Decimal("44940.00")
    move_in = timezone.localtime(event_booking.occupied_start).date()
    assert balance.due_date == move_in - timedelta(days=7)
    assert deposit.due_date == timezone.localdate() + timedelta(days=7)


def test_agreement_checklist_and_signed_agreement_rule_for_confirmation(event_booking, staff_user):
    from khuang.bookings.services import booking_confirm

    q = _accepted(event_booking, staff_user)
    with pytest.raises(ConflictError) as err:
        booking_confirm(event_booking, actor=staff_user)
    assert "agreement" in err.value.message.lower() or "สัญญา" in err.value.message
    agreement = services.agreement_create(q, actor=staff_user)
    assert "งานแสดงสินค้าทดสอบ" in agreement.body and "หกหมื่นสี่พันสองร้อยบาทถ้วน" in agreement.body
    assert [d.name_th for d in agreement.documents.all()] == ["หนังสือขอใช้สถานที่", "กรมธรรม์ประกันภัย"]
    services.agreement_send(agreement, actor=staff_user)
    agreement = services.agreement_sign(agreement, signed_on=timezone.localdate(), signed_by="นายทดสอบ",
                                        actor=staff_user)
    assert agreement.status == AgreementStatus.SIGNED
    assert booking_confirm(event_booking, actor=staff_user).status == "confirmed"


def test_invoices_numbered_consecutively_per_fiscal_year(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    deposit = q.instalments.get(kind="deposit")
    with pytest.raises(PermissionDeniedError):
        services.invoice_for_instalment(deposit, actor=staff_user)      # staff do not issue invoices
    inv = services.invoice_issue(services.invoice_for_instalment(deposit, actor=finance_user), actor=finance_user)
    fy = inv.fiscal_year
    assert inv.number == f"INV-{fy}-00001" and inv.total == Decimal("19260.00")
    assert inv.amount_in_words == "หนึ่งหมื่นเก้าพันสองร้อยหกสิบบาทถ้วน"
    balance = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="balance"),
                                                                     actor=finance_user), actor=finance_user)
    assert balance.number == f"INV-{fy}-00002"
    assert inv.total + balance.total == q.total and inv.vat + balance.vat == q.vat


def test_issued_invoice_cannot_change(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    with pytest.raises(ConflictError):
        services.invoice_update(inv, {"title": "changed"}, actor=finance_user)
    with pytest.raises(ConflictError):
        services.invoice_issue(inv, actor=finance_user)


def test_credit_note_reverses_invoice_and_balance_follows(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    assert customer_balance(inv.customer)["balance"] == Decimal("19260.00")
    services.payment_record(inv, amount="5000", paid_on=timezone.localdate(), method="transfer",
                            reference="TX1", actor=finance_user)
    assert customer_balance(inv.customer)["balance"] == Decimal("14260.00")
    with pytest.raises(ApplicationError):
        services.credit_note_create(inv, reason="", actor=finance_user)
    note = services.credit_note_create(inv, reason="ออกใบแจ้งหนี้ซ้ำ", actor=finance_user)
    assert note.number == f"CN-{note.fiscal_year}-00001" and note.credits == inv
    assert note.total == Decimal("19260.00") and note.vat == inv.vat
    balance = customer_balance(inv.customer)
    assert balance["credited"] == Decimal("19260.00") and balance["balance"] == Decimal("-5000.00")  # in credit
    inv.refresh_from_db()
    assert inv.outstanding() == Decimal("-5000.00")
    with pytest.raises(ApplicationError):
        services.credit_note_create(inv, reason="again", actor=finance_user)  # nothing left to credit


def test_partial_payments_receipts_and_overpayment_refused(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    today = timezone.localdate()
    p1 = services.payment_record(inv, amount="10000.00", paid_on=today, method="promptpay", actor=finance_user)
    p2 = services.payment_record(inv, amount="9260.00", paid_on=today, method="cash", actor=finance_user)
    assert [p1.receipt.number[-5:], p2.receipt.number[-5:]] == ["00001", "00002"]
    assert p1.receipt.amount_in_words == "หนึ่งหมื่นบาทถ้วน"
    with pytest.raises(ApplicationError) as err:
        services.payment_record(inv, amount="0.01", paid_on=today, method="cash", actor=finance_user)
    assert err.value.field == "amount"
    assert inv.outstanding() == 0


def test_external_receipt_numbers(event_booking, staff_user, finance_user, money_venue):
    VenueFinance.objects.filter(venue=money_venue).update(external_receipts=True)
    q = _accepted(event_booking, staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    with pytest.raises(ApplicationError) as err:
        services.payment_record(inv, amount="100", paid_on=timezone.localdate(), method="government",
                                actor=finance_user)
    assert err.value.field == "external_receipt_number"
    p = services.payment_record(inv, amount="100", paid_on=timezone.localdate(), method="government",
                                external_receipt_number="e-GP 6700123", actor=finance_user)
    assert p.receipt.number == "e-GP 6700123" and p.receipt.external
    assert not Receipt.objects.filter(number__startswith="RC-").exists()


def test_generic_lines_without_booking(money_venue, finance_user, staff_user):
    """Booth fees at a fair: a customer, lines, no booking."""
    customer = services.Customer.objects.create(name_th="ร้านเซรามิก", customer_class="private")
    lines = [services.LineDraft(description_th="ค่าบูธ A12", unit_price=Decimal("3500"), quantity=Decimal("2"))]
    q = services.quotation_create(money_venue, customer, title="งานแฟร์", lines=lines, actor=staff_user)
    assert q.total == Decimal("7490.00") and not q.bookings.exists()
    inv = services.invoice_issue(services.invoice_create(money_venue, customer, title="ค่าบูธ", lines=lines,
                                                         actor=finance_user), actor=finance_user)
    assert inv.total == Decimal("7490.00") and inv.status == InvoiceStatus.ISSUED


def test_overdue_reminds_then_lets_the_hold_expire_and_promotes_next_option(
        event_booking, staff_user, create_booking, mailoutbox, django_capture_on_commit_callbacks):
    from django.test import override_settings

    from khuang.bookings.models import Booking

    second = create_booking(space=event_booking.space, start=event_booking.start, hours=32, status="hold",
                            title="second option", customer_class="private")
    assert second.option_rank == 2
    q = _accepted(event_booking, staff_user)
    deposit = q.instalments.get(kind="deposit")
    later = deposit.due_date + timedelta(days=1)
    immediate = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=immediate), django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_sweep(later) == {"reminded": 1, "lapsed": 0}
    assert any("buyer@example.org" in m.to for m in mailoutbox)
    assert services.overdue_sweep(later) == {"reminded": 0, "lapsed": 0}      # inside the grace days
    with django_capture_on_commit_callbacks(execute=True):
        assert services.overdue_sweep(later + timedelta(days=3)) == {"reminded": 0, "lapsed": 1}
    assert Booking.objects.get(pk=event_booking.pk).status == "cancelled"
    assert Booking.objects.get(pk=second.pk).option_rank == 1                 # the next option was promoted
    assert Instalment.objects.get(pk=deposit.pk).lapsed_at is not None


def test_aged_receivables(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    report = aged_receivables(finance_user, today=inv.due_date + timedelta(days=45))
    assert report["totals"]["31_60"] == Decimal("19260.00") and report["total"] == Decimal("19260.00")
    with pytest.raises(PermissionDeniedError):
        aged_receivables(None)


def test_every_money_change_is_audited(event_booking, staff_user, finance_user):
    q = _accepted(event_booking, staff_user)
    assert {e.action for e in audit_trail(q)} >= {"create", "send", "accept"}
    inv = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                 actor=finance_user), actor=finance_user)
    pay = services.payment_record(inv, amount="100", paid_on=timezone.localdate(), method="cash", actor=finance_user)
    assert [e.action for e in audit_trail(inv)] == ["create", "issue", "payment"]
    assert audit_trail(inv).get(action="issue").actor == finance_user
    assert audit_trail(pay).filter(action="record").exists() and audit_trail(pay.receipt).exists()


def test_a_failed_issue_gives_its_number_back(money_venue, finance_user, monkeypatch):
    """The number is taken inside the issuing transaction: if issuing fails after it, nothing is skipped."""
    customer = services.Customer.objects.create(name_th="ลูกค้า", customer_class="private")
    lines = [services.LineDraft(description_th="ค่าบริการ", unit_price=Decimal("100"))]
    first = services.invoice_create(money_venue, customer, title="a", lines=lines, actor=finance_user)
    second = services.invoice_create(money_venue, customer, title="b", lines=lines, actor=finance_user)

    def broken(amount):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(services, "baht_words", broken)
    with pytest.raises(RuntimeError):
        services.invoice_issue(first, actor=finance_user)
    monkeypatch.undo()
    first.refresh_from_db()
    assert first.status == InvoiceStatus.DRAFT and first.number == ""
    issued = services.invoice_issue(second, actor=finance_user)
    assert issued.number.endswith("-00001")


def test_demo_is_idempotent(db):
    from khuang.accounts import demo as agencies
    from khuang.finance import demo
    from khuang.finance.models import Invoice, Payment, Quotation
    from khuang.venues import demo as venues

    agencies.load()
    venues.load()
    demo.load()
    counts = (Quotation.objects.count(), Invoice.objects.count(), Payment.objects.count())
    assert counts[0] == 3 and counts[1] >= 2 and counts[2] >= 2
    demo.load()
    assert (Quotation.objects.count(), Invoice.objects.count(), Payment.objects.count()) == counts
