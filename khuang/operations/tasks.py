"""Background work of operations: thin tasks that take ids, load, and call a service or send mail."""

from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _


@task
def notify_revision(revision_id: int) -> int:
    """E-mail the people assigned to an event order that a new revision was sent, with what changed."""
    from .models import EventOrderRevision
    from .selectors import revision_changes

    revision = EventOrderRevision.objects.select_related("event_order__booking").filter(pk=revision_id).first()
    if revision is None:
        return 0
    eo = revision.event_order
    recipients = sorted({a.member.email for a in eo.assignments.select_related("member") if a.member.email})
    if not recipients:
        return 0
    with translation.override("th"):
        subject = _("Event order %(number)s, revision %(rev)s: %(title)s") % {
            "number": eo.number, "rev": revision.number, "title": eo.booking.title}
        lines = [f"- {c['section']}: {c['what']} ({c['change']}) {c['before']} → {c['after']}"
                 for c in revision_changes(revision, staffing=True)]  # to the people assigned: the team
        body = "\n".join([subject, "", *(lines or [_("First revision.")])])
    send_mail(subject, body, None, recipients)
    return len(recipients)
