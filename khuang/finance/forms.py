"""Forms of the money pages: they parse; the services decide."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuang.core import numformat
from khuang.core.forms import BEDateField

from .models import PaymentMethod

MONEY = {"max_digits": 14, "decimal_places": 2}


class ExtraForm(forms.Form):
    item = forms.ChoiceField(label=_("Price-list item"))
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
                                  initial=1)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.code, f"{i.name} · {numformat.baht(i.unit_price)} / {i.unit}") for i in items]


class LineForm(forms.Form):
    description_th = forms.CharField(label=_("Description (Thai)"), max_length=300)
    description_en = forms.CharField(label=_("Description (English)"), max_length=300, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=Decimal("0.01"), max_digits=10, decimal_places=2,
                                  initial=1)
    unit_price = forms.DecimalField(label=_("Unit price (THB)"), min_value=0, **MONEY)


class DiscountForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    percent = forms.DecimalField(label=_("Percent"), min_value=Decimal("0.01"), max_value=100, max_digits=5,
                                 decimal_places=2, required=False)
    amount = forms.DecimalField(label=_("or amount (THB)"), min_value=Decimal("0.01"), required=False, **MONEY)


class SignForm(forms.Form):
    signed_by = forms.CharField(label=_("Signed by (customer)"), max_length=200)
    signed_on = BEDateField(label=_("Signed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()


class DocumentForm(forms.Form):
    document = forms.IntegerField(widget=forms.HiddenInput)
    received = forms.BooleanField(required=False)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (THB)"), min_value=Decimal("0.01"), **MONEY)
    paid_on = BEDateField(label=_("Paid on"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    external_receipt_number = forms.CharField(label=_("Receipt number of the outside system"), max_length=40,
                                              required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)
    amount = forms.DecimalField(label=_("Amount incl. VAT (empty: all that is left)"), min_value=Decimal("0.01"),
                                required=False, **MONEY)
