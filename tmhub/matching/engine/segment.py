"""Immutable index segments: an inverted index over a batch of documents.

A segment stores, as flat numpy arrays (saved as ``.npy`` and memory-mapped
on load so several processes share the page cache):

* ``terms``     sorted int64 term keys (see ``text.py``)
* ``offsets``   posting-list boundaries, ``len(terms) + 1``
* ``post_docs`` local document numbers, sorted within a term; uint16 while
  a segment holds at most 65,536 documents (the default segment is 32,768),
  else int32 - postings dominate the index size, so 2 bytes matter
* ``post_imp``  BM25F impact of the term in the document *without* idf,
  quantised to uint8 in units of ``IMPACT_STEP``:
  ``tf' * (k1 + 1) / (tf' + k1 * (1 - b + b * dl / avgdl))`` (at most k1 + 1) where
  ``tf'`` and ``dl`` are field-weighted (title and keywords count more).
  idf is applied at query time from statistics summed over all segments, so
  adding a segment never requires rewriting the others.
* the **title channel**: title terms are also indexed a second time under
  ``key | TITLE_KEY_FLAG`` with BM25 impacts normalised by title length, so a
  query term found in a short title scores on its own (like a multi-field
  "most fields" query), not only through the field-weighted total.
* ``ids``       external ids by local document number
* ``id_sorted`` / ``id_order``  the ids sorted, and their local numbers
  (binary search from id to document)
* attribute columns: ``attr_<name>`` int32 codes into a value table (strings)
  or float64 (numbers, NaN = missing).

Deletions are not stored here; the index keeps tombstone masks beside them.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .documents import Document, ScoringParams
from .postings import invert
from .text import TITLE_KEY_FLAG, bigram_keys_batch, raw_latin_words, word_key

# impacts are stored as round(impact / IMPACT_STEP) in a uint8; IMPACT_STEP
# fits k1 up to 4 (impact < k1 + 1), with a resolution far finer than BM25's noise
IMPACT_STEP = np.float32(5.0 / 255)
ARRAY_NAMES = ("terms", "offsets", "post_docs", "post_imp", "ids", "id_sorted", "id_order")


@dataclass
class AttributeColumn:
    """One structured attribute of a segment: string codes or numbers."""

    kind: str  # "str" or "num"
    values: np.ndarray  # int32 codes (-1 missing) or float64 (NaN missing)
    table: list[str] = field(default_factory=list)  # code -> string value

    def mask_equal(self, wanted: Sequence) -> np.ndarray:
        """Documents whose value is one of ``wanted``."""
        if self.kind == "num":
            nums = [float(v) for v in wanted if _is_number(v)]
            return np.isin(self.values, nums) if nums else np.zeros(len(self.values), bool)
        codes = [i for i, v in enumerate(self.table) if v in {str(w) for w in wanted}]
        return np.isin(self.values, codes) if codes else np.zeros(len(self.values), bool)

    def mask_range(self, low: float | None, high: float | None) -> np.ndarray:
        """Documents whose numeric value lies in ``[low, high]`` (missing never does)."""
        if self.kind != "num":
            return np.zeros(len(self.values), bool)
        mask = ~np.isnan(self.values)
        if low is not None:
            mask &= self.values >= low
        if high is not None:
            mask &= self.values <= high
        return mask

    def value_strings(self, docs: np.ndarray) -> list[str | None]:
        """The values of ``docs`` as strings (None when missing)."""
        values = self.values[np.asarray(docs, dtype=np.int64)]
        if self.kind == "num":
            return [None if math.isnan(v) else f"{v:g}" for v in values.tolist()]
        lookup = np.array([*self.table, None], dtype=object)  # code -1 -> None
        return lookup[values].tolist()


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Segment:
    """A read-only inverted index over a batch of documents (see module docstring)."""

    def __init__(self, arrays: dict[str, np.ndarray], attributes: dict[str, AttributeColumn],
                 avgdl: float, title_avgdl: float = 1.0):
        # plain ndarray views of memory maps: same shared pages, without the
        # per-operation overhead of the np.memmap subclass
        arrays = {name: _plain(array) for name, array in arrays.items()}
        for column in attributes.values():
            column.values = _plain(column.values)
        self.terms = arrays["terms"]
        self.offsets = arrays["offsets"]
        self.post_docs = arrays["post_docs"]
        self.post_imp = arrays["post_imp"]
        self.ids = arrays["ids"]
        self.id_sorted = arrays["id_sorted"]
        self.id_order = arrays["id_order"]
        self.attributes = attributes
        self.avgdl = avgdl
        self.title_avgdl = title_avgdl

    # ------------------------------------------------------------------ build
    @classmethod
    def build(cls, docs: Sequence[Document], params: ScoringParams,
              avgdl: float | None = None, title_avgdl: float | None = None) -> Segment:
        """Index ``docs`` (vectorised).  ``avgdl`` defaults to this batch's own
        average length; small delta segments pass the main index's value so
        that their impacts are comparable.  A repeated id keeps its last version."""
        if len({d.id for d in docs}) < len(docs):
            docs = list({d.id: d for d in docs}.values())
        n_docs = len(docs)
        keys_parts, owner_parts, field_parts = [], [], []
        fields = ([d.title for d in docs], [d.abstract for d in docs],
                  ["\n".join(d.keywords) for d in docs])
        for field_no, texts in enumerate(fields):
            keys, owner = bigram_keys_batch(texts)
            keys_parts.append(keys)
            owner_parts.append(owner.astype(np.int32))
            field_parts.append(np.full(len(keys), field_no, np.int8))
            word_keys, word_owner = [], []
            for doc_no, text in enumerate(texts):
                for word in raw_latin_words(text):
                    word_keys.append(word_key(word))
                    word_owner.append(doc_no)
            keys_parts.append(np.array(word_keys, np.int64))
            owner_parts.append(np.array(word_owner, np.int32))
            field_parts.append(np.full(len(word_keys), field_no, np.int8))
        # title channel: the title's terms again, flagged, with unit weight
        title_keys = np.concatenate(keys_parts[:2]) | TITLE_KEY_FLAG
        title_owner = np.concatenate(owner_parts[:2])
        title_len = np.bincount(title_owner, minlength=n_docs).astype(np.float32)
        if title_avgdl is None:
            titled = title_len[title_len > 0]
            title_avgdl = float(titled.mean()) if len(titled) else 1.0
        keys_parts.append(title_keys)
        owner_parts.append(title_owner)
        field_parts.append(np.full(len(title_keys), 3, np.int8))
        keys = np.concatenate(keys_parts)
        owner = np.concatenate(owner_parts)
        field_code = np.concatenate(field_parts)
        del keys_parts, owner_parts, field_parts, title_keys
        field_weights = np.array([params.title_weight, 1.0, params.keywords_weight, 1.0],
                                 np.float32)

        main = field_code < 3
        doc_len = np.bincount(owner[main], weights=field_weights[field_code[main]],
                              minlength=n_docs).astype(np.float32)
        del main
        if avgdl is None:
            avgdl = float(doc_len.mean()) if n_docs and doc_len.mean() > 0 else 1.0

        terms, offsets, post_docs, tf, in_title = invert(keys, owner, field_code, n_docs,
                                                         field_weights)
        del keys, owner, field_code
        post_docs = post_docs.astype(doc_number_dtype(n_docs))
        relative_len = np.where(in_title, title_len[post_docs] / title_avgdl,
                                doc_len[post_docs] / avgdl)
        norm = params.k1 * (1 - params.b + params.b * relative_len)
        post_imp = quantise_impacts(tf * (params.k1 + 1) / (tf + norm))

        ids = np.array([d.id for d in docs], dtype=str) if n_docs else np.array([], dtype="U1")
        arrays = {"terms": terms, "offsets": offsets, "post_docs": post_docs,
                  "post_imp": post_imp, **id_arrays(ids)}
        return cls(arrays, _build_attributes(docs), avgdl, title_avgdl)

    # ----------------------------------------------------------------- access
    @property
    def n_docs(self) -> int:
        """Number of documents (deleted ones included)."""
        return len(self.ids)

    def term_slot(self, key: int) -> int:
        """Index of ``key`` in ``terms`` or -1."""
        slot = int(np.searchsorted(self.terms, key))
        if slot < len(self.terms) and self.terms[slot] == key:
            return slot
        return -1

    def postings(self, key: int) -> tuple[np.ndarray, np.ndarray]:
        """(local docs, impacts) of one term; empty arrays when absent."""
        slot = self.term_slot(key)
        if slot < 0:
            return self.post_docs[:0], self.post_imp[:0]
        start, end = self.offsets[slot], self.offsets[slot + 1]
        return self.post_docs[start:end], self.post_imp[start:end]

    def range_postings(self, low: int, high: int) -> tuple[np.ndarray, np.ndarray, int]:
        """Postings of all terms with ``low <= key < high`` (one-character queries),
        with the number of distinct documents among them."""
        first, last = np.searchsorted(self.terms, [low, high])
        start, end = self.offsets[first], self.offsets[last]
        docs = self.post_docs[start:end]
        return docs, self.post_imp[start:end], len(np.unique(docs))

    def lookup(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posting ranges ``(starts, ends)`` of many keys at once (empty when absent)."""
        if not len(self.terms):
            empty = np.zeros(len(keys), np.int64)
            return empty, empty
        slots = np.searchsorted(self.terms, keys)
        clipped = np.minimum(slots, len(self.terms) - 1)
        found = self.terms[clipped] == keys
        starts = self.offsets[clipped]
        ends = np.where(found, self.offsets[clipped + 1], starts)
        return starts, ends

    def contains(self, key: int, docs: np.ndarray) -> np.ndarray:
        """Boolean per doc of ``docs``: does it contain the term ``key``."""
        posting_docs, _ = self.postings(key)
        if len(posting_docs) == 0:
            return np.zeros(len(docs), bool)
        where = np.searchsorted(posting_docs, docs)
        where = np.minimum(where, len(posting_docs) - 1)
        return posting_docs[where] == docs

    def local_doc(self, doc_id: str) -> int:
        """Local number of the document ``doc_id`` or -1."""
        if not len(self.ids):
            return -1
        slot = int(np.searchsorted(self.id_sorted, doc_id))
        if slot < len(self.id_sorted) and self.id_sorted[slot] == doc_id:
            return int(self.id_order[slot])
        return -1

    # ------------------------------------------------------------ persistence
    def save(self, directory: str) -> None:
        """Write the segment's files into ``directory`` (created)."""
        os.makedirs(directory, exist_ok=True)
        for name in ARRAY_NAMES:
            np.save(os.path.join(directory, f"{name}.npy"), np.asarray(getattr(self, name)))
        columns = {}
        for name, column in self.attributes.items():
            file_name = f"attr_{len(columns)}.npy"
            np.save(os.path.join(directory, file_name), np.asarray(column.values))
            columns[name] = {"kind": column.kind, "file": file_name, "table": column.table}
        meta = {"avgdl": self.avgdl, "title_avgdl": self.title_avgdl, "n_docs": self.n_docs,
                "attributes": columns}
        with open(os.path.join(directory, "segment.json"), "w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False)

    @classmethod
    def load(cls, directory: str, mmap: bool = True) -> Segment:
        """Open a saved segment; arrays are memory-mapped when ``mmap``."""
        mode = "r" if mmap else None
        with open(os.path.join(directory, "segment.json"), encoding="utf-8") as handle:
            meta = json.load(handle)
        arrays = {name: np.load(os.path.join(directory, f"{name}.npy"), mmap_mode=mode)
                  for name in ARRAY_NAMES}
        attributes = {
            name: AttributeColumn(spec["kind"],
                                  np.load(os.path.join(directory, spec["file"]), mmap_mode=mode),
                                  spec["table"])
            for name, spec in meta["attributes"].items()
        }
        segment = cls(arrays, attributes, meta["avgdl"], meta["title_avgdl"])
        if segment.n_docs != meta["n_docs"] or len(segment.offsets) != len(segment.terms) + 1:
            raise ValueError(f"inconsistent segment arrays in {directory}")
        return segment


def _plain(array: np.ndarray) -> np.ndarray:
    return array.view(np.ndarray) if isinstance(array, np.memmap) else array


def doc_number_dtype(n_docs: int) -> type:
    """Smallest integer type for local document numbers of a segment of ``n_docs``."""
    return np.uint16 if n_docs <= 1 << 16 else np.int32


def quantise_impacts(impacts: np.ndarray) -> np.ndarray:
    """BM25 impacts as uint8 multiples of ``IMPACT_STEP`` (at least 1: a posting never scores 0)."""
    return np.clip(np.rint(impacts / IMPACT_STEP), 1, 255).astype(np.uint8)


def id_arrays(ids: np.ndarray) -> dict[str, np.ndarray]:
    """``ids`` plus the sorted copy and order used for id -> document lookups."""
    order = np.argsort(ids, kind="stable").astype(np.int32)
    return {"ids": ids, "id_sorted": ids[order], "id_order": order}


def _build_attributes(docs: Sequence[Document]) -> dict[str, AttributeColumn]:
    """Column-store the documents' structured attributes."""
    names = sorted({name for doc in docs for name in doc.attributes})
    columns: dict[str, AttributeColumn] = {}
    for name in names:
        raw = [doc.attributes.get(name) for doc in docs]
        present = [v for v in raw if v is not None]
        if present and all(_is_number(v) for v in present):
            values = np.array([np.nan if v is None else float(v) for v in raw], np.float64)
            columns[name] = AttributeColumn("num", values)
            continue
        table: dict[str, int] = {}
        codes = np.array([-1 if v is None else table.setdefault(str(v), len(table)) for v in raw],
                         np.int32)
        columns[name] = AttributeColumn("str", codes, list(table))
    return columns


def merge_segments(segments: Sequence[Segment], deleted: Sequence[np.ndarray]) -> Segment:
    """One segment holding the live documents of ``segments`` (tombstoned ones dropped).

    Works on postings directly - no re-tokenisation - so it is how delta
    segments are folded together and how ``optimize()`` purges deletions.
    """
    key_parts, doc_parts, imp_parts, id_parts = [], [], [], []
    base = 0
    for segment, dead in zip(segments, deleted):
        live = ~np.asarray(dead, bool)
        renumber = np.cumsum(live) - 1 + base
        term_of_posting = np.repeat(np.asarray(segment.terms), np.diff(segment.offsets))
        docs = np.asarray(segment.post_docs)
        keep = live[docs]
        key_parts.append(term_of_posting[keep])
        doc_parts.append(renumber[docs[keep]])
        imp_parts.append(np.asarray(segment.post_imp)[keep])
        id_parts.append(np.asarray(segment.ids)[live])
        base += int(live.sum())
    keys = np.concatenate(key_parts) if key_parts else np.empty(0, np.int64)
    docs = np.concatenate(doc_parts) if doc_parts else np.empty(0, np.int64)
    order = np.lexsort((docs, keys))
    keys, docs = keys[order], docs[order]
    imps = np.concatenate(imp_parts)[order] if imp_parts else np.empty(0, np.uint8)
    terms, first = np.unique(keys, return_index=True)
    offsets = np.append(first, len(keys)).astype(np.int64)
    ids = np.concatenate(id_parts) if id_parts else np.array([], dtype="U1")
    arrays = {"terms": terms, "offsets": offsets,
              "post_docs": docs.astype(doc_number_dtype(len(np.concatenate(id_parts))
                                                        if id_parts else 0)),
              "post_imp": imps, **id_arrays(ids)}
    live_masks = [~np.asarray(dead, bool) for dead in deleted]
    total = sum(segment.n_docs for segment in segments)
    avgdl = (sum(segment.avgdl * segment.n_docs for segment in segments) / total) if total else 1.0
    title_avgdl = (sum(segment.title_avgdl * segment.n_docs for segment in segments) / total
                   if total else 1.0)
    return Segment(arrays, _merge_attributes(segments, live_masks), avgdl, title_avgdl)


def _merge_attributes(segments: Sequence[Segment],
                      live_masks: Sequence[np.ndarray]) -> dict[str, AttributeColumn]:
    names = sorted({name for segment in segments for name in segment.attributes})
    merged: dict[str, AttributeColumn] = {}
    for name in names:
        columns = [(segment.attributes.get(name), live, int(live.sum()))
                   for segment, live in zip(segments, live_masks)]
        kinds = {column.kind for column, _, _ in columns if column is not None}
        if kinds == {"num"}:
            parts = [np.full(count, np.nan) if column is None else np.asarray(column.values)[live]
                     for column, live, count in columns]
            merged[name] = AttributeColumn("num", np.concatenate(parts))
            continue
        table: dict[str, int] = {}
        parts = []
        for column, live, count in columns:
            if column is None:
                parts.append(np.full(count, -1, np.int32))
                continue
            strings = column.value_strings(np.flatnonzero(live))
            parts.append(np.array([-1 if s is None else table.setdefault(s, len(table))
                                   for s in strings], np.int32))
        merged[name] = AttributeColumn("str", np.concatenate(parts) if parts else
                                       np.empty(0, np.int32), list(table))
    return merged
