"""A visitor who picked English stays in English: the registration form's errors, the ticket, and every e-mail
(confirmation, moving up from the waiting list, reminder) in the language they registered in."""

import pytest
from django.core import mail
from django.utils import timezone

from khuang.public.models import EventPage, Registration
from khuang.public.services import registration_reminders_send


@pytest.fixture
def event(create_booking, soon):
    booking = create_booking(title="สัมมนาเซรามิก", title_en="Ceramics seminar", is_public=True,
                             event_type="seminar", hours=7)
    EventPage.objects.create(booking=booking, capacity=1, waiting_list=True)
    return booking


@pytest.fixture
def tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def register(client, booking, email, **kw):
    data = {"name": "Anong Test", "email": email, "phone": "081 234 5678", **kw}
    return client.post(f"/events/{booking.pk}/register/", data)


def test_english_visit_errors_ticket_and_mail(client, event, tasks_now, django_capture_on_commit_callbacks):
    assert "Ceramics seminar" in client.get(f"/events/{event.pk}/?lang=en").content.decode()
    body = register(client, event, "bad").content.decode()  # no ?lang: the cookie keeps it English
    assert "Give a valid e-mail address, e.g. name@example.org." in body
    assert "กรุณา" not in body and '<html lang="en">' in body
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client, event, "en@example.org")
    reg = Registration.objects.get()
    assert reg.language == "en"
    ticket = client.get(response["Location"]).content.decode()
    assert "You are registered" in ticket and "Ceramics seminar" in ticket and "สัมมนาเซรามิก" not in ticket
    assert mail.outbox[-1].subject == "Registration confirmed: Ceramics seminar"


def test_promoted_and_reminded_in_their_own_language(client, event, tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, "th@example.org")  # Thai visitor takes the only seat
    client.get("/events/?lang=en")
    with django_capture_on_commit_callbacks(execute=True):
        register(client, event, "en@example.org")  # English visitor waits
    first, second = Registration.objects.order_by("id")
    assert (first.language, second.language, second.status) == ("th", "en", "waiting")
    mail.outbox.clear()
    client.get("/events/?lang=th")  # someone browsing in Thai cancels the first place
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/events/ticket/{first.code}/cancel/")
    assert [m.to for m in mail.outbox] == [["en@example.org"]]
    assert mail.outbox[0].subject.startswith("Registration confirmed")
    mail.outbox.clear()
    registration_reminders_send(now=event.start - timezone.timedelta(hours=2))
    assert [m.subject for m in mail.outbox] == ["Reminder: Ceramics seminar"]
