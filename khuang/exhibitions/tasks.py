"""Background work of exhibitions: thin tasks that take ids, load, and call a service."""

from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


@task
def run_assignment(run_id: int) -> None:
    """Solve a queued booth-assignment run in the worker."""
    from .services import run_execute

    run_execute(run_id)


@task
def expire_booth_hold(claim_id: int) -> None:
    """Lapse a booth hold at its expiry (enqueued with run_after = the expiry); the next option moves up."""
    from .services import hold_expire

    hold_expire(claim_id)


@task
def expire_due_booth_holds() -> int:
    """Sweep: lapse every booth hold already past its expiry (a safety net for lost tasks)."""
    from django.utils import timezone

    from .models import BoothClaim, ClaimStatus
    from .services import hold_expire

    count = 0
    for claim_id in BoothClaim.objects.filter(status=ClaimStatus.HOLD, hold_expires_at__lte=timezone.now()
                                              ).values_list("pk", flat=True):
        try:
            if hold_expire(claim_id):
                count += 1
        except Exception:  # one bad hold must not stop the sweep
            continue
    return count


@task
def notify_applicant(application_id: int, kind: str, base_url: str = "") -> None:
    """E-mail the applicant their page's private link and what changed (in the language they applied in)."""
    from .models import ExhibitorApplication

    app = ExhibitorApplication.objects.select_related("exhibition__booking").filter(pk=application_id).first()
    if app is None:
        return
    with translation.override(app.language or "th"):
        title = app.exhibition.title()
        link = base_url + reverse("exhibitions:exhibitor_page", args=[app.token])
        subjects = {
            "submitted": _("Application received: %(title)s"),
            "accepted": _("Application accepted: %(title)s"),
            "waitlisted": _("On the waiting list: %(title)s"),
            "declined": _("Application declined: %(title)s"),
        }
        subject = subjects.get(kind, subjects["submitted"]) % {"title": title}
        body = _("Follow your application, booth and payments at %(link)s (keep this link private).") % {
            "link": link}
        if app.decision_reason and kind in ("waitlisted", "declined"):
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": app.decision_reason}
    send_mail(subject, body, None, [app.email])
