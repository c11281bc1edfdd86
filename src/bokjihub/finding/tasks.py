"""Background tasks of the finding track (huey). Thin: the services do the work."""

from huey.contrib.djhuey import db_task


@db_task()
def screening_run_task(run_id: int) -> None:
    """A screening round started from the web; its progress and outcome are on the row."""
    from bokjihub.finding.screening_runs import screening_run_execute

    screening_run_execute(run_id=run_id)
