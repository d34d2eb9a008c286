"""Admin for the money settings and price lists; documents are shown read-only once sent or issued.

An issued invoice, credit note, receipt or payment cannot be changed or deleted here (nor through the API):
mistakes are corrected by a credit note. Drafts are changed on the finance pages, where the rules apply.
"""

from django.contrib import admin

from .models import (
    Agreement,
    AgreementTemplate,
    Customer,
    DiscountRule,
    DocumentRequirement,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentRule,
    PriceItem,
    Quotation,
    QuotationLine,
    Receipt,
    VenueFinance,
)


@admin.register(VenueFinance)
class VenueFinanceAdmin(admin.ModelAdmin):
    list_display = ("venue", "legal_name_th", "vat_registered", "vat_rate", "promptpay_id", "external_receipts")

    def save_model(self, request, obj, form, change):
        from .services import promptpay_check

        if obj.promptpay_id:
            promptpay_check(obj.promptpay_id)
        super().save_model(request, obj, form, change)


@admin.register(PriceItem)
class PriceItemAdmin(admin.ModelAdmin):
    list_display = ("venue", "code", "name_th", "category", "unit_th", "unit_price", "is_active")
    list_filter = ("venue", "category", "is_active")


@admin.register(DiscountRule)
class DiscountRuleAdmin(admin.ModelAdmin):
    list_display = ("venue", "name_th", "customer_class", "event_type", "min_days", "percent", "is_active")


@admin.register(PaymentRule)
class PaymentRuleAdmin(admin.ModelAdmin):
    list_display = ("venue", "customer_class", "deposit_pct", "deposit_due_days", "balance_due_days_before",
                    "release_hold_when_overdue", "agreement_required_to_confirm")


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    list_display = ("venue", "event_type", "name_th", "position")


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ("venue", "name", "is_default")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name_th", "agency", "customer_class", "tax_id", "email")
    search_fields = ("name_th", "name_en", "tax_id")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Documents are listed and shown; every change goes through the services (and their audit trail)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QuotationLineInline(admin.TabularInline):
    model = QuotationLine
    extra = 0
    fields = ("position", "kind", "description_th", "quantity", "unit_price", "amount")
    readonly_fields = fields
    can_delete = False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ("position", "description_th", "quantity", "unit_price", "amount")
    readonly_fields = fields
    can_delete = False


@admin.register(Quotation)
class QuotationAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "customer", "title", "status", "total")
    list_filter = ("venue", "status")
    inlines = [QuotationLineInline]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("number", "quotation", "status", "signed_on")


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "customer", "issue_date", "status", "total")
    list_filter = ("venue", "kind", "status", "fiscal_year")
    search_fields = ("number", "customer__name_th")
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("invoice", "amount", "paid_on", "method", "reference")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("number", "venue", "issue_date", "amount", "external")
