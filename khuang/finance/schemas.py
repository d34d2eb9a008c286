"""API shapes of the money chain. Amounts are decimal strings in baht ("64200.00"); dates are ISO."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StrictInt, StrictStr

from khuang.core.api import choices_of
from khuang.finance.models import PaymentMethod
from khuang.venues.models import CustomerClass

Money = Decimal
MethodName = choices_of(PaymentMethod)
CustomerClassName = choices_of(CustomerClass)
AmountIn = Decimal


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class LineIn(Strict):
    """A line: a price-list item (`item` + `quantity`) or a described line with a unit price."""

    item: StrictStr | None = Field(None, max_length=40)
    description_th: StrictStr = Field("", max_length=300)
    description_en: StrictStr = Field("", max_length=300)
    quantity: AmountIn = Field(Decimal("1"), gt=0, le=100000)
    unit_th: StrictStr = Field("", max_length=40)
    unit_en: StrictStr = Field("", max_length=40)
    unit_price: AmountIn | None = Field(None, ge=0, le=Decimal("999999999"))


class QuotationIn(Strict):
    """A new quotation: from bookings of one customer (`bookings`), or for a customer with lines."""

    bookings: list[Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]] = Field(default_factory=list, max_length=50)
    customer: StrictInt | None = None
    venue: StrictStr | None = Field(None, max_length=30)
    title: StrictStr = Field("", max_length=200)
    lines: list[LineIn] = Field(default_factory=list, max_length=200)


class DiscountIn(Strict):
    """A discount by hand: a percentage of the lines or an amount, and why."""

    reason: StrictStr = Field(min_length=1, max_length=300)
    percent: AmountIn | None = Field(None, gt=0, le=100)
    amount: AmountIn | None = Field(None, gt=0, le=Decimal("999999999"))


class ReasonIn(Strict):
    reason: StrictStr = Field("", max_length=2000)


class SignIn(Strict):
    signed_on: date
    signed_by: StrictStr = Field(min_length=1, max_length=200)


class DocumentMarkIn(Strict):
    received_on: date | None = None
    note: StrictStr = Field("", max_length=300)


class InvoiceIn(Strict):
    """A draft invoice: for an instalment of the payment schedule, or for a customer with lines."""

    instalment: StrictInt | None = None
    customer: StrictInt | None = None
    venue: StrictStr | None = Field(None, max_length=30)
    title: StrictStr = Field("", max_length=200)
    due_date: date | None = None
    lines: list[LineIn] = Field(default_factory=list, max_length=200)


class InvoicePatch(Strict):
    title: StrictStr | None = Field(None, min_length=1, max_length=200)
    due_date: date | None = None


class CreditNoteIn(Strict):
    """A credit note for all that is left of the invoice, or for an amount (VAT included)."""

    reason: StrictStr = Field(min_length=1, max_length=2000)
    amount: AmountIn | None = Field(None, gt=0, le=Decimal("999999999"))


class PaymentIn(Strict):
    amount: AmountIn = Field(gt=0, le=Decimal("999999999"))
    paid_on: date
    method: MethodName
    reference: StrictStr = Field("", max_length=100)
    external_receipt_number: StrictStr = Field("", max_length=40)


class LineOut(Schema):
    id: int
    kind: str
    description_th: str
    description_en: str
    quantity: Money
    unit_th: str
    unit_en: str
    unit_price: Money
    amount: Money
    space: str | None = None
    booking: int | None = None
    reason: str = ""


class InstalmentOut(Schema):
    id: int
    kind: str
    percent: Money
    amount: Money
    due_date: date
    invoice: str | None = None


class QuotationOut(Schema):
    """A quotation with its lines and totals; `frozen` once sent."""

    id: int
    number: str
    version: int
    label: str
    status: str
    customer: str
    customer_id: int
    title: str
    customer_class: str
    bookings: list[int]
    issue_date: date
    valid_until: date
    vat_rate: Money
    subtotal: Money
    discount_total: Money
    vat: Money
    total: Money
    frozen: bool
    lines: list[LineOut]
    instalments: list[InstalmentOut]
    agreement: int | None = None


class AgreementDocumentOut(Schema):
    id: int
    name_th: str
    name_en: str
    received_on: date | None = None
    note: str = ""


class AgreementOut(Schema):
    id: int
    number: str
    status: str
    quotation: int
    body: str
    sent_at: datetime | None = None
    signed_on: date | None = None
    signed_by: str = ""
    documents: list[AgreementDocumentOut]


class PaymentOut(Schema):
    id: int
    invoice: str
    amount: Money
    paid_on: date
    method: str
    reference: str
    receipt: str


class InvoiceOut(Schema):
    """An invoice or credit note; `number` is empty until issued."""

    id: int
    kind: str
    status: str
    number: str
    fiscal_year: int | None = None
    customer: str
    customer_id: int
    title: str
    reason: str = ""
    credits: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    vat_rate: Money
    subtotal: Money
    vat: Money
    total: Money
    amount_in_words: str
    paid: Money
    credited: Money
    outstanding: Money
    lines: list[LineOut]
    payments: list[PaymentOut]


class BalanceOut(Schema):
    customer: str
    invoiced: Money
    credited: Money
    paid: Money
    balance: Money


class AgedRowOut(Schema):
    customer: str
    customer_id: int
    buckets: dict[str, Money]
    total: Money


class AgedOut(Schema):
    today: date
    buckets: list[str]
    rows: list[AgedRowOut]
    totals: dict[str, Money]
    total: Money


class RevenueRowOut(Schema):
    label: str
    received: Money
    booked: Money


class RevenueSpaceOut(Schema):
    code: str
    name: str
    received: Money
    booked: Money


class RevenueClassOut(Schema):
    key: str
    label: str
    received: Money
    booked: Money


class RevenueOut(Schema):
    """Revenue of a fiscal year before VAT: received (payments less credit notes) and booked (accepted)."""

    fiscal_year: int
    received: Money
    booked: Money
    months: list[RevenueRowOut]
    by_space: list[RevenueSpaceOut]
    by_class: list[RevenueClassOut]


class RevenueQuery(Schema):
    fiscal_year: StrictStr = Field(max_length=10)
    venue: StrictStr | None = Field(None, max_length=30)
