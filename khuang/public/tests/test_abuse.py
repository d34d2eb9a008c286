"""Abuse of the public side (finding 9): registration floods, formulas in exports, silent mail failures."""

import csv
import io
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import translation

from khuang.public import errors
from khuang.public.models import Registration

from .test_public import event, register  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_event(event):  # noqa: F811
    event.event_page.capacity = 1000
    event.event_page.save()
    return event


def test_finding_9_one_client_cannot_register_hundreds(client, big_event, django_capture_on_commit_callbacks,
                                                       settings):
    settings.KHUANG_REGISTRATION_LIMITS = {"per_address": (20, 3600), "per_event": (200, 600)}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}  # mail now
    codes = []
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(30):
            codes.append(register(client, big_event, email=f"bot{i}@example.org").status_code)
    assert codes[:20] == [302] * 20
    assert codes[20:] == [429] * 10
    assert Registration.objects.count() == 20 and len(mail.outbox) == 20
    refused = client.post(f"/events/{big_event.pk}/register/?lang=en", {
        "name": "Bot", "email": "bot99@example.org", "phone": "081 234 5678"})
    assert refused.status_code == 429
    with translation.override("en"):
        assert str(errors.TOO_MANY_FROM_ADDRESS).replace("'", "&#x27;") in refused.content.decode()
    # Someone else, from another address, still gets in.
    other = client.post(f"/events/{big_event.pk}/register/", {"name": "Anong", "email": "anong@example.org",
                                                              "phone": "081 234 5678"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_an_event_under_a_distributed_flood_is_throttled_too(client, big_event, settings):
    settings.KHUANG_REGISTRATION_LIMITS = {"per_address": (20, 3600), "per_event": (5, 600)}
    codes = [client.post(f"/events/{big_event.pk}/register/", {"name": "Visitor", "email": f"v{i}@example.org",
                                                               "phone": "081 234 5678"},
                         REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(7)]
    assert codes == [302] * 5 + [429] * 2


def test_behind_the_reverse_proxy_each_visitor_is_counted_not_the_proxy(client, big_event, settings):
    settings.KHUANG_REGISTRATION_LIMITS = {"per_address": (1, 3600), "per_event": (200, 600)}
    settings.KHUANG_TRUSTED_PROXIES = ("127.0.0.1",)

    def via_proxy(i: int, visitor: str) -> int:
        return client.post(f"/events/{big_event.pk}/register/", {"name": "Visitor", "email": f"p{i}@example.org",
                                                                 "phone": "081 234 5678"},
                           REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor).status_code

    assert [via_proxy(0, "203.0.113.7"), via_proxy(1, "203.0.113.7"), via_proxy(2, "203.0.113.8")] == [302, 429, 302]


def test_addresses_are_not_stored_only_a_keyed_hash(client, big_event):
    register(client, big_event)
    reg = Registration.objects.get()
    assert reg.client_hash and "127.0.0.1" not in reg.client_hash and len(reg.client_hash) == 64


def test_finding_9_registrations_csv_neutralises_formulas(client, big_event, staff_user):
    register(client, big_event, name='=HYPERLINK("http://evil.example","click")', email="f1@example.org")
    register(client, big_event, name="@SUM(A1)", organisation="+cmd|' /C calc'!A0", email="f2@example.org")
    register(client, big_event, name="-2+3", email="f3@example.org")
    client.force_login(staff_user)
    res = client.get(f"/events/{big_event.pk}/registrations.csv")
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    names = {r[2] for r in rows[1:]}
    assert names == {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1)", "'-2+3"}
    assert "'+cmd|' /C calc'!A0" in {r[5] for r in rows[1:]}
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_finding_9_a_failed_registration_mail_is_logged(client, big_event, settings, caplog,
                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with caplog.at_level(logging.ERROR, logger="khuang.public.services"), \
            django_capture_on_commit_callbacks(execute=True):
        res = register(client, big_event, email="lost.mail@example.org")
    assert res.status_code == 302  # the registration stands
    reg = Registration.objects.get()
    (record,) = [r for r in caplog.records if r.name == "khuang.public.services"]
    assert reg.code in record.getMessage() and "lost.mail@example.org" in record.getMessage()
    assert "mail server down" in record.exc_text
