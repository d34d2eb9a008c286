"""/healthz: 200 when database, task queue and disk are fine; 503 naming the failing check otherwise."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from khuang.bookings.tasks import expire_due_holds

pytestmark = pytest.mark.django_db


def test_all_fine_is_200_with_the_figures(client):
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "tasks", "disk"}
    assert body["checks"]["tasks"]["waiting"] == 0 and body["checks"]["tasks"]["oldest_wait_seconds"] is None
    assert body["checks"]["disk"]["free_mb"] > 0
    assert r["X-Request-ID"] and r["Cache-Control"].startswith("max-age=0")


def test_a_task_waiting_too_long_fails_the_task_check(client, settings):
    from django_tasks_db.models import DBTaskResult

    result = expire_due_holds.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    settings.KHUANG_HEALTH_MAX_TASK_WAIT = 300
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 503 and body["failing"] == ["tasks"]
    assert body["checks"]["tasks"]["waiting"] == 1 and body["checks"]["tasks"]["oldest_wait_seconds"] >= 600


def test_a_task_due_later_is_not_late(client):
    from django_tasks_db.models import DBTaskResult

    later = expire_due_holds.using(run_after=timezone.now() + timedelta(hours=1)).enqueue()
    DBTaskResult.objects.filter(pk=later.id).update(enqueued_at=timezone.now() - timedelta(hours=2))
    assert client.get("/healthz").status_code == 200


def test_a_full_disk_fails_the_disk_check(client, settings):
    settings.KHUANG_HEALTH_MIN_FREE_DISK_MB = 10**12
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["failing"] == ["disk"]


def test_a_dead_database_fails_the_database_check(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 503 and "database" in body["failing"]
    assert "connection refused" in body["checks"]["database"]["error"]


def test_the_request_id_given_by_the_proxy_is_kept_and_a_bad_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert replaced != "bad id\nwith newline" and len(replaced) == 32
