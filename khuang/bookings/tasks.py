"""Background work of the diary: thin tasks that take ids, load, and call a service."""

from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from khuang.core.thaidates import format_date


@task
def expire_hold(booking_id: int) -> None:
    """Lapse a hold at its expiry time (enqueued with run_after = the expiry)."""
    from .services import hold_expire

    hold_expire(booking_id)


@task
def expire_due_holds() -> int:
    """Sweep: lapse every hold already past its expiry (run periodically; see settings.KHUANG_PERIODIC_JOBS)."""
    from .services import holds_sweep

    return holds_sweep()


@task
def notify_contact(booking_id: int, kind: str) -> None:
    """E-mail the booking's contact that their hold moved up to first option, or was declined."""
    from .models import Booking

    booking = Booking.objects.select_related("space").filter(pk=booking_id).first()
    if booking is None or not booking.contact_email:
        return
    with translation.override("th"):
        when = format_date(booking.start)
        if kind == "promoted":
            subject = _("Your hold is now first option: %(title)s") % {"title": booking.title}
            body = _("%(space)s on %(when)s is now held for you as first option until %(expiry)s.") % {
                "space": booking.space.name, "when": when, "expiry": format_date(booking.hold_expires_at)}
        else:
            subject = _("Your hold was declined: %(title)s") % {"title": booking.title}
            body = _("%(space)s on %(when)s was confirmed for another booking.") % {
                "space": booking.space.name, "when": when}
    send_mail(subject, body, None, [booking.contact_email])
