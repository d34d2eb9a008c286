"""The money documents' history in the page's language: action and state codes become words."""

from django import template
from django.utils.translation import gettext_lazy as _

from khuang.finance.models import AgreementStatus, InvoiceStatus, QuotationStatus

register = template.Library()

ACTIONS = {
    "create": _("created"), "add_line": _("line added"), "remove_line": _("line removed"),
    "discount": _("discount given"), "send": _("sent"), "accept": _("accepted"), "reject": _("rejected"),
    "revise": _("new version"), "sign": _("signed"), "document": _("document received"), "update": _("changed"),
    "issue": _("issued"), "void": _("dropped"), "credit": _("credit note issued"), "record": _("recorded"),
    "payment": _("payment recorded"), "reminder": _("reminder sent"),
    "overdue_release": _("dates released: payment overdue"),
}
STATES = {**dict(QuotationStatus.choices), **dict(AgreementStatus.choices), **dict(InvoiceStatus.choices)}


@register.filter
def audit_action(code: str) -> str:
    """An audit entry's action as words (an unknown code is shown as it is)."""
    return str(ACTIONS.get(code, code))


@register.filter
def audit_state(code: str) -> str:
    """A document state code as its label."""
    return str(STATES.get(code, code)) if code else ""
