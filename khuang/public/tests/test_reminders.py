"""Registrants are reminded of an event starting within 24 hours, once each, by the periodic job."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from khuang.public.models import EventPage, Registration
from khuang.public.tasks import send_event_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_in(create_booking, create_space):
    room = create_space("REMIND-ROOM")

    def make(hours: float, **kw):
        start = (timezone.now() + timedelta(hours=hours)).replace(microsecond=0)
        booking = create_booking(space=room, start=start, is_public=True, title=f"Event in {hours} h", **kw)
        return EventPage.objects.create(booking=booking, capacity=2, waiting_list=True)

    return make


def _reg(page, email: str, status: str = "registered") -> Registration:
    return Registration.objects.create(event=page, name=email.split("@")[0], email=email, phone="0812345678",
                                       status=status)


def test_registered_people_of_tomorrows_event_are_reminded_once(event_in, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    soon, later = event_in(20), event_in(72)
    a, b = _reg(soon, "a@example.org"), _reg(soon, "b@example.org")
    _reg(soon, "waiting@example.org", "waiting")
    _reg(soon, "gone@example.org", "cancelled")
    _reg(later, "later@example.org")

    assert send_event_reminders.enqueue().return_value == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert a.code in next(m.body for m in mail.outbox if m.to == ["a@example.org"])
    a.refresh_from_db(), b.refresh_from_db()
    assert a.reminded_at and b.reminded_at

    assert send_event_reminders.enqueue().return_value == 0  # never twice
    assert len(mail.outbox) == 2
