"""API tokens (finding 11): optional expiry, `khuang token list|revoke`, and an admin that makes only working tokens."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from khuang.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _call(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def _get(client, token: str):
    return client.get("/api/bookings", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_finding_11_tokens_can_expire(client, staff_user):
    raw = _call("create", "staff", "--days", "1", "--label", "nightly export").strip()
    assert _get(client, raw).status_code == 200
    token = ApiToken.objects.get()
    assert token.expires_at and timezone.now() + timedelta(hours=23) < token.expires_at
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(client, raw).status_code == 401
    never = _call("create", "staff").strip()
    assert ApiToken.objects.get(prefix=never[:8]).expires_at is None and _get(client, never).status_code == 200


def test_finding_11_list_and_revoke(client, staff_user, create_user):
    create_user("planner")
    first = _call("create", "staff", "--label", "ci").strip()
    second = _call("create", "planner").strip()
    listing = _call("list")
    assert first[:8] in listing and second[:8] in listing and "ci" in listing and "never" in listing
    assert second[:8] not in _call("list", "staff")
    assert first not in listing  # the secret is never shown again
    assert "Revoked" in _call("revoke", first[:8])
    assert _get(client, first).status_code == 401 and _get(client, second).status_code == 200
    with pytest.raises(CommandError):
        _call("revoke", "kh_nope")
    with pytest.raises(CommandError):
        _call("create", "nobody")


def test_finding_11_admin_add_twice_makes_two_working_tokens(client, create_user):
    boss = create_user("boss", role="center_staff", is_staff=True, is_superuser=True)
    client.force_login(boss)
    secrets = []
    for label in ("first", "second"):
        res = client.post("/admin/accounts/apitoken/add/", {"user": boss.pk, "label": label}, follow=True)
        assert res.status_code == 200
        found = re.search(r"(kh_[A-Za-z0-9_\-]{20,})", res.content.decode())
        assert found, "the new token is shown once"
        secrets.append(found.group(1))
    assert ApiToken.objects.count() == 2 and len(set(ApiToken.objects.values_list("digest", flat=True))) == 2
    client.logout()
    for raw in secrets:
        assert _get(client, raw).status_code == 200
    assert not ApiToken.objects.filter(digest="").exists()


def test_the_database_refuses_a_token_without_a_real_digest(staff_user):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=staff_user, digest="", prefix="")
