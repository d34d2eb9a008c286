"""Background work of the money chain: thin tasks that take ids, load, and call a service."""

from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from khuang.core import numformat


@task
def sweep_overdue_payments() -> dict:
    """Daily: remind customers of overdue instalments; after the grace days, let the holds expire by rule."""
    from .services import overdue_sweep

    return overdue_sweep()


@task
def send_payment_reminder(instalment_id: int) -> None:
    """E-mail the customer that an instalment is overdue (in Thai, with the amount and due date)."""
    from khuang.core.thaidates import format_date

    from .models import Instalment

    inst = Instalment.objects.select_related("quotation__customer").filter(pk=instalment_id).first()
    if inst is None or not inst.quotation.customer.email:
        return
    with translation.override("th"):
        subject = _("Payment overdue: %(event)s") % {"event": inst.quotation.title}
        body = _("The %(kind)s of %(amount)s baht for %(event)s (quotation %(number)s) was due on %(due)s. "
                 "Please pay it, or the reserved dates may be released.") % {
            "kind": inst.get_kind_display(), "amount": numformat.baht(inst.amount), "event": inst.quotation.title,
            "number": inst.quotation.label, "due": format_date(inst.due_date)}
    send_mail(subject, body, None, [inst.quotation.customer.email])
