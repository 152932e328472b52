"""Match indexes on disk, shared by every server process.

Layout under ``MATCH_INDEX_DIR`` (default ``VAR_DIR / "match-index"``)::

    <database key>/<kind>/            the engine's index directory (MANIFEST.json + segments)
    <database key>/<kind>.lock        fcntl lock: exclusive for the one writer, shared for loads
    <database key>/<kind>.generation  random token rewritten after every write

The database key keeps indexes of different databases apart (a development SQLite file, a
PostgreSQL evaluation database); an in-memory database gets a directory private to the process,
since no other process can see its rows.

Readers: every process memory-maps the index once and, before each search, compares the
generation token (one small file read); when another process wrote a new generation it reloads
(under the shared lock, so it never sees a half-swapped directory). Writers take the exclusive
lock, reload if stale, apply the change, save (the engine writes a complete new directory and
swaps it in atomically) and write a new generation token. A missing or corrupt index is rebuilt
from the database, logged, never served as an empty result.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tmhub.matching.engine import IndexCorrupt, IndexMissing, MatchIndex

log = logging.getLogger(__name__)

_PROCESS_PRIVATE: dict[str, Path] = {}


def index_root() -> Path:
    """Directory holding the indexes of the current database."""
    base = Path(getattr(settings, "MATCH_INDEX_DIR", None) or settings.VAR_DIR / "match-index")
    db = connection.settings_dict
    name = str(db.get("NAME") or "")
    if connection.vendor == "sqlite" and (not name or name == ":memory:"
                                          or "mode=memory" in name):
        # Nobody else can see this database's rows: the index is private to the process
        # (and to the configured base, so a test that points MATCH_INDEX_DIR elsewhere
        # starts from nothing), and removed when the process ends.
        key = f"{os.getpid()}:{name}:{base}"
        if key not in _PROCESS_PRIVATE:
            private = Path(tempfile.mkdtemp(prefix="tmhub-match-index-"))
            atexit.register(shutil.rmtree, private, ignore_errors=True)
            _PROCESS_PRIVATE[key] = private
        return _PROCESS_PRIVATE[key]
    digest = hashlib.blake2b(f"{db.get('HOST')}:{db.get('PORT')}:{name}".encode(),
                             digest_size=5).hexdigest()
    label = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(name).stem)[:40]
    return base / f"{connection.vendor}-{label}-{digest}"


def is_process_private(root: Path) -> bool:
    """True for the index of an in-memory database (nobody else can see its rows)."""
    return Path(root) in _PROCESS_PRIVATE.values()


def index_exists(kind: str) -> bool:
    """Whether the current database's ``kind`` index has been built on this node."""
    return (index_root() / kind / "MANIFEST.json").exists()


class IndexHandle:
    """One kind of index as seen by one process (see the module docstring).

    ``source`` supplies the documents of a rebuild (``documents()``); single changes arrive
    through ``write`` (see ``indexing.py``, fed by the event bus).
    """

    def __init__(self, kind: str, root: Path, source):
        self.kind = kind
        self.root = Path(root)
        self.source = source
        self.directory = self.root / kind
        self.lock_path = self.root / f"{kind}.lock"
        self.generation_path = self.root / f"{kind}.generation"
        self._index: MatchIndex | None = None
        self._generation: str | None = None
        self._mutex = threading.RLock()

    # ------------------------------------------------------------ files
    @contextmanager
    def _file_lock(self, shared: bool = False):
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def _write(self, path: Path, text: str) -> None:
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)

    def _publish(self, index: MatchIndex) -> None:
        """Record a new generation (caller holds the exclusive lock and has saved)."""
        generation = uuid.uuid4().hex
        self._write(self.generation_path, generation)
        self._index, self._generation = index, generation

    # ------------------------------------------------------------ reads
    def get(self) -> MatchIndex:
        """The current index: reloaded after another process's write, rebuilt when missing
        or corrupt."""
        with self._mutex:
            if self._index is not None and self._read(self.generation_path) == self._generation:
                return self._index
            try:
                with self._file_lock(shared=True):
                    self._load_locked()
            except (IndexMissing, IndexCorrupt) as exc:
                self.rebuild(reason=str(exc))
            return self._index

    def _load_locked(self) -> None:
        generation = self._read(self.generation_path)
        verify = "full" if self._index is None else "size"
        index = MatchIndex.load(str(self.directory), verify=verify)
        self._index, self._generation = index, generation

    # ----------------------------------------------------------- writes
    def rebuild(self, reason: str = "") -> int:
        """Build the index from the database and swap it in; returns the document count."""
        with self._mutex, self._file_lock():
            if reason:
                log.warning("rebuilding the %s match index: %s", self.kind, reason)
            index = MatchIndex.build(self.source.documents(), directory=str(self.directory))
            self._publish(index)
            return len(index)

    def write(self, change: Callable[[MatchIndex], object]) -> None:
        """Apply ``change`` to the newest index as the only writer, save and publish it
        (unless ``change`` returns False: nothing to save)."""
        with self._mutex, self._file_lock():
            try:
                if self._index is None or self._read(self.generation_path) != self._generation:
                    self._load_locked()
            except (IndexMissing, IndexCorrupt) as exc:
                log.warning("rebuilding the %s match index before a write: %s", self.kind, exc)
                index = MatchIndex.build(self.source.documents(), directory=str(self.directory))
                self._publish(index)
                return  # the rebuild already reflects the database, change included
            try:
                if change(self._index) is False:
                    return  # nothing changed: no new generation for readers to load
                self._index.save(str(self.directory))
            except Exception:
                self._index = None  # memory may now differ from disk: reload next time
                raise
            self._publish(self._index)


_HANDLES: dict[tuple[str, str], IndexHandle] = {}
_HANDLES_LOCK = threading.Lock()


def get_handle(kind: str) -> IndexHandle:
    """The process-wide handle of ``kind`` for the current database (and, with fan-out, this
    process's follower of the other nodes' changes, started on first use)."""
    from tmhub.matching import fanout
    from tmhub.matching.sources import SOURCES

    fanout.ensure_follower()
    root = index_root()
    key = (kind, str(root))
    with _HANDLES_LOCK:
        if key not in _HANDLES:
            _HANDLES[key] = IndexHandle(kind, root, SOURCES[kind]())
        return _HANDLES[key]
