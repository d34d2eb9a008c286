"""Backups proven: back up, wipe, restore, and every booking, occupancy row, registration and audit entry is
back exactly; restore refuses while the database is in use; the nightly job keeps only the newest."""

import os
import stat
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from khuang.bookings.models import Booking, Occupancy
from khuang.core.models import AuditEntry
from khuang.public.models import Registration
from khuang.public.services import RegistrationDraft, registration_create
from khuang.system.backups import backup_kind, backup_nightly, backup_prune
from khuang.system.models import WorkerBeat

pytestmark = pytest.mark.django_db(transaction=True)
MODELS = (Booking, Occupancy, Registration, AuditEntry)


def _snapshot() -> dict[str, list[dict]]:
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}


@pytest.fixture
def venue_with_history(create_space, create_booking, staff_user, soon):
    """The demo venue plus a public event with registrations and a waiting list, and some cancellations."""
    from khuang.public.models import EventPage

    call_command("load_demo", verbosity=0)
    room = create_space("BK-ROOM")
    event = create_booking(space=room, start=soon, is_public=True, title="Backup fair")
    EventPage.objects.create(booking=event, capacity=3, waiting_list=True, registration_open=True)
    for i in range(5):
        registration_create(event, RegistrationDraft(name=f"ผู้ลงทะเบียน {i}", email=f"p{i}@example.org",
                                                     phone="0812345678", organisation="DIPROM"))
    create_booking(space=room, start=soon + timedelta(days=2), status="hold")
    snap = _snapshot()
    assert all(snap[m.__name__] for m in MODELS), {k: len(v) for k, v in snap.items()}
    assert len(snap["Registration"]) >= 5
    return snap


@pytest.fixture
def sole_user_of_the_database():
    """Threads of earlier tests may leave sessions open on the test database; restore rightly refuses then."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def test_backup_wipe_restore_gives_back_every_row(venue_with_history, tmp_path, sole_user_of_the_database):
    before = venue_with_history
    target = tmp_path / "nightly" / "khuang.backup"
    call_command("backup", "-o", str(target), verbosity=0)
    assert target.exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert backup_kind(target) == connection.vendor

    call_command("flush", interactive=False, verbosity=0)
    assert not Booking.objects.exists() and not AuditEntry.objects.exists()

    call_command("restore", str(target), interactive=False, verbosity=0)
    after = _snapshot()
    for name in before:
        assert after[name] == before[name], name
    # The restored database works on: the next booking gets a fresh id, the guarantee holds.
    assert Booking.objects.order_by("-pk").first().pk == before["Booking"][-1]["id"]


def test_restore_refuses_while_the_database_is_in_use(venue_with_history, tmp_path, sole_user_of_the_database):
    target = tmp_path / "b.backup"
    call_command("backup", "-o", str(target), verbosity=0)
    WorkerBeat.objects.create(worker_id="w1", hostname="here", pid=4242, started_at=timezone.now(),
                              beat_at=timezone.now())
    with pytest.raises(CommandError) as err:
        call_command("restore", str(target), interactive=False, verbosity=0)
    assert "task worker here pid 4242" in str(err.value) and "systemctl stop" in str(err.value)
    WorkerBeat.objects.all().delete()
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        other = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"] or "postgres",
                                dbname=s["NAME"], application_name="khuang-web")
        try:
            with pytest.raises(CommandError) as err:
                call_command("restore", str(target), interactive=False, verbosity=0)
            assert "PostgreSQL session" in str(err.value) and "khuang-web" in str(err.value)
        finally:
            other.close()
    assert Booking.objects.count() == len(venue_with_history["Booking"])  # nothing was touched


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    with pytest.raises(CommandError, match="not a Khuang backup"):
        call_command("restore", str(bad), interactive=False, verbosity=0)


def test_nightly_backup_keeps_the_newest(db, settings, tmp_path):
    settings.KHUANG_BACKUP_DIR = tmp_path / "nightly"
    settings.KHUANG_BACKUP_KEEP = 3
    settings.KHUANG_BACKUP_DIR.mkdir()
    ext = "dump" if connection.vendor == "postgresql" else "sqlite3"
    for day in range(1, 6):  # five older nightly backups, and a file of someone else's
        (settings.KHUANG_BACKUP_DIR / f"khuang-202611{day:02d}-023000.{ext}").write_bytes(b"old")
    (settings.KHUANG_BACKUP_DIR / "keep-me.txt").write_text("mine")
    info = backup_nightly()
    names = sorted(p.name for p in settings.KHUANG_BACKUP_DIR.iterdir())
    assert info.path.name in names and backup_kind(info.path) == connection.vendor
    assert names == sorted([info.path.name, f"khuang-20261105-023000.{ext}", f"khuang-20261104-023000.{ext}",
                            "keep-me.txt"])
    assert stat.S_IMODE(os.stat(settings.KHUANG_BACKUP_DIR).st_mode) == 0o700
    assert backup_prune(settings.KHUANG_BACKUP_DIR, 1) == [
        settings.KHUANG_BACKUP_DIR / f"khuang-20261105-023000.{ext}",
        settings.KHUANG_BACKUP_DIR / f"khuang-20261104-023000.{ext}"]
