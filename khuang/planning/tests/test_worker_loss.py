"""A worker killed (kill -9) during a plan run: the run shows "worker lost", its task is reclaimed, the run can
be restarted, and Stop always ends it — through the real worker process, on SQLite and PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from khuang.planning.models import Plan, PlanStatus

from .conftest import FY

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
LOST_AFTER = 3  # seconds without a heartbeat (30 in production)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def workers(child_env):
    """start() launches `manage.py worker` (heartbeat + reclaim) on the test database."""
    procs: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        env = {**child_env, "KHUANG_WORKER_LOST_AFTER": str(LOST_AFTER)}
        p = subprocess.Popen([sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        return p

    yield start
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def test_killed_worker_run_is_lost_then_restarted_and_stop_ends_it(api, client, halls, create_proposal,
                                                                   staff_user, workers, settings):
    settings.KHUANG_WORKER_LOST_AFTER = LOST_AFTER
    for n in range(60):  # many overlapping wishes: far from solved within the test
        create_proposal(f"P-{n:03d}", days=2 + n % 5, allowed=["HALL-A", "HALL-B", "HALL-AB"][n % 3:],
                        earliest=date(2027, 1, 1), latest_end=date(2027, 3, 15), priority=1 + n % 5,
                        preferred_months=[2])
    pid = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 300, "workers": 1}, user=staff_user).json()["id"]

    def status() -> str:
        return api("get", f"/api/plans/{pid}", user=staff_user).json()["status"]

    first = workers()
    _wait(lambda: Plan.objects.filter(pk=pid, status="running", heartbeat_at__isnull=False).exists(), 60,
          "the worker to start the run")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    # The heartbeat stops: the API and the page say "worker lost" (not "running" for good).
    _wait(lambda: status() == PlanStatus.LOST, 20, "the run to show as worker lost")
    client.force_login(staff_user)
    page = client.get(f"/plan/plans/{pid}/?lang=en").content.decode()
    assert "Worker lost" in page and f"/plan/plans/{pid}/restart/" in page and "Stop this run" in page

    # Its task, left RUNNING by the dead worker, is reclaimed by the next worker (run again: a no-op now).
    task = DBTaskResult.objects.get(task_path="khuang.planning.tasks.run_plan")
    assert task.status == "RUNNING" and len(task.worker_ids) == 1
    second = workers()
    _wait(lambda: DBTaskResult.objects.filter(pk=task.pk, status__in=["SUCCESSFUL", "FAILED"]).exists(), 40,
          "the lost task to be reclaimed and run again")
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and len(task.worker_ids) == 2, (task.status, task.worker_ids)
    assert status() == PlanStatus.LOST  # reclaiming the task did not pretend the run went on

    # Restart: the same version runs again on the live worker; Stop keeps its best plan.
    r = api("post", f"/api/plans/{pid}/restart", user=staff_user)
    assert r.status_code == 200 and r.json()["status"] == "queued", r.json()
    _wait(lambda: (lambda p: p.status == "running" and p.progress)(Plan.objects.get(pk=pid)), 60,
          "the restarted run to make progress")
    assert api("post", f"/api/plans/{pid}/stop", user=staff_user).status_code == 200
    _wait(lambda: status() == PlanStatus.STOPPED, 30, "the restarted run to stop")
    plan = Plan.objects.get(pk=pid)
    assert plan.objective and plan.items.exclude(space=None).exists()

    # Kill a worker under a second run, then Stop: the run ends in a final state at once.
    pid = api("post", "/api/plans", {"fiscal_year": FY, "time_limit": 300, "workers": 1}, user=staff_user).json()["id"]
    _wait(lambda: Plan.objects.filter(pk=pid, status="running", heartbeat_at__isnull=False).exists(), 60,
          "the second run to start")
    os.kill(second.pid, signal.SIGKILL)
    second.wait(timeout=10)
    _wait(lambda: status() == PlanStatus.LOST, 20, "the second run to show as worker lost")
    r = api("post", f"/api/plans/{pid}/stop", user=staff_user)
    assert r.status_code == 200 and r.json()["status"] == PlanStatus.FAILED, r.json()
    assert "worker was lost" in r.json()["error"]
    assert api("post", f"/api/plans/{pid}/restart", user=staff_user).status_code == 409
    assert api("post", f"/api/plans/{pid}/stop", user=staff_user).status_code == 409  # already final


def test_stop_pressed_before_the_loss_is_noticed_still_ends_the_run(halls, create_proposal, staff_user, settings):
    """A run whose worker died after Stop was asked ends as soon as the loss is seen, without a second Stop."""
    from datetime import timedelta

    from django.utils import timezone

    from khuang.planning import services

    settings.KHUANG_WORKER_LOST_AFTER = LOST_AFTER
    create_proposal("P-001")
    plan = services.plan_run_start(venue=halls["HALL-A"].venue, fiscal_year=FY, actor=staff_user, time_limit=5,
                                   workers=1)
    Plan.objects.filter(pk=plan.pk).update(status="running", heartbeat_at=timezone.now())
    services.plan_stop(Plan.objects.get(pk=plan.pk), actor=staff_user)  # the worker is alive: a request
    assert Plan.objects.get(pk=plan.pk).status == "running"
    Plan.objects.filter(pk=plan.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=LOST_AFTER + 1))
    assert services.plans_mark_lost() == 1
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.FAILED
