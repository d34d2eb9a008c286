"""`make run`'s server (khuang serve: gunicorn + worker + scheduler, supervised) under a crowd, and after a crash."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from khuang.accounts.models import ApiToken
from khuang.bookings.models import Booking, Occupancy
from tests.test_concurrency import _body, _race

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 30


def _free_port() -> int:
    """A free port in this project's range 8130-8139 (several test runs may share the machine)."""
    for port in range(8130, 8140):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8130-8139")


def _children(pid: int) -> dict[str, int]:
    out = subprocess.run(["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        child, _, args = line.strip().partition(" ")
        for name in ("gunicorn", "khuang.cli worker", "khuang.cli scheduler"):
            if name in args:
                found[name.split()[-1]] = int(child)
    return found


@pytest.fixture
def served(child_env, tmp_path):
    """`khuang serve` on the test database, as `make run` starts it; stopped (SIGTERM) afterwards."""
    port = _free_port()
    env = {**child_env, "KHUANG_VAR_DIR": str(tmp_path), "LOG_LEVEL": "WARNING",
           "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    proc = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as res:
                if res.status == 200:
                    break
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("khuang serve did not answer /healthz: " + proc.communicate()[0][-3000:])
    yield url, proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("khuang serve did not stop on SIGTERM")


def test_thirty_clients_one_slot_exactly_one_wins_no_resets(served, create_space, staff_user, soon):
    url, _ = served
    create_space("HALL-A", kind="hall", capacity_theatre=500)
    token = ApiToken.issue(staff_user)[1]
    # A reset or refused connection raises inside _race, so the test fails on any.
    codes = _race(url, token, [_body("HALL-A", soon + timedelta(minutes=i)) for i in range(CLIENTS)])
    assert sorted(codes) == [201] + [409] * (CLIENTS - 1)
    assert Booking.objects.filter(status="confirmed").count() == 1
    assert Occupancy.objects.filter(active=True).count() == 1


def test_a_killed_worker_is_restarted_and_the_server_stops_cleanly(served):
    url, proc = served
    before = _children(proc.pid)
    assert {"gunicorn", "worker", "scheduler"} <= set(before), before
    os.kill(before["worker"], signal.SIGKILL)
    deadline = time.monotonic() + 20
    after = {}
    while time.monotonic() < deadline:
        after = _children(proc.pid)
        if after.get("worker") not in (None, before["worker"]):
            break
        time.sleep(0.3)
    assert after.get("worker") not in (None, before["worker"]), after
    assert after["gunicorn"] == before["gunicorn"]  # the others were left alone
    # The new worker beats: /healthz counts it among the live workers.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as res:
            body = json.loads(res.read())
        if body["checks"]["tasks"]["live_workers"] >= 1:
            break
        time.sleep(0.5)
    assert body["status"] == "ok" and body["checks"]["tasks"]["live_workers"] >= 1, body
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=40) == 0
    for pid in after.values():
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
