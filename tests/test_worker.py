"""Hold expiry and promotion, end to end through the real task worker process."""

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from khuang.bookings.models import Booking
from khuang.bookings.services import BookingDraft, booking_create

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def test_worker_expires_first_option_and_promotes_and_mails_the_next(create_space, staff_user, soon, child_env,
                                                                     tmp_path):
    room = create_space("MR-1")
    expiry = timezone.now() + timedelta(seconds=3)
    first = booking_create(BookingDraft(space=room, title="First", start=soon, end=soon + timedelta(hours=2),
                                        status="hold", hold_expires_at=expiry), actor=staff_user)
    second = booking_create(BookingDraft(space=room, title="Second", start=soon, end=soon + timedelta(hours=2),
                                         status="hold", contact_email="second-option@example.org"),
                            actor=staff_user)
    assert (first.option_rank, second.option_rank) == (1, 2)

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env={**child_env, "EMAIL_URL": f"file://{tmp_path}"}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            second.refresh_from_db()
            if second.option_rank == 1:
                break
            time.sleep(0.3)
        # Give the worker a moment to run the notification it enqueued after promoting.
        time.sleep(2)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
    first.refresh_from_db()
    assert first.status == "cancelled" and first.status_reason
    assert second.option_rank == 1 and second.occupies
    mail = "".join(p.read_text() for p in tmp_path.iterdir())  # production mail goes out, never to the logs
    assert "second-option@example.org" in mail, output[-2000:]
    assert "second-option@example.org" not in output
    assert Booking.objects.filter(status="hold", option_rank=1).count() == 1


def test_the_scheduled_sweep_and_worker_lapse_a_hold_whose_own_task_was_lost(create_space, staff_user, soon,
                                                                            child_env):
    from django_tasks_db.models import DBTaskResult

    room = create_space("MR-1")
    hold = booking_create(BookingDraft(space=room, title="Forgotten", start=soon, end=soon + timedelta(hours=2),
                                       status="hold"), actor=staff_user)
    DBTaskResult.objects.all().delete()  # its own expiry task is lost (the worker was down, the queue wiped)
    Booking.objects.filter(pk=hold.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=5))
    # What the scheduler does every five minutes (KHUANG_PERIODIC_JOBS), then one pass of the worker.
    sweep = ["shell", "-c", "from khuang.bookings.tasks import expire_due_holds; expire_due_holds.enqueue()"]
    for command in (sweep, ["db_worker", "--batch", "--no-startup-delay"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=child_env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    hold.refresh_from_db()
    assert hold.status == "cancelled" and not hold.occupies
