"""Index updates fanned out through Redis: every node keeps its OWN index fresh.

The match index is derived data on each machine's local disk (``store.py``). Processes of one
machine share that directory and see each other's writes through its generation token; other
machines do not share a filesystem, so with ``MATCH_INDEX_FANOUT`` on (the default whenever
``REDIS_URL`` is set) every index change is also announced on one Redis stream, and every node
follows it:

* ``announce(kind, pks)`` — called by ``indexing.py`` once a write has committed — appends
  ``{kind, pks}`` to the stream ``<MATCH_INDEX_STREAM>:<database key>`` (trimmed to about
  ``MATCH_INDEX_STREAM_LENGTH`` entries). A whole rebuild is announced as ``{op: rebuild}``.
* A follower thread in every server process (gunicorn worker, Celery worker) blocks on the
  stream and, when entries arrive, ``catch_up()`` applies them to the node's index: under an
  exclusive lock of the node's index root it reads the node's cursor (the last entry applied,
  a file beside the indexes), re-reads the named rows from the database (``sync_records``:
  the database is the truth, so applying an entry twice or late is harmless) and writes the
  new cursor. The other processes of the same node then find nothing left to do.
* A node that starts without a cursor, or that finds entries it has not applied already
  trimmed from the stream (the stream's ``entries-added`` count, Redis 7, against the count
  kept with the cursor), rebuilds every index from the database first and then follows the
  stream from the point it read before rebuilding.

So a node needs nothing but the database and Redis: it can be added, replaced or restarted
at any time (``manage.py rebuild_match_index --missing`` at start builds what is absent). If
Redis cannot be reached when a change is announced, the writing node updates its own index
directly and the error is logged; reads always re-check status and scope in the database, so a
node that missed an update shows nothing it should not, and the next edit of the record or
``rebuild_match_index`` repairs it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

CURSOR_FILE = "fanout.cursor"
LOCK_FILE = "fanout.lock"
BATCH = 500


def enabled() -> bool:
    """On when configured, and only for a database other processes can see (an in-memory
    SQLite database has a process-private index)."""
    if not (getattr(settings, "MATCH_INDEX_FANOUT", False) and settings.REDIS_URL):
        return False
    from tmhub.matching.store import is_process_private

    return not is_process_private(_root())


def _root() -> Path:
    from tmhub.matching.store import index_root

    return index_root()


def stream_key(root: Path | None = None) -> str:
    """One stream per database (the index root's name is the database key)."""
    prefix = getattr(settings, "MATCH_INDEX_STREAM", "tmhub:match-index")
    return f"{prefix}:{(root or _root()).name}"


def node_id(root: Path | None = None) -> str:
    """This node's index, as named in the entries it announces."""
    return f"{os.uname().nodename}:{root or _root()}"


_clients: dict[str, object] = {}


def _client():
    import redis

    url = settings.REDIS_URL
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(
            url, socket_timeout=10, socket_connect_timeout=3, health_check_interval=30
        )
    return _clients[url]


# ------------------------------------------------------------------ writing side
def announce(kind: str | None, pks=(), *, op: str = "sync") -> bool:
    """Append one change to the stream; False (logged) when Redis could not be reached."""
    fields = {
        "op": op,
        "kind": kind or "",
        "pks": json.dumps(sorted({int(pk) for pk in pks})),
        "origin": node_id(),
        "at": f"{time.time():.6f}",
    }
    try:
        _client().xadd(
            stream_key(),
            fields,
            maxlen=getattr(settings, "MATCH_INDEX_STREAM_LENGTH", 100_000),
            approximate=True,
        )
    except Exception:  # noqa: BLE001 - the committed change stands; see the module docstring
        log.exception("could not announce a %s index change on Redis", kind or "full")
        return False
    ensure_follower()
    return True


# ------------------------------------------------------------------ following side
@contextmanager
def _node_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_cursor_file(root: Path) -> tuple[str | None, int | None]:
    """(last entry applied, the stream's entries-added count when it was the last entry)."""
    try:
        text = (root / CURSOR_FILE).read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return None, None
    if not text:
        return None, None
    return text[0], int(text[1]) if len(text) > 1 and text[1].isdigit() else None


def read_cursor(root: Path | None = None) -> str | None:
    return _read_cursor_file(root or _root())[0]


def _write_cursor(root: Path, entry_id: str, added: int | None) -> None:
    temporary = root / f".{CURSOR_FILE}.{os.getpid()}"
    temporary.write_text(f"{entry_id} {'' if added is None else added}".strip(), "utf-8")
    os.replace(temporary, root / CURSOR_FILE)


def _id_tuple(entry_id: str) -> tuple[int, int]:
    ms, _, seq = str(entry_id).partition("-")
    return int(ms), int(seq or 0)


def _text(value) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _stream_state(client, key: str) -> dict:
    """One consistent look at the stream (XINFO STREAM): last id, entries ever added (Redis 7),
    length, first entry id."""
    try:
        info = client.xinfo_stream(key)
    except Exception as exc:  # noqa: BLE001 - redis raises ResponseError for a missing key
        if "no such key" in str(exc).lower():
            return {"last": "0-0", "added": 0, "length": 0, "first": None}
        raise
    first = info.get("first-entry")
    return {
        "last": _text(info.get("last-generated-id")) or "0-0",
        "added": info.get("entries-added"),
        "length": int(info.get("length") or 0),
        "first": _text(first[0]) if first else None,
    }


def _missed(state: dict, cursor: str, added_at_cursor: int | None) -> bool:
    """Were entries after ``cursor`` trimmed away before this node applied them? Entries added
    since the cursor (by the stream's count) must all still be in the stream."""
    if added_at_cursor is None or state["added"] is None:
        return False  # unknown (Redis before 7): replay what is there
    added_since = int(state["added"]) - added_at_cursor
    if added_since <= 0:
        return False
    if state["first"] is None:
        present = 0
    elif _id_tuple(state["first"]) > _id_tuple(cursor):
        present = state["length"]
    else:
        return False  # the stream still starts at or before the cursor: nothing lost
    return added_since > present


def _rebuild_all(root: Path, client, key: str) -> tuple[str, int | None]:
    from tmhub.matching.sources import SOURCES
    from tmhub.matching.store import get_handle

    state = _stream_state(client, key)  # read before the database: later entries replay
    for kind in SOURCES:
        get_handle(kind).rebuild(reason="no fan-out cursor on this node, or entries were missed")
    _write_cursor(root, state["last"], state["added"])
    return state["last"], state["added"]


def catch_up() -> int:
    """Apply every stream entry this node has not applied yet; returns how many."""
    from tmhub.matching.indexing import sync_records
    from tmhub.matching.store import get_handle

    root, client = _root(), _client()
    key, me = stream_key(root), node_id(root)
    applied = 0
    with _node_lock(root):
        cursor, added = _read_cursor_file(root)
        if cursor is None or _missed(_stream_state(client, key), cursor, added):
            cursor, added = _rebuild_all(root, client, key)
        while True:
            entries = client.xrange(key, min=f"({cursor}", count=BATCH)
            if not entries:
                state = _stream_state(client, key)
                if _id_tuple(state["last"]) <= _id_tuple(cursor):
                    # caught up: the count of this snapshot belongs with the cursor
                    _write_cursor(root, cursor, state["added"])
                    return applied
                if _missed(state, cursor, added) or not client.xrange(
                    key, min=f"({cursor}", count=1
                ):
                    # newer entries than the cursor were written but none is left to read:
                    # trimmed before this node applied them
                    cursor, added = _rebuild_all(root, client, key)
                continue  # entries arrived meanwhile
            wanted: dict[str, set[int]] = {}
            rebuild: set[str] | None = None
            for _entry_id, fields in entries:
                fields = {k.decode(): v.decode() for k, v in fields.items()}
                if fields.get("op") == "rebuild" and fields.get("origin") != me:
                    rebuild = (rebuild or set()) | (
                        {fields["kind"]} if fields.get("kind") else {"*"}
                    )
                elif fields.get("op") == "sync":
                    wanted.setdefault(fields["kind"], set()).update(json.loads(fields["pks"]))
            if rebuild:
                from tmhub.matching.sources import SOURCES

                for kind in SOURCES if "*" in rebuild else rebuild:
                    get_handle(kind).rebuild(reason="announced on the fan-out stream")
                    wanted.pop(kind, None)
            for kind, pks in wanted.items():
                sync_records(kind, pks)
            cursor = entries[-1][0].decode()
            # progress kept with the older count: after a crash here the worst case is a
            # needless rebuild, never a missed entry
            _write_cursor(root, cursor, added)
            applied += len(entries)


def lag() -> dict:
    """How far this node's cursor is behind the stream (for /healthz)."""
    root = _root()
    cursor = read_cursor(root)
    last = _stream_state(_client(), stream_key(root))["last"]
    behind = None if cursor is None else max(0, _id_tuple(last)[0] - _id_tuple(cursor)[0])
    return {"cursor": cursor, "last": last, "behind_ms": behind}


class Follower(threading.Thread):
    """Blocks on the stream; on new entries, catches this node up (see ``catch_up``)."""

    def __init__(self):
        super().__init__(name="match-index-fanout", daemon=True)
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import connection

        last_seen = None
        while not self.stop.is_set():
            try:
                if last_seen is None:
                    catch_up()
                    last_seen = read_cursor() or "0-0"
                entries = _client().xread({stream_key(): last_seen}, count=BATCH, block=5000)
                if entries:
                    last_seen = entries[0][1][-1][0].decode()
                    catch_up()
            except Exception:  # noqa: BLE001 - keep following; the next round retries
                log.exception("match index fan-out follower")
                last_seen = None
                self.stop.wait(2)
            finally:
                connection.close()


_follower: Follower | None = None
_follower_pid: int | None = None
_follower_lock = threading.Lock()


def ensure_follower() -> Follower | None:
    """Start this process's follower once (after a fork, again in the child)."""
    global _follower, _follower_pid
    if not enabled():
        return None
    with _follower_lock:
        if _follower is None or _follower_pid != os.getpid() or not _follower.is_alive():
            _follower, _follower_pid = Follower(), os.getpid()
            _follower.start()
        return _follower
