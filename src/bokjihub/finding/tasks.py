"""Background tasks of the finding track (huey). Thin: the services do the work."""

from huey.contrib.djhuey import db_task


@db_task()
def screening_run_task(run_id: int) -> None:
    """A screening round started from the web; its progress and outcome are on the row."""
    from bokjihub.finding.screening_runs import screening_run_execute

    screening_run_execute(run_id=run_id)


@db_task()
def item_match_propose_task(item_id: int) -> None:
    """The registry matcher for a report just received (run after its commit)."""
    from bokjihub.finding.matching import item_match_propose

    item_match_propose(item_id=item_id)
