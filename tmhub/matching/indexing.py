"""Keeping the indexes current: record changes from the transfer services, full rebuilds.

The transfer services call our hooks with a record id after their transaction commits. A record
that may no longer be shown (withdrawn, closed, unpublished, deleted) is removed from the index
right there, synchronously, so it disappears at once; an addition or an edit is handed to a
Celery task (eager when no broker is configured), searchable a moment later.
"""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager

from tmhub.matching.sources import SOURCES, doc_id
from tmhub.matching.store import get_handle

log = logging.getLogger(__name__)

_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("match_index_suspended",
                                                                  default=False)


@contextmanager
def updates_suspended():
    """Ignore change hooks inside the block (bulk loads rebuild the index once afterwards)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def sync_record(kind: str, pk: int) -> str:
    """Bring one record's entry in line with the database: 'added', 'removed' or 'absent'."""
    source = SOURCES[kind]()
    row = source.indexable(pk)
    handle = get_handle(kind)
    if row is None:
        removed = []

        def remove(index):
            removed.append(index.remove(doc_id(pk)))
            return removed[0]

        handle.write(remove)
        return "removed" if removed and removed[0] else "absent"
    document = source.document(row)
    handle.write(lambda index: index.update(document))
    return "added"


def record_changed(kind: str, pk: int) -> None:
    """Hook body: remove now when the record left the marketplace, else queue the update."""
    if _suspended.get():
        return
    from tmhub.matching.tasks import index_record

    # The record is committed; a failure here must not turn the user's request into an error.
    # Reads re-check status and scope in the database, so a missed removal hides nothing
    # less; the next write or `rebuild_match_index` repairs the index.
    try:
        if SOURCES[kind]().indexable(pk) is None:
            sync_record(kind, pk)
        else:
            index_record.delay(kind, pk)
    except Exception:
        log.exception("could not update the %s match index for record %s", kind, pk)


def achievement_changed(pk: int) -> None:
    record_changed("achievements", pk)


def demand_changed(pk: int) -> None:
    record_changed("demands", pk)


def rebuild(kinds=None) -> dict[str, int]:
    """Rebuild the given kinds (all by default) from the database; {kind: documents}."""
    return {kind: get_handle(kind).rebuild() for kind in (kinds or SOURCES)}
