"""Tasks on Redis (KHUANG_TASKS=redis, RQ): two worker processes run 200 tasks, each exactly once; a worker
killed mid-task — its work horse alone, or the whole worker — leaves the task failed, never lost or stuck."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("KHUANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
TASKS = 200


@pytest.fixture
def rq_env(child_env):
    redis = pytest.importorskip("redis")
    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    conn.flushdb()  # this test's own database number only
    env = {**child_env, "KHUANG_TASKS": "redis", "REDIS_URL": REDIS_URL, "KHUANG_TEST_RECORD_URL": REDIS_URL,
           "KHUANG_RQ_MONITOR_INTERVAL": "1", "KHUANG_RQ_HEARTBEAT_SLACK": "4", "LOG_LEVEL": "WARNING"}
    yield env, conn
    conn.flushdb()


def _enqueue(env: dict, code: str) -> list[str]:
    """Enqueue from a separate process configured for Redis, as the web server would; returns the task ids."""
    script = ("import json, django; django.setup()\n"
              "from khuang.system.tests.redis_tasks import record, linger\n"
              "from khuang.system.tasks import reclaim_lost_tasks\n"
              f"ids = [r.id for r in ({code})]\nprint(json.dumps(ids))")
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _ppid(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_task_once_and_a_killed_worker_leaves_its_task_failed(rq_env):
    from rq import Queue
    from rq.job import Job, JobStatus
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    env, conn = rq_env
    procs: list[subprocess.Popen] = []

    def start_worker() -> subprocess.Popen:
        p = subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=ROOT, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(p)
        return p

    try:
        start_worker(), start_worker()
        _wait(lambda: len(conn.keys("rq:worker:*")) >= 2, 60, "two RQ workers to register")

        # 1. A whole worker (its process and its work horse) dies under a long task.
        [whole] = _enqueue(env, 'linger.enqueue("whole", 120),')
        horse = int(_wait(lambda: conn.get("khuang-test:started:whole"), 30, "the long task to start"))
        victim = next(p for p in procs if p.pid == _ppid(horse))
        ids = _enqueue(env, f"record.enqueue(n) for n in range({TASKS})")
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=10)
        start_worker()  # the supervisor's part: two workers again

        # 2. A work horse alone is killed under a live worker.
        [lone] = _enqueue(env, 'linger.enqueue("horse", 120),')
        horse2 = int(_wait(lambda: conn.get("khuang-test:started:horse"), 60, "the second long task to start"))
        os.kill(horse2, signal.SIGKILL)

        _wait(lambda: conn.llen("khuang-test:runs") >= TASKS, 120, f"{TASKS} tasks to run")
        # The whole worker's task is abandoned once its heartbeat lapses (1 s + 4 s here): the periodic
        # reclaim job, run by a live worker, moves it to failed.
        time.sleep(6)
        _enqueue(env, "reclaim_lost_tasks.enqueue(),")
        queue = Queue("default", connection=conn)
        _wait(lambda: Job.fetch(whole, connection=conn).get_status() == JobStatus.FAILED, 30,
              "the abandoned task to be marked failed")
        _wait(lambda: Job.fetch(lone, connection=conn).get_status() == JobStatus.FAILED, 30,
              "the task whose horse died to be marked failed")
        time.sleep(1)  # anything that would run twice has had time to

        runs = [r.decode().split(":") for r in conn.lrange("khuang-test:runs", 0, -1)]
        counts: dict[int, int] = {}
        for n, _ in runs:
            counts[int(n)] = counts.get(int(n), 0) + 1
        assert counts == {n: 1 for n in range(TASKS)}  # every task, exactly once
        assert len({parent for _, parent in runs}) >= 2  # shared between worker processes
        assert all(Job.fetch(i, connection=conn).get_status() == JobStatus.FINISHED for i in ids)
        assert conn.lrange("khuang-test:finished", 0, -1) == []  # neither killed task pretended to finish
        failed = FailedJobRegistry(queue=queue).get_job_ids()
        assert whole in failed and lone in failed
        assert StartedJobRegistry(queue=queue).get_job_ids() == [] and queue.count == 0  # nothing stuck
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
