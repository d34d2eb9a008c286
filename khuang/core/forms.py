"""Form pieces shared by every app: the date input that speaks Buddhist Era in Thai."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .thaidates import format_input_date, parse_date

DATE_INVALID = _("Enter the date as day/month/year, e.g. 10/1/2570 (Buddhist Era) or 10/1/2027, or as 2027-01-10.")


def _thai() -> bool:
    return (translation.get_language() or "th").startswith("th")


class BEDateInput(forms.DateInput):
    """In Thai a text input holding `d/m/yyyy` in Buddhist Era with a small calendar button (`bedate.js`);
    in English the browser's own date input (Gregorian, ISO value)."""

    template_name = "khuang/widgets/be_date.html"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            return format_input_date(value, "th" if _thai() else "en")
        return value or None

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        if _thai():
            widget["type"] = "text"
            widget["be"] = True
            widget["attrs"].update({"inputmode": "numeric", "autocomplete": "off", "data-be-date": "",
                                    "placeholder": str(_("d/m/yyyy (BE)")), "maxlength": "10"})
        else:
            widget["type"] = "date"
            widget["be"] = False
        return context


class BEDateField(forms.DateField):
    """A date field accepting ISO and day-first `d/m/yyyy` dates; a year above 2400 is Buddhist Era."""

    widget = BEDateInput
    default_error_messages = {"invalid": DATE_INVALID}

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
