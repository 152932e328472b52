"""Query evaluation over a list of segments: the documented scoring function.

For a query ``q`` and a live document ``d`` that passes the filters::

    lexical(d)   = sum over query terms t of  qtf(t) * idf(t) * impact(t, d)
                 + title_channel_weight * (the same sum over the title channel)
                   BM25F over character bigrams and Latin words; impact is
                   stored per posting (see segment.py), idf uses the document
                   frequency summed over all segments:
                   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
    score(d)     = lexical(d) / max_d' lexical(d')                 in [0, 1]
                 + coverage_weight * coverage(d)
                 + discipline_affinity_weight * affinity(d)
                 + structured_weight * sum_a weight_a * match_a(d)
                 + semantic_weight * cosine(q, d)                  (optional)

* ``coverage``: share of the query's words (jieba for Chinese) whose bigrams
  all occur in ``d`` - rewards documents that contain the query's words
  rather than scattered characters.
* ``affinity``: learnt from the corpus at query time.  The documents that
  contain every query word form a sample of what the concept is about; the
  distribution of their disciplines, smoothed toward the corpus-wide
  distribution, gives ``lift = ln(P(discipline | q) / P(discipline))``, and
  ``affinity(d) = clip(lift(discipline(d)) / 2, -1, 1)``.  It lifts documents
  of the disciplines where the concept lives, including those that match the
  query only partially, and pushes down homonyms from unrelated fields.
* ``match_a`` for a structured attribute the caller passes (e.g. district,
  TRL): 1 for an equal string value; for numbers ``1 / (1 + |x - wanted|)``.

Only the ``rerank_depth`` best lexical candidates (plus, for a query without
text, every document passing the filters) are re-scored, which bounds the
cost at a million records.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .documents import ScoringParams
from .segment import AttributeColumn, Segment
from .text import (
    TITLE_KEY_FLAG,
    bigram_keys,
    latin_words,
    normalize,
    query_chunks,
    query_words,
    single_char_key_range,
    word_key,
)

AFFINITY_ATTRIBUTE = "discipline"
# fewer documents than this containing the whole query say too little about its discipline
_AFFINITY_MIN_SAMPLE = 3
_AFFINITY_SMOOTHING = 5.0


@dataclass
class QueryTerms:
    """The parsed query: weighted index terms and the words used for coverage."""

    keys: np.ndarray  # unique term keys
    qtf: np.ndarray  # how often each key occurs in the query
    chunks: list[tuple[str, np.ndarray]]  # (query chunk, its term keys): coverage units
    words: list[tuple[str, np.ndarray]]  # (jieba word, its term keys): explanation units
    char_range: tuple[int, int] | None  # one-character query

    @property
    def empty(self) -> bool:
        """True when the query has no searchable term."""
        return not len(self.keys) and self.char_range is None


def parse_query(text: str, title_channel_weight: float = 0.0) -> QueryTerms:
    """Turn query text into index terms (same tokenisation as documents).

    Each term is looked up in the main field-weighted postings and, with
    weight ``title_channel_weight``, in the title channel.
    """
    norm = normalize(text)
    keys = [bigram_keys(norm)]
    keys.append(np.array([word_key(w) for w in latin_words(norm)], np.int64))
    all_keys = np.concatenate(keys)
    unique, counts = np.unique(all_keys, return_counts=True)
    counts = counts.astype(np.float32)
    if title_channel_weight and len(unique):
        unique = np.concatenate([unique, unique | TITLE_KEY_FLAG])
        counts = np.concatenate([counts, counts * title_channel_weight])
    stripped = "".join(ch for ch in norm if ch.isalnum())
    char_range = single_char_key_range(stripped) if len(stripped) == 1 else None
    return QueryTerms(unique, counts, _units(query_chunks(norm)),
                      _units(query_words(norm)), char_range)


def _units(texts: list[str]) -> list[tuple[str, np.ndarray]]:
    """Pair each text with its term keys (bigrams and whole Latin words)."""
    units = []
    for text in texts:
        keys = np.concatenate([bigram_keys(text),
                               np.array([word_key(w) for w in latin_words(text)], np.int64)])
        if len(keys):
            units.append((text, np.unique(keys)))
    return units


@dataclass
class Candidate:
    """A document under consideration: where it lives and its signal values."""

    segment_no: int
    doc: int
    lexical: float
    signals: dict[str, float]
    total: float = 0.0


class SegmentView:
    """A segment with its tombstones, as seen by one search."""

    def __init__(self, segment: Segment, deleted: np.ndarray):
        self.segment = segment
        self.deleted = deleted


def idf_weights(views: Sequence[SegmentView], terms: QueryTerms) -> np.ndarray:
    """qtf * idf of each query key, from document frequencies over all segments."""
    total_docs = sum(view.segment.n_docs for view in views)
    df = np.zeros(len(terms.keys))
    for view in views:
        df += [view.segment.doc_freq(int(key)) for key in terms.keys]
    idf = np.log1p((total_docs - df + 0.5) / (df + 0.5))
    return (idf * terms.qtf).astype(np.float32)


def filter_mask(segment: Segment, filters: Mapping[str, Any] | None) -> np.ndarray | None:
    """Documents of ``segment`` passing every filter, or None when there are none.

    A filter value may be a scalar (equality), a list/tuple/set (any of), or a
    dict ``{"min": a, "max": b}`` (numeric range).  An attribute the segment
    does not have matches nothing.
    """
    if not filters:
        return None
    mask = np.ones(segment.n_docs, bool)
    for name, wanted in filters.items():
        column = segment.attributes.get(name)
        if column is None:
            return np.zeros(segment.n_docs, bool)
        if isinstance(wanted, Mapping):
            mask &= column.mask_range(wanted.get("min"), wanted.get("max"))
        elif isinstance(wanted, (list, tuple, set, frozenset)):
            mask &= column.mask_equal(list(wanted))
        else:
            mask &= column.mask_equal([wanted])
    return mask


def lexical_candidates(views: Sequence[SegmentView], terms: QueryTerms,
                       filters: Mapping[str, Any] | None, depth: int) -> list[Candidate]:
    """The ``depth`` best live documents by BM25F over all segments."""
    weights = idf_weights(views, terms) if len(terms.keys) else np.empty(0, np.float32)
    total_docs = sum(view.segment.n_docs for view in views)
    found: list[Candidate] = []
    for segment_no, view in enumerate(views):
        segment = view.segment
        if segment.n_docs == 0:
            continue
        doc_parts, weight_parts = [], []
        for key, weight in zip(terms.keys, weights):
            docs, impacts = segment.postings(int(key))
            if len(docs):
                doc_parts.append(docs)
                weight_parts.append(impacts.astype(np.float32) * weight)
        if terms.char_range is not None:
            docs, impacts, distinct = segment.range_postings(*terms.char_range)
            if len(docs):
                idf = math.log1p((total_docs - distinct + 0.5) / (distinct + 0.5))
                doc_parts.append(docs)
                weight_parts.append(impacts.astype(np.float32) * idf)
        if terms.empty:
            scores = np.zeros(segment.n_docs, np.float32)
            scores[:] = 1e-9  # no text: every document is a candidate for structured ranking
        elif not doc_parts:
            continue
        else:
            scores = np.bincount(np.concatenate(doc_parts), np.concatenate(weight_parts),
                                 minlength=segment.n_docs)
        scores[view.deleted[: len(scores)]] = 0
        mask = filter_mask(segment, filters)
        if mask is not None:
            scores[~mask] = 0
        positive = np.count_nonzero(scores)
        if positive == 0:
            continue
        keep = min(depth, positive)
        top = np.argpartition(-scores, keep - 1)[:keep] if keep < len(scores) else np.arange(
            len(scores))
        top = top[scores[top] > 0]
        found.extend(Candidate(segment_no, int(doc), float(scores[doc]), {}) for doc in top)
    found.sort(key=lambda c: -c.lexical)
    return found[:depth]


def add_coverage(views: Sequence[SegmentView], terms: QueryTerms,
                 candidates: list[Candidate]) -> dict[tuple[int, int], list[str]]:
    """Set ``signals['coverage']`` (share of query chunks contained in full) and
    return the matched words of every candidate, for the explanation."""
    matched: dict[tuple[int, int], list[str]] = {(c.segment_no, c.doc): [] for c in candidates}
    by_segment: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        by_segment.setdefault(candidate.segment_no, []).append(candidate)
    for segment_no, group in by_segment.items():
        segment = views[segment_no].segment
        docs = np.array([c.doc for c in group], np.int64)
        order = np.argsort(docs)
        sorted_docs = docs[order]
        key_cache: dict[int, np.ndarray] = {}

        def contains_all(keys: np.ndarray) -> np.ndarray:
            present = np.ones(len(docs), bool)
            for key in keys:
                key = int(key)
                if key not in key_cache:
                    hit = np.zeros(len(docs), bool)
                    hit[order] = segment.contains(key, sorted_docs)
                    key_cache[key] = hit
                present &= key_cache[key]
            return present

        chunk_hits = [contains_all(keys) for _, keys in terms.chunks]
        word_hits = [(word, contains_all(keys)) for word, keys in terms.words]
        for i, candidate in enumerate(group):
            covered = sum(bool(hit[i]) for hit in chunk_hits)
            candidate.signals["coverage"] = covered / len(chunk_hits) if chunk_hits else 0.0
            words = [word for word, hit in word_hits if hit[i]]
            if not words:
                words = [chunk for (chunk, _), hit in zip(terms.chunks, chunk_hits) if hit[i]]
            matched[(segment_no, candidate.doc)] = words
    return matched


def add_affinity(views: Sequence[SegmentView], candidates: list[Candidate],
                 corpus_distribution: Mapping[str, float]) -> None:
    """Set ``signals['discipline_affinity']`` from the fully matching candidates."""
    values = _attribute_values(views, candidates, AFFINITY_ATTRIBUTE)
    sample = [value for candidate, value in zip(candidates, values)
              if value is not None and candidate.signals.get("coverage", 0) >= 1.0]
    if len(sample) < _AFFINITY_MIN_SAMPLE or not corpus_distribution:
        return
    counts: dict[str, int] = {}
    for value in sample:
        counts[value] = counts.get(value, 0) + 1
    floor = 1.0 / (10 * max(len(corpus_distribution), 1))
    for candidate, value in zip(candidates, values):
        if value is None:
            continue
        prior = corpus_distribution.get(value, floor)
        posterior = (counts.get(value, 0) + _AFFINITY_SMOOTHING * prior) / (
            len(sample) + _AFFINITY_SMOOTHING)
        lift = math.log(posterior / prior)
        candidate.signals["discipline_affinity"] = max(-1.0, min(1.0, lift / 2))


def add_structured(views: Sequence[SegmentView], candidates: list[Candidate],
                   structured: Mapping[str, Any]) -> None:
    """Set ``signals['structured:<name>']`` for each attribute the caller wants matched.

    ``structured`` maps an attribute to a wanted value, or to
    ``{"value": v, "weight": w}`` to weigh one attribute more than another.
    """
    for name, spec in structured.items():
        wanted, weight = (spec.get("value"), float(spec.get("weight", 1.0))) if isinstance(
            spec, Mapping) else (spec, 1.0)
        values = _attribute_values(views, candidates, name)
        for candidate, value in zip(candidates, values):
            match = _attribute_match(value, wanted)
            if match:
                candidate.signals[f"structured:{name}"] = weight * match


def _attribute_match(value: str | None, wanted: Any) -> float:
    if value is None or wanted is None:
        return 0.0
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
        try:
            return 1.0 / (1.0 + abs(float(value) - float(wanted)))
        except ValueError:
            return 0.0
    if isinstance(wanted, (list, tuple, set, frozenset)):
        return 1.0 if value in {str(w) for w in wanted} else 0.0
    return 1.0 if value == str(wanted) else 0.0


def _attribute_values(views: Sequence[SegmentView], candidates: Sequence[Candidate],
                      name: str) -> list[str | None]:
    """Attribute ``name`` of each candidate, as strings (None when missing)."""
    out: list[str | None] = [None] * len(candidates)
    by_segment: dict[int, list[int]] = {}
    for i, candidate in enumerate(candidates):
        by_segment.setdefault(candidate.segment_no, []).append(i)
    for segment_no, positions in by_segment.items():
        column: AttributeColumn | None = views[segment_no].segment.attributes.get(name)
        if column is None:
            continue
        docs = np.array([candidates[i].doc for i in positions])
        for i, value in zip(positions, column.value_strings(docs)):
            out[i] = value
    return out


def combine(candidates: list[Candidate], params: ScoringParams) -> None:
    """Compute each candidate's total score (formula in the module docstring)."""
    top_lexical = max((c.lexical for c in candidates), default=0.0)
    for candidate in candidates:
        signals = candidate.signals
        lexical = candidate.lexical / top_lexical if top_lexical > 1e-6 else 0.0
        signals["lexical"] = lexical
        total = lexical
        total += params.coverage_weight * signals.get("coverage", 0.0)
        total += params.discipline_affinity_weight * signals.get("discipline_affinity", 0.0)
        total += params.structured_weight * sum(
            v for k, v in signals.items() if k.startswith("structured:"))
        total += params.semantic_weight * signals.get("semantic", 0.0)
        candidate.total = total


def explain(candidate: Candidate, matched_words: list[str], params: ScoringParams,
            attributes: Mapping[str, str | None]) -> dict[str, Any]:
    """Human-readable explanation: matched words and each signal's contribution."""
    weights = {"lexical": 1.0, "coverage": params.coverage_weight,
               "discipline_affinity": params.discipline_affinity_weight,
               "semantic": params.semantic_weight}
    contributions = {}
    for name, value in candidate.signals.items():
        weight = params.structured_weight if name.startswith("structured:") else weights.get(
            name, 0.0)
        if weight and value:
            contributions[name] = round(weight * value, 4)
    return {
        "matched_terms": matched_words,
        "signals": contributions,
        "attributes": {k: v for k, v in attributes.items() if v is not None},
    }
