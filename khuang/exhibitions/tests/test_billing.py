"""Booth fees in the money chain: a quotation per exhibitor, deposit and balance, numbered invoices the exhibitor
opens from its private page, and billed booths kept in place by the optimizer."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from khuang.core.errors import ConflictError, PermissionDeniedError
from khuang.exhibitions import billing, services
from khuang.finance import services as finance
from khuang.finance.models import Instalment

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_officer(create_user):
    return create_user("finance-officer", role="finance_officer")


@pytest.fixture
def reserved(exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "Indra Ceramic", category="sme")
    services.claim_reserve(exhibition, "A11", app, actor=staff_user)  # corner, SME: 8,000
    services.claim_reserve(exhibition, "A12", app, actor=staff_user)  # standard, SME: 6,000
    return app


def test_billing_makes_a_quotation_per_booth_with_the_exhibitions_deposit_and_balance(reserved, staff_user):
    quotation = billing.booth_fees_bill(reserved, actor=staff_user)
    assert quotation.status == "accepted" and quotation.customer.name_th == "Indra Ceramic"
    assert quotation.customer.customer_class == "private"
    assert [line.description_en.split(" (")[0] for line in quotation.lines.all()] == ["Booth A11", "Booth A12"]
    assert quotation.total == Decimal("14000.00") and not quotation.bookings.exists()
    deposit = quotation.instalments.get(kind="deposit")
    balance = quotation.instalments.get(kind="balance")
    assert (deposit.percent, deposit.amount, balance.amount) == (Decimal("50"), Decimal("7000.00"),
                                                                 Decimal("7000.00"))
    move_in = timezone.localtime(reserved.exhibition.booking.occupied_start).date()
    assert balance.due_date == move_in - timedelta(days=reserved.exhibition.balance_due_days)
    assert deposit.due_date <= balance.due_date
    reserved.refresh_from_db()
    assert reserved.quotation == quotation
    with pytest.raises(ConflictError, match=quotation.number):
        billing.booth_fees_bill(reserved, actor=staff_user)


def test_only_staff_and_finance_bill_and_only_finance_issues_invoices(reserved, people, staff_user,
                                                                     finance_officer):
    for who in ("planner", "viewer", "other"):
        with pytest.raises(PermissionDeniedError):
            billing.booth_fees_bill(reserved, actor=people[who])
    billing.booth_fees_bill(reserved, actor=finance_officer)
    reserved.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        billing.booth_invoice_issue(reserved, "deposit", actor=staff_user)
    invoice = billing.booth_invoice_issue(reserved, "deposit", actor=finance_officer)
    assert invoice.number.startswith("INV-") and invoice.total == Decimal("7000.00")


def test_deposit_then_balance_invoices_add_up_and_payments_reduce_what_is_owed(reserved, staff_user,
                                                                              finance_officer):
    billing.booth_fees_bill(reserved, actor=staff_user)
    reserved.refresh_from_db()
    with pytest.raises(ConflictError):  # the deposit is invoiced first
        billing.booth_invoice_issue(reserved, "balance", actor=finance_officer)
    deposit = billing.booth_invoice_issue(reserved, "deposit", actor=finance_officer)
    finance.payment_record(deposit, amount=Decimal("7000"), paid_on=date.today(), method="transfer",
                           actor=finance_officer)
    balance = billing.booth_invoice_issue(reserved, "balance", actor=finance_officer)
    assert deposit.total + balance.total == reserved.quotation.total
    money = billing.exhibitor_money(reserved)
    rows = {i["kind"]: i for i in money["instalments"]}
    assert rows["deposit"]["invoice"] == deposit and rows["deposit"]["outstanding"] == Decimal("0")
    assert rows["balance"]["outstanding"] == Decimal("7000.00")
    assert money["balance"]["balance"] == Decimal("7000.00")


def test_the_exhibitor_opens_its_own_invoice_pdf_and_no_other(client, reserved, exhibition, apply_to, staff_user,
                                                              finance_officer):
    billing.booth_fees_bill(reserved, actor=staff_user)
    reserved.refresh_from_db()
    invoice = billing.booth_invoice_issue(reserved, "deposit", actor=finance_officer)
    page = client.get(f"/exhibitor/{reserved.token}/?lang=th")
    assert page.status_code == 200 and invoice.number in page.content.decode()
    pdf = client.get(f"/exhibitor/{reserved.token}/invoices/{invoice.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    stranger = apply_to(exhibition, "Stranger")
    assert client.get(f"/exhibitor/{stranger.token}/invoices/{invoice.pk}.pdf").status_code == 404
    api = client.get(f"/api/exhibitor/{reserved.token}").json()
    assert api["bill"]["instalments"][0]["invoice"] == invoice.number


def test_billed_booths_stay_where_they_are_when_the_optimizer_runs_again(reserved, exhibition, apply_to,
                                                                        staff_user):
    billing.booth_fees_bill(reserved, actor=staff_user)
    apply_to(exhibition, "Newcomer", booths_wanted=2)
    run = services.run_start(exhibition, actor=staff_user, time_limit=5, run_now=True)
    assert sorted(run.result["assignments"][str(reserved.pk)]) == ["A11", "A12"]
    assert run.explanations[str(reserved.pk)]["reason"] == "pinned"


def test_a_schedule_without_deposit_when_the_exhibition_asks_none(reserved, staff_user):
    services.exhibition_update(reserved.exhibition, {"deposit_pct": Decimal("0")}, actor=staff_user)
    reserved.refresh_from_db()
    quotation = billing.booth_fees_bill(reserved, actor=staff_user)
    assert list(quotation.instalments.values_list("kind", flat=True)) == [Instalment.Kind.BALANCE]
