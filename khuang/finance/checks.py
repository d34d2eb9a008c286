"""The booking rule finance adds to the diary: confirming may need a signed hire agreement first."""

from khuang.core.errors import ConflictError

from . import errors
from .models import Agreement, AgreementStatus, PaymentRule


def agreement_signed_check(booking, actor) -> None:
    """Refuse to confirm a booking whose customer class's rule asks for a signed agreement it does not have."""
    rule = PaymentRule.objects.filter(venue_id=booking.space.venue_id, customer_class=booking.customer_class,
                                      agreement_required_to_confirm=True).first()
    if rule is None:
        return
    if Agreement.objects.filter(quotation__bookings=booking, status=AgreementStatus.SIGNED).exists():
        return
    raise ConflictError(str(errors.AGREEMENT_REQUIRED) % {"title": booking.title}, field="status")
