"""The money chain: quotation → hire agreement → payment schedule → invoices, payments and receipts.

Documents are numbered per venue and Buddhist-Era fiscal year (`INV-2570-00042`) from a counter row locked in
the issuing transaction, so numbers never repeat or skip. Once sent (a quotation) or issued (an invoice, a
credit note, a receipt) a document is frozen: its lines hold their own prices and a later rate-card change
cannot move them; a mistake on an invoice is corrected by a credit note that references it.

Permissions are predicates on the documents (`can_view`, `can_edit`, …) and querysets `visible_to(user)`:
center staff prepare quotations and agreements; finance officers also issue invoices, record payments and
credit notes; agency planners see their own agency's documents only; executives read the revenue reports; agency
viewers and people without an agency have no finance pages.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from khuang.accounts import roles
from khuang.accounts.models import Agency
from khuang.accounts.roles import Ability
from khuang.bookings.models import Booking
from khuang.core.models import ActivityType, TimeStampedModel
from khuang.venues.models import CustomerClass, Space, Venue, _pick

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def money(value) -> Decimal:
    """A baht amount rounded half-up to satang."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- who may do what

def is_finance_officer(user) -> bool:
    """Finance officers (and superusers) issue invoices, record payments and credit notes."""
    return roles.has(user, Ability.MANAGE_MONEY)


def is_center_staff(user) -> bool:
    return roles.has(user, Ability.MANAGE_CENTER)


def prepares_documents(user) -> bool:
    """Center staff and finance officers prepare quotations and agreements."""
    return is_center_staff(user) or is_finance_officer(user)


def reads_money_reports(user) -> bool:
    """Revenue reports: whoever reads the center's reports (staff, finance officers, executives)."""
    return roles.has(user, Ability.READ_REPORTS)


def uses_finance_pages(user) -> bool:
    """Who has finance pages: preparers, report readers and planners (their own agency's documents)."""
    return prepares_documents(user) or reads_money_reports(user) or _planner_agency(user) is not None


def _planner_agency(user) -> int | None:
    """The agency whose documents a planner may see (and accept)."""
    return roles.own_agency_id(user, Ability.BOOK_OWN_AGENCY)


class CustomerScopedQuerySet(models.QuerySet):
    """Documents of a customer: everything for staff and finance, the own agency's for a planner."""

    customer_path = "customer__agency_id"

    def visible_to(self, user):
        if prepares_documents(user):
            return self
        agency_id = _planner_agency(user)
        if agency_id is None:
            return self.none()
        return self.filter(**{self.customer_path: agency_id})


# ---------------------------------------------------------------- settings and price lists

class VenueFinance(TimeStampedModel):
    """A venue's money settings: VAT, PromptPay, letterhead, and whether receipts come from an outside system."""

    venue = models.OneToOneField(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="finance")
    legal_name_th = models.CharField(_("legal name (Thai)"), max_length=200)
    legal_name_en = models.CharField(_("legal name (English)"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax ID"), max_length=13, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    vat_registered = models.BooleanField(_("VAT registered"), default=False)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=Decimal("7.00"),
                                   validators=[MinValueValidator(0), MaxValueValidator(100)])
    promptpay_id = models.CharField(
        _("PromptPay ID"), max_length=20, blank=True,
        help_text=_("Mobile number (10 digits) or tax / national ID (13 digits); empty: no QR code."))
    bank_account = models.CharField(_("bank account for transfers"), max_length=200, blank=True)
    external_receipts = models.BooleanField(
        _("receipts come from an outside government system"), default=False,
        help_text=_("Staff then record that system's receipt number instead of Khuang numbering receipts."))
    quotation_valid_days = models.PositiveIntegerField(_("quotations valid for (days)"), default=30)
    signatory_th = models.CharField(_("signs for the venue (Thai)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("venue finance settings")
        verbose_name_plural = _("venue finance settings")

    def __str__(self) -> str:
        return self.legal_name_th

    @property
    def legal_name(self) -> str:
        return _pick(self.legal_name_th, self.legal_name_en)

    @property
    def effective_vat_rate(self) -> Decimal:
        return self.vat_rate if self.vat_registered else ZERO


class PriceItem(TimeStampedModel):
    """An extra from the venue's price list: equipment, electricity per booth, cleaning, staff overtime."""

    class Category(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        ELECTRICITY = "electricity", _("Electricity")
        CLEANING = "cleaning", _("Cleaning")
        STAFF = "staff", _("Staff overtime")
        BOOTH = "booth", _("Booth")
        OTHER = "other", _("Other")

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="price_items")
    code = models.SlugField(_("code"), max_length=40)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    unit_th = models.CharField(_("unit (Thai)"), max_length=40, default="หน่วย")
    unit_en = models.CharField(_("unit (English)"), max_length=40, default="unit")
    unit_price = models.DecimalField(_("unit price (THB)"), max_digits=12, decimal_places=2,
                                     validators=NON_NEGATIVE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["venue", "category", "code"]
        constraints = [models.UniqueConstraint(fields=["venue", "code"], name="price_item_code_unique")]
        verbose_name = _("price-list item")
        verbose_name_plural = _("price list")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    @property
    def unit(self) -> str:
        return _pick(self.unit_th, self.unit_en)


class DiscountRule(TimeStampedModel):
    """A discount on space rental given automatically when a quotation matches it (the best one applies)."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE,
                              related_name="discount_rules")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices,
                                      blank=True, help_text=_("Empty: any customer class."))
    event_type = models.CharField(_("activity type"), max_length=20, choices=ActivityType.choices, blank=True,
                                  help_text=_("Empty: any activity type."))
    min_days = models.PositiveIntegerField(_("from this many rental days"), null=True, blank=True)
    percent = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["venue", "-percent"]
        verbose_name = _("discount rule")
        verbose_name_plural = _("discount rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.percent} %)"

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)


class PaymentRule(TimeStampedModel):
    """How a customer class pays: deposit share and due date, balance before move-in, what overdue means."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE,
                              related_name="payment_rules")
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices)
    deposit_pct = models.DecimalField(_("deposit (%)"), max_digits=5, decimal_places=2, default=Decimal("30"),
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    deposit_due_days = models.PositiveIntegerField(_("deposit due (days after acceptance)"), default=7)
    balance_due_days_before = models.PositiveIntegerField(_("balance due (days before move-in)"), default=7)
    release_hold_when_overdue = models.BooleanField(
        _("let the hold expire when a payment is overdue"), default=True,
        help_text=_("The next option on those dates is then offered the space."))
    grace_days = models.PositiveIntegerField(_("grace after the reminder (days)"), default=3)
    agreement_required_to_confirm = models.BooleanField(
        _("confirming a booking needs a signed agreement"), default=False)

    class Meta:
        ordering = ["venue", "customer_class"]
        constraints = [models.UniqueConstraint(fields=["venue", "customer_class"], name="payment_rule_unique")]
        verbose_name = _("payment rule")
        verbose_name_plural = _("payment rules")

    def __str__(self) -> str:
        return f"{self.venue.code} {self.customer_class}: {self.deposit_pct} %"


class DocumentRequirement(TimeStampedModel):
    """A document the customer must hand in for an activity type (request letter, insurance, permits)."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE,
                              related_name="document_requirements")
    event_type = models.CharField(_("activity type"), max_length=20, choices=ActivityType.choices, blank=True,
                                  help_text=_("Empty: every activity type."))
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["venue", "position", "id"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)


class AgreementTemplate(TimeStampedModel):
    """The hire agreement's text (Thai), a Django template filled with the event's details."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE,
                              related_name="agreement_templates")
    name = models.CharField(_("name"), max_length=200)
    body_th = models.TextField(
        _("text (Thai)"),
        help_text=_("Placeholders: {{ customer }}, {{ venue }}, {{ event }}, {{ spaces }}, {{ dates }}, "
                    "{{ total }}, {{ total_words }}, {{ deposit }}, {{ deposit_due }}, {{ balance_due }}."))
    is_default = models.BooleanField(_("default"), default=True)

    class Meta:
        ordering = ["venue", "-is_default", "name"]
        verbose_name = _("agreement template")
        verbose_name_plural = _("agreement templates")

    def __str__(self) -> str:
        return self.name


class DocumentCounter(models.Model):
    """The last number used for one kind of document at one venue in one fiscal year; locked while issuing."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4)
    fiscal_year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["venue", "kind", "fiscal_year"], name="doc_counter_unique")]
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")

    def __str__(self) -> str:
        return f"{self.venue_id} {self.kind}-{self.fiscal_year}: {self.last_number}"


# ---------------------------------------------------------------- customers

class CustomerQuerySet(models.QuerySet):
    def visible_to(self, user):
        if prepares_documents(user):
            return self
        agency_id = _planner_agency(user)
        return self.filter(agency_id=agency_id) if agency_id is not None else self.none()


class Customer(TimeStampedModel):
    """Who is billed: an agency (one customer per agency) or an outside organiser or exhibitor."""

    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    agency = models.OneToOneField(Agency, verbose_name=_("agency"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="customer")
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices,
                                      default=CustomerClass.GOVERNMENT)
    tax_id = models.CharField(_("tax ID"), max_length=13, blank=True)
    branch = models.CharField(_("branch"), max_length=60, blank=True)
    address = models.TextField(_("address"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)

    def can_view(self, user) -> bool:
        return prepares_documents(user) or (
            _planner_agency(user) is not None and _planner_agency(user) == self.agency_id)


# ---------------------------------------------------------------- quotations

class QuotationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    SUPERSEDED = "superseded", _("Superseded")
    REJECTED = "rejected", _("Rejected")


class QuotationQuerySet(CustomerScopedQuerySet):
    pass


class Quotation(TimeStampedModel):
    """A priced offer for an event (one or several bookings of one customer, or none: booth fees).

    Versions share `number`; a sent version is frozen, and a change makes the next version.
    """

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="quotations")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="quotations")
    number = models.CharField(_("number"), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="next_version")
    title = models.CharField(_("event"), max_length=200)
    event_type = models.CharField(_("activity type"), max_length=20, choices=ActivityType.choices,
                                  default=ActivityType.OTHER)
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices)
    bookings = models.ManyToManyField(Booking, verbose_name=_("bookings"), blank=True, related_name="quotations")
    status = models.CharField(_("status"), max_length=20, choices=QuotationStatus.choices,
                              default=QuotationStatus.DRAFT, db_index=True)
    issue_date = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"))
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    subtotal = models.DecimalField(_("subtotal"), max_digits=14, decimal_places=2, default=ZERO)
    discount_total = models.DecimalField(_("discounts"), max_digits=14, decimal_places=2, default=ZERO)
    vat = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=ZERO)
    notes = models.TextField(_("notes"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = QuotationQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["venue", "number", "version"], name="quotation_version_unique")]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number} v{self.version}" if self.version > 1 else self.number

    @property
    def is_frozen(self) -> bool:
        return self.status != QuotationStatus.DRAFT

    @property
    def net(self) -> Decimal:
        """Amount before VAT (subtotal less discounts)."""
        return self.subtotal - self.discount_total

    def can_view(self, user) -> bool:
        return prepares_documents(user) or (
            _planner_agency(user) is not None and _planner_agency(user) == self.customer.agency_id)

    def can_edit(self, user) -> bool:
        return prepares_documents(user) and self.status == QuotationStatus.DRAFT

    def can_send(self, user) -> bool:
        return self.can_edit(user)

    @staticmethod
    def may_create(user) -> bool:
        """May `user` draft a quotation at all (whatever customer or bookings it names)? Preparers only."""
        return prepares_documents(user)

    def can_accept(self, user) -> bool:
        """Staff record the customer's acceptance; a planner may accept their own agency's quotation (`can_view`
        lets a planner see only that agency's, and agency viewers none)."""
        return self.status == QuotationStatus.SENT and self.can_view(user)

    def can_revise(self, user) -> bool:
        return prepares_documents(user) and self.status == QuotationStatus.SENT

    def can_agree(self, user) -> bool:
        return prepares_documents(user) and self.status == QuotationStatus.ACCEPTED


class LineKind(models.TextChoices):
    RENTAL = "rental", _("Space rental")
    EXTRA = "extra", _("Extra")
    DISCOUNT = "discount", _("Discount")
    OTHER = "other", _("Other")


class LineFields(models.Model):
    """What a quotation line and an invoice line share: a described quantity at a unit price."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices, default=LineKind.OTHER)
    description_th = models.CharField(_("description (Thai)"), max_length=300)
    description_en = models.CharField(_("description (English)"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit_th = models.CharField(_("unit (Thai)"), max_length=40, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=40, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    @property
    def description(self) -> str:
        return _pick(self.description_th, self.description_en)

    @property
    def unit(self) -> str:
        return _pick(self.unit_th, self.unit_en)


class QuotationLine(LineFields):
    """One priced line of a quotation; the price is its own, copied from the rate card or price list."""

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    rate_card = models.ForeignKey("venues.RateCard", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    price_item = models.ForeignKey(PriceItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    discount_rule = models.ForeignKey(DiscountRule, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta(LineFields.Meta):
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")

    def __str__(self) -> str:
        return f"{self.description_th} {self.amount}"


# ---------------------------------------------------------------- agreements

class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    SIGNED = "signed", _("Signed")
    CANCELLED = "cancelled", _("Cancelled")


class AgreementQuerySet(CustomerScopedQuerySet):
    customer_path = "quotation__customer__agency_id"


class Agreement(TimeStampedModel):
    """The hire agreement of an accepted quotation: text filled from a template, checklist, signature."""

    quotation = models.OneToOneField(Quotation, verbose_name=_("quotation"), on_delete=models.PROTECT,
                                     related_name="agreement")
    number = models.CharField(_("number"), max_length=30)
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT, db_index=True)
    body = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_by = models.CharField(_("signed by (customer)"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("hire agreement")
        verbose_name_plural = _("hire agreements")

    def __str__(self) -> str:
        return self.number

    @property
    def customer(self) -> Customer:
        return self.quotation.customer

    def can_view(self, user) -> bool:
        return self.quotation.can_view(user)

    def can_manage(self, user) -> bool:
        return prepares_documents(user) and self.status not in (AgreementStatus.SIGNED, AgreementStatus.CANCELLED)

    def can_send(self, user) -> bool:
        return prepares_documents(user) and self.status == AgreementStatus.DRAFT

    def can_sign(self, user) -> bool:
        return prepares_documents(user) and self.status == AgreementStatus.SENT


class AgreementDocument(models.Model):
    """One required document of an agreement's checklist, and whether it has come in."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")

    def __str__(self) -> str:
        return self.name_th

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)


# ---------------------------------------------------------------- payment schedule

class Instalment(TimeStampedModel):
    """A payment the schedule asks for: the deposit or the balance, with its due date and its invoice."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        BALANCE = "balance", _("Balance")

    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="instalments")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("due date"))
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("hold released for non-payment"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["quotation", "kind"], name="instalment_kind_unique")]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")

    def __str__(self) -> str:
        return f"{self.quotation} {self.kind} {self.amount}"

    def invoice(self):
        """The instalment's issued (or draft) invoice, if any."""
        return self.invoices.filter(kind=InvoiceKind.INVOICE).exclude(status=InvoiceStatus.VOID).first()


# ---------------------------------------------------------------- invoices, credit notes, payments, receipts

class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    VOID = "void", _("Void (never issued)")


class InvoiceQuerySet(CustomerScopedQuerySet):
    def issued(self):
        return self.filter(status=InvoiceStatus.ISSUED)


class Invoice(TimeStampedModel):
    """An invoice or a credit note. A draft has no number; issuing numbers it and freezes it for good."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="invoices")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="invoices")
    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    status = models.CharField(_("status"), max_length=20, choices=InvoiceStatus.choices,
                              default=InvoiceStatus.DRAFT, db_index=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"), null=True, blank=True)
    quotation = models.ForeignKey(Quotation, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="invoices")
    instalment = models.ForeignKey(Instalment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="invoices")
    credits = models.ForeignKey("self", verbose_name=_("corrects invoice"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="credit_notes")
    title = models.CharField(_("subject"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    issue_date = models.DateField(_("date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    customer_class = models.CharField(_("customer class"), max_length=20, choices=CustomerClass.choices)
    # The customer as billed, copied when issued: a later change of address does not alter the document.
    bill_to = models.JSONField(default=dict, blank=True)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    subtotal = models.DecimalField(_("amount before VAT"), max_digits=14, decimal_places=2, default=ZERO)
    vat = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=ZERO)
    amount_in_words = models.CharField(_("amount in words"), max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "number"], condition=~Q(number=""),
                                    name="invoice_number_unique_in_venue"),
            models.CheckConstraint(condition=Q(total__gte=0), name="invoice_total_non_negative"),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    def credited(self) -> Decimal:
        """Total of issued credit notes against this invoice."""
        value = self.credit_notes.filter(status=InvoiceStatus.ISSUED).aggregate(s=Sum("total"))["s"]
        return value or ZERO

    def paid(self) -> Decimal:
        value = self.payments.aggregate(s=Sum("amount"))["s"]
        return value or ZERO

    def outstanding(self) -> Decimal:
        """What the customer still owes on this invoice (negative: paid more than is now due)."""
        if self.is_credit_note or not self.is_issued:
            return ZERO
        return self.total - self.credited() - self.paid()

    @staticmethod
    def may_create(user) -> bool:
        """May `user` draft an invoice at all (whatever customer or instalment it names)? Finance officers only."""
        return is_finance_officer(user)

    def can_view(self, user) -> bool:
        return prepares_documents(user) or (
            _planner_agency(user) is not None and _planner_agency(user) == self.customer.agency_id)

    def can_edit(self, user) -> bool:
        """Only drafts change; an issued invoice is corrected by a credit note."""
        return is_finance_officer(user) and self.status == InvoiceStatus.DRAFT

    def can_issue(self, user) -> bool:
        return self.can_edit(user)

    def can_credit(self, user) -> bool:
        return is_finance_officer(user) and self.is_issued and not self.is_credit_note

    def can_record_payment(self, user) -> bool:
        return is_finance_officer(user) and self.is_issued and not self.is_credit_note


class InvoiceLine(LineFields):
    """One line of an invoice or credit note."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta(LineFields.Meta):
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return f"{self.description_th} {self.amount}"


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    PROMPTPAY = "promptpay", _("PromptPay")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    GOVERNMENT = "government", _("Government disbursement")


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if prepares_documents(user):
            return self
        agency_id = _planner_agency(user)
        return self.filter(invoice__customer__agency_id=agency_id) if agency_id is not None else self.none()


class Payment(TimeStampedModel):
    """Money received against an invoice (a part or all of it)."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT,
                                related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount} {self.paid_on}"


class ReceiptQuerySet(models.QuerySet):
    def visible_to(self, user):
        if prepares_documents(user):
            return self
        agency_id = _planner_agency(user)
        return self.filter(payment__invoice__customer__agency_id=agency_id) if agency_id is not None else self.none()


class Receipt(TimeStampedModel):
    """The receipt for one payment: numbered by Khuang, or the number an outside government system gave."""

    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.PROTECT, related_name="receipts")
    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT,
                                   related_name="receipt")
    number = models.CharField(_("number"), max_length=40)
    external = models.BooleanField(_("numbered by an outside system"), default=False)
    fiscal_year = models.PositiveIntegerField(_("fiscal year (BE)"))
    issue_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    amount_in_words = models.CharField(_("amount in words"), max_length=300)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["-issue_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["venue", "number"], name="receipt_number_unique_in_venue")]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return self.number

    def can_view(self, user) -> bool:
        return self.payment.invoice.can_view(user)
