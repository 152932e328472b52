"""Keeping the indexes current: one document at a time from the event bus, full rebuilds.

``subscriptions.py`` calls ``record_changed`` once a write to a record that feeds an index has
committed (the bus never delivers a rolled-back write). A record that may no longer be shown
(withdrawn, closed, unpublished, deactivated, deleted) is removed from the index right there,
synchronously, so it disappears at once; an addition or an edit is handed to a Celery task
(eager when no broker is configured), searchable a moment later. Either way exactly the
documents named are written: no rebuild, whatever the size of the index.

With more than one machine (``MATCH_INDEX_FANOUT``, on whenever ``REDIS_URL`` is set) each
change is announced on a Redis stream instead, and every node's follower applies it to its
own index (``fanout.py``); a removal is still applied here at once as well.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from contextlib import contextmanager

from tmhub.matching.sources import SOURCES, doc_id
from tmhub.matching.store import get_handle

_suspended: contextvars.ContextVar[bool] = contextvars.ContextVar("match_index_suspended",
                                                                  default=False)


@contextmanager
def updates_suspended():
    """Ignore record changes inside the block (bulk loads rebuild the index once afterwards)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def sync_records(kind: str, pks: Iterable[int]) -> dict[str, int]:
    """Bring the entries of ``pks`` in line with the database in one index write:
    {"added": n, "removed": n, "absent": n}."""
    wanted = sorted({int(pk) for pk in pks})
    counts = {"added": 0, "removed": 0, "absent": 0}
    if not wanted:
        return counts
    source = SOURCES[kind]()
    rows = {row.pk: row for row in source.queryset().filter(pk__in=wanted)}
    documents = [source.document(rows[pk]) for pk in wanted if pk in rows]
    gone = [pk for pk in wanted if pk not in rows]

    applied = []

    def change(index):
        applied.append(True)
        for pk in gone:
            counts["removed" if index.remove(doc_id(pk)) else "absent"] += 1
        index.add_many(documents)
        return bool(documents) or counts["removed"] > 0  # False: nothing to save

    get_handle(kind).write(change)
    if not applied:  # there was no index: it was rebuilt from the database, these rows included
        counts["absent"] = len(gone)
    counts["added"] = len(documents)
    return counts


def sync_record(kind: str, pk: int) -> str:
    """Bring one record's entry in line with the database: 'added', 'removed' or 'absent'."""
    counts = sync_records(kind, [pk])
    return next(outcome for outcome, n in counts.items() if n)


def record_changed(kind: str, pk: int) -> None:
    """A committed change of one record: remove it now when it left the index's rows, else
    queue its update."""
    if _suspended.get():
        return
    from tmhub.matching import fanout
    from tmhub.matching.tasks import index_record

    leaves = SOURCES[kind]().indexable(pk) is None
    if fanout.enabled() and fanout.announce(kind, [pk]):
        if leaves:
            sync_record(kind, pk)  # gone here at once; the other nodes follow the stream
        return

    # A failure here is logged by the bus (the user's committed change stands). Reads re-check
    # status and scope in the database, so a missed removal shows nothing it should not; the
    # next write of the record or `rebuild_match_index` repairs the index.
    if leaves:
        sync_record(kind, pk)
    else:
        index_record.delay(kind, pk)


def records_changed(kind: str, pks: Iterable[int]) -> None:
    """Several committed changes of one kind (e.g. every manager of a renamed employer): one
    index write."""
    if _suspended.get():
        return
    from tmhub.matching import fanout

    pks = list(pks)
    if not (fanout.enabled() and fanout.announce(kind, pks)):
        sync_records(kind, pks)


def rebuild(kinds=None) -> dict[str, int]:
    """Rebuild the given kinds (all by default) from the database; {kind: documents}. With
    fan-out the other nodes are told to rebuild too."""
    from tmhub.matching import fanout

    counts = {kind: get_handle(kind).rebuild() for kind in (kinds or SOURCES)}
    if fanout.enabled():
        for kind in kinds or SOURCES:
            fanout.announce(kind, op="rebuild")
    return counts
