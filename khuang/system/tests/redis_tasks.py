"""Tasks for the Redis worker tests: each run is recorded in Redis, so a test can count runs per task."""

import os
import time

from django.tasks import task


def _redis():
    import redis

    return redis.Redis.from_url(os.environ["KHUANG_TEST_RECORD_URL"])


@task
def record(n: int) -> int:
    """Note that task n ran (and by which process)."""
    _redis().rpush("khuang-test:runs", f"{n}:{os.getpid()}")
    time.sleep(0.01)
    return n


@task
def linger(name: str, seconds: float) -> str:
    """Say which process runs it, then take a while (long enough to be killed mid-task)."""
    r = _redis()
    r.set(f"khuang-test:started:{name}", os.getpid())
    time.sleep(seconds)
    r.rpush("khuang-test:finished", name)
    return name
