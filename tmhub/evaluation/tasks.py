"""Background work of the evaluation app: computing a rating round (issue 17 item 2), queued
by the round's "compute" step once its transaction commits (eager in-process without a
broker, on a worker when REDIS_URL is set)."""

from celery import shared_task


@shared_task
def compute_rating_round(round_id: int) -> int:
    """Rate every subject of the round; its progress is stored on the round as it goes."""
    from tmhub.evaluation.services.ratings import run_computation

    return run_computation(round_id)
