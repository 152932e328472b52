"""Background work of the matching app (eager in-process when no broker is configured)."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def index_record(kind: str, pk: int) -> str:
    """Add, update or remove one record in the ``kind`` index."""
    from tmhub.matching.indexing import sync_record

    return sync_record(kind, pk)


@shared_task
def rebuild_index(kind: str) -> int:
    """Rebuild one index from the database."""
    from tmhub.matching.store import get_handle

    return get_handle(kind).rebuild()
