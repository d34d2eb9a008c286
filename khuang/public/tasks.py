"""Background work of the public side: thin tasks that take ids and call a service."""

from django.tasks import task


@task
def send_registration_email(registration_id: int, lang: str = "th") -> None:
    """E-mail a registrant their confirmation or waiting-list notice with the QR ticket (out of the request)."""
    from .services import registration_notify

    registration_notify(registration_id, lang)


@task
def send_event_reminders() -> int:
    """Periodic: remind registrants of events starting within 24 hours (once each)."""
    from .services import registration_reminders_send

    return registration_reminders_send()
