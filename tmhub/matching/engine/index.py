"""MatchIndex: segments + pending documents + tombstones, with search and persistence."""

from __future__ import annotations

import math
import os
import shutil
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any, NamedTuple

import numpy as np

from . import scoring
from .builder import SegmentBuilder
from .documents import Document, ScoringParams
from .segment import Segment, merge_segments
from .semantic import SemanticStore
from .storage import (
    IndexCorrupt,
    IndexStorageError,
    link_or_copy_tree,
    new_staging_dir,
    read_manifest,
    swap_in,
    write_manifest,
)
from .text import warm_up

# a merge tier holds segments whose size has the same order of magnitude (base 4)
_TIER_BASE = 4.0


class SearchHit(NamedTuple):
    """One search result; unpacks as ``(id, score, explanation)``."""

    id: str
    score: float
    explanation: dict[str, Any]


class MatchIndex:
    """Hybrid lexical + structured (+ optional semantic) index of documents.

    Documents live in immutable :class:`Segment` objects.  ``add`` puts a
    document in a pending buffer; the next search (or save) seals the buffer
    into a tiny segment - milliseconds - so an added document is searchable
    at once.  ``remove`` sets a tombstone, so a removed document is never
    returned again.  Small segments are merged by size tier (log-structured,
    like Lucene's merge policy) when a tier holds more than
    ``max_small_segments`` of them, so the segment count stays low without
    rewriting the large segments; ``optimize()`` merges everything and purges
    deleted documents.

    Thread safety: searches may run concurrently; writes take a lock.
    """

    def __init__(self, params: ScoringParams | None = None, *, segment_size: int = 32768,
                 max_small_segments: int = 4,
                 semantic_encoder=None):
        self.params = params or ScoringParams()
        self.segment_size = segment_size
        self.max_small_segments = max_small_segments
        self._segments: list[Segment] = []
        self._deleted: list[np.ndarray] = []
        self._segment_dirs: list[str | None] = []  # on-disk folder of a loaded segment
        # manifest entries (size, checksum) of the files of each on-disk segment folder, so a
        # save that hard-links the folder does not read its files again
        self._folder_files: dict[str, dict[str, dict]] = {}
        self._pending: dict[str, Document] = {}
        self._distribution: dict[str, float] | None = None
        self.generation: str | None = None  # manifest generation this index was saved/loaded as
        self._lock = threading.RLock()
        self.semantic = SemanticStore(semantic_encoder)
        warm_up()

    # ----------------------------------------------------------------- build
    @classmethod
    def build(cls, docs: Iterable[Mapping[str, Any] | Document],
              params: ScoringParams | None = None, *, directory: str | None = None,
              workers: int = 1, **options) -> MatchIndex:
        """Index ``docs`` (an iterable, consumed in chunks of ``segment_size``).

        With ``directory`` each segment is written to disk as soon as it is
        built and then memory-mapped, so building a million records keeps
        only a chunk or two in memory; ``workers > 1`` builds that many
        segments at once in forked processes.  The finished index is swapped
        in atomically.  Ids should be unique: a repeated id keeps its last
        version within a chunk, but copies in different chunks would both stay.
        """
        index = cls(params, **options)
        staging = new_staging_dir(directory) if directory else None
        builder = SegmentBuilder(index.params, index.segment_size, staging, workers)
        try:
            for segment, folder, chunk in builder.build(docs):
                index._segments.append(segment)
                index._segment_dirs.append(folder)
                index._deleted.append(np.zeros(segment.n_docs, bool))
                index.semantic.mark_pending((d.id, d.semantic_text) for d in chunk)
            manifest = index._write(staging) if staging else None
        except BaseException:
            if staging:  # leave the previous index (if any) untouched, and no debris
                shutil.rmtree(staging, ignore_errors=True)
            raise
        if staging:
            swap_in(staging, directory)
            index._segment_dirs = [os.path.join(directory, os.path.basename(folder))
                                   for folder in index._segment_dirs]
            index._segments = [Segment.load(folder) for folder in index._segment_dirs]
            index._remember_files(directory, manifest)
        return index

    # ---------------------------------------------------------------- writes
    def add(self, doc: Mapping[str, Any] | Document) -> None:
        """Add (or replace) one document; it is searchable on the next search."""
        self.add_many([doc])

    def update(self, doc: Mapping[str, Any] | Document) -> None:
        """Replace the document with the same id (same as :meth:`add`)."""
        self.add_many([doc])

    def add_many(self, docs: Iterable[Mapping[str, Any] | Document]) -> None:
        """Add or replace several documents."""
        with self._lock:
            for raw in docs:
                doc = Document.from_mapping(raw)
                self._tombstone(doc.id)
                self._pending[doc.id] = doc
                self.semantic.mark_pending([(doc.id, doc.semantic_text)])
            if len(self._pending) >= self.segment_size:
                self._seal_pending()

    def remove(self, doc_id: str) -> bool:
        """Delete a document; it is never returned again.  False if it was unknown."""
        with self._lock:
            found = self._tombstone(str(doc_id))
            if str(doc_id) in self._pending:
                del self._pending[str(doc_id)]
                found = True
            self.semantic.forget(str(doc_id))
            return found

    def _length_norms(self) -> dict[str, float | None]:
        """Average lengths of the first segment, reused by later ones so that
        impacts of small delta segments are comparable with the main one."""
        if not self._segments:
            return {"avgdl": None, "title_avgdl": None}
        first = self._segments[0]
        return {"avgdl": first.avgdl, "title_avgdl": first.title_avgdl}

    def _tombstone(self, doc_id: str) -> bool:
        found = False
        for segment_no, segment in enumerate(self._segments):
            local = segment.local_doc(doc_id)
            if local >= 0 and not self._deleted[segment_no][local]:
                self._deleted[segment_no][local] = True
                found = True
        return found

    def _seal_pending(self) -> None:
        """Turn the pending buffer into a segment, then merge a crowded size tier."""
        if not self._pending:
            return
        segment = Segment.build(list(self._pending.values()), self.params, **self._length_norms())
        self._segments.append(segment)
        self._deleted.append(np.zeros(segment.n_docs, bool))
        self._segment_dirs.append(None)
        self._pending.clear()
        small_limit = self.segment_size // 4
        tiers: dict[int, list[int]] = {}
        for position, candidate in enumerate(self._segments):
            if candidate.n_docs < small_limit:
                tier = int(math.log(max(candidate.n_docs, 1), _TIER_BASE))
                tiers.setdefault(tier, []).append(position)
        for positions in tiers.values():
            if len(positions) > self.max_small_segments:
                self._merge(positions)
                break

    def _merge(self, positions: list[int]) -> None:
        merged = merge_segments([self._segments[i] for i in positions],
                                [self._deleted[i] for i in positions])
        keep = [i for i in range(len(self._segments)) if i not in positions]
        self._segments = [self._segments[i] for i in keep] + [merged]
        self._deleted = [self._deleted[i] for i in keep] + [np.zeros(merged.n_docs, bool)]
        self._segment_dirs = [self._segment_dirs[i] for i in keep] + [None]
        self._distribution = None

    def optimize(self) -> None:
        """Seal pending documents and merge all segments, dropping deleted documents."""
        with self._lock:
            self._seal_pending()
            if len(self._segments) > 1 or any(d.any() for d in self._deleted):
                self._merge(list(range(len(self._segments))))

    # ---------------------------------------------------------------- reads
    def __len__(self) -> int:
        """Number of live documents."""
        live = sum(int((~deleted).sum()) for deleted in self._deleted)
        return live + len(self._pending)

    def __contains__(self, doc_id: str) -> bool:
        if doc_id in self._pending:
            return True
        return any(
            (local := segment.local_doc(doc_id)) >= 0 and not self._deleted[no][local]
            for no, segment in enumerate(self._segments))

    def segment_stats(self) -> list[tuple[int, int]]:
        """(documents, deleted documents) of each segment, oldest first, pending documents
        sealed: how an update was applied (a rebuild leaves no deletions, an incremental
        update adds a small segment and a tombstone in the old one)."""
        with self._lock:
            self._seal_pending()
            return [(segment.n_docs, int(deleted.sum()))
                    for segment, deleted in zip(self._segments, self._deleted)]

    def _views(self) -> list[scoring.SegmentView]:
        with self._lock:
            self._seal_pending()
            return [scoring.SegmentView(s, d) for s, d in zip(self._segments, self._deleted)]

    def discipline_distribution(self) -> dict[str, float]:
        """Share of each discipline among indexed documents (prior of the affinity signal).

        Cached; refreshed when segments are merged or loaded - a prior over
        thousands of records barely moves with single additions."""
        if self._distribution is None:
            counts: dict[str, float] = {}
            for view in self._views():
                column = view.segment.attributes.get(scoring.AFFINITY_ATTRIBUTE)
                if column is None or column.kind != "str":
                    continue
                codes = np.asarray(column.values)[~view.deleted[: len(column.values)]]
                tally = np.bincount(codes[codes >= 0], minlength=len(column.table))
                for value, count in zip(column.table, tally):
                    counts[value] = counts.get(value, 0) + int(count)
            total = sum(counts.values())
            self._distribution = {k: v / total for k, v in counts.items()} if total else {}
        return self._distribution

    def search(self, query: str, top_k: int = 10, *, filters: Mapping[str, Any] | None = None,
               structured: Mapping[str, Any] | None = None,
               exclude_ids: Iterable[str] = ()) -> list[SearchHit]:
        """Rank live documents for ``query``.

        ``filters`` restrict the candidates (``{"district": "海淀区", "trl":
        {"min": 4}}``); ``structured`` adds score for matching attributes
        without excluding others (``{"discipline": "计算机科学与技术", "trl":
        6}``, or ``{"district": {"value": "海淀区", "weight": 2}}``).  A query
        with empty text ranks by the structured signals alone.
        """
        views = self._views()
        terms = scoring.parse_query(query or "", self.params.title_channel_weight,
                                    self.params.drop_stop_words)
        if terms.empty and not structured and not filters:
            return []
        excluded = set(exclude_ids)
        depth = max(self.params.rerank_depth, top_k + len(excluded))
        cands = scoring.lexical_candidates(views, terms, filters, depth, structured)
        if not len(cands):
            return []
        scoring.add_coverage(views, terms, cands)
        scoring.add_affinity(views, cands, self.discipline_distribution())
        if structured:
            scoring.add_structured(views, cands, structured)
        def id_at(position: int) -> str:
            return str(views[int(cands.segment_no[position])].segment.ids[cands.doc[position]])

        if self.params.semantic_weight and self.semantic.available and not terms.empty:
            similarities = self.semantic.similarities(query, [id_at(p) for p in range(len(cands))])
            cands.signals["semantic"] = np.array([s or 0.0 for s in similarities])
        scoring.combine(cands, self.params)
        hits: list[SearchHit] = []
        seen: set[str] = set()
        shown = [scoring.AFFINITY_ATTRIBUTE, *(structured or {})]
        for position in np.argsort(-cands.total, kind="stable"):
            doc_id = id_at(position)
            if doc_id in seen or doc_id in excluded:
                continue
            seen.add(doc_id)
            segment_no, doc = int(cands.segment_no[position]), int(cands.doc[position])
            column_of = views[segment_no].segment.attributes.get
            attributes = {name: column_of(name).value_strings([doc])[0] if column_of(name)
                          else None for name in shown}
            words = scoring.matched_words(views, terms, segment_no, doc)
            explanation = scoring.explain(cands, position, words, self.params, attributes)
            hits.append(SearchHit(doc_id, round(float(cands.total[position]), 6), explanation))
            if len(hits) >= top_k:
                break
        return hits

    # ------------------------------------------------------------- semantic
    def semantic_pending(self) -> int:
        """Documents still lacking a dense vector (0 without an encoder)."""
        return self.semantic.pending_count()

    def compute_semantic(self, batch_size: int = 256) -> int:
        """Encode up to ``batch_size`` pending documents; returns how many were encoded.

        Meant for a background worker: searches keep using the lexical and
        structured signals (and the vectors computed so far) meanwhile.
        """
        return self.semantic.encode_batch(batch_size)

    # ----------------------------------------------------------- persistence
    def save(self, directory: str) -> None:
        """Write the whole index to ``directory`` atomically (temp dir + rename).

        Segments loaded from disk are hard-linked, not copied, and their checksums are
        carried over rather than computed again: the cost of a save is that of the segments
        and tombstones that changed, not of the whole index.
        """
        with self._lock:
            self._seal_pending()
            staging = new_staging_dir(directory)
            known: dict[str, dict] = {}
            for segment_no, segment in enumerate(self._segments):
                name = f"seg_{segment_no:05d}"
                folder = os.path.join(staging, name)
                source = self._segment_dirs[segment_no]
                if source and os.path.isdir(source):
                    link_or_copy_tree(source, folder)
                    known.update({f"{name}/{file}": spec for file, spec
                                  in self._folder_files.get(source, {}).items()})
                else:
                    segment.save(folder)
            manifest = self._write(staging, known)
            swap_in(staging, directory)
            self._segment_dirs = [os.path.join(directory, f"seg_{i:05d}")
                                  for i in range(len(self._segments))]
            self._remember_files(directory, manifest)

    def _write(self, staging: str, known: dict[str, dict] | None = None) -> dict:
        for segment_no, deleted in enumerate(self._deleted):
            np.save(os.path.join(staging, f"seg_{segment_no:05d}.deleted.npy"), deleted)
        self.semantic.save(staging)
        self.generation = uuid.uuid4().hex
        return write_manifest(staging, {
            "generation": self.generation,
            "segments": [f"seg_{i:05d}" for i in range(len(self._segments))],
            "params": asdict(self.params),
            "documents": len(self),
        }, known)

    def _remember_files(self, directory: str, manifest: dict) -> None:
        """Keep the manifest entries of each segment folder of the index now at ``directory``."""
        self._folder_files = {}
        for rel, spec in manifest.get("files", {}).items():
            name, separator, file = rel.replace(os.sep, "/").partition("/")
            if separator and "/" not in file:
                folder = os.path.join(directory, name)
                self._folder_files.setdefault(folder, {})[file] = spec

    @classmethod
    def load(cls, directory: str, *, verify: str = "full", mmap: bool = True,
             semantic_encoder=None, **options) -> MatchIndex:
        """Open an index saved by :meth:`save` or :meth:`build`.

        Raises :class:`IndexMissing` when there is no index and
        :class:`IndexCorrupt` when any file is missing, truncated, altered or
        inconsistent (``verify``: ``"full"`` checksums, ``"size"``, ``"none"``).
        Arrays are memory-mapped read-only, so processes share one copy.
        """
        manifest = read_manifest(directory, verify=verify)
        try:
            params = ScoringParams(**manifest["params"])
            index = cls(params, semantic_encoder=semantic_encoder, **options)
            index.generation = manifest.get("generation")
            for name in manifest["segments"]:
                folder = os.path.join(directory, name)
                segment = Segment.load(folder, mmap=mmap)
                deleted = np.load(os.path.join(directory, f"{name}.deleted.npy"))
                if deleted.shape != (segment.n_docs,) or deleted.dtype != bool:
                    raise ValueError(f"tombstones of {name} do not fit the segment")
                index._segments.append(segment)
                index._deleted.append(np.array(deleted))  # writable copy
                index._segment_dirs.append(folder)
            index.semantic.load(directory)
            index._remember_files(directory, manifest)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexCorrupt(f"cannot read index at {directory}: {exc}") from exc
        return index

    def changed_on_disk(self, directory: str) -> bool:
        """True when another process saved a newer index at ``directory``.

        Cheap (reads the manifest only): reader processes call it now and
        then and re-``load`` when it says so; one writer process owns updates.
        """
        try:
            return read_manifest(directory, verify="none").get("generation") != self.generation
        except IndexStorageError:
            return True
