"""Periodic jobs of the system: reclaim lost tasks, nightly backup, prune old task results."""

from django.tasks import task


@task
def reclaim_lost_tasks() -> dict:
    """Run again (or fail) the tasks that a dead worker left running."""
    from .services import tasks_reclaim

    return tasks_reclaim()


@task
def nightly_backup() -> str:
    """Back up the database into KHUANG_BACKUP_DIR and keep the newest KHUANG_BACKUP_KEEP."""
    from .backups import backup_nightly

    return str(backup_nightly().path)


@task
def prune_task_results() -> None:
    """Forget finished task results older than a week (the database backend keeps every one)."""
    from django.conf import settings
    from django.core.management import call_command

    if settings.KHUANG_TASKS != "redis":
        call_command("prune_db_task_results", min_age_days=7, verbosity=0)
