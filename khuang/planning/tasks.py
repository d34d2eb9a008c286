"""Background work of the annual plan: thin tasks that take ids and call a service."""

from django.tasks import task


@task
def run_plan(plan_id: int) -> None:
    """Solve a queued plan version in the worker."""
    from .services import plan_run_execute

    plan_run_execute(plan_id)


@task
def reclaim_lost_runs() -> int:
    """Periodic: runs whose worker stopped beating are shown as "worker lost" (restartable)."""
    from .services import plans_mark_lost

    return plans_mark_lost()
