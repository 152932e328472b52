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

* ``coverage``: share of the query's chunks (parts between spaces and
  punctuation, e.g. "栓塞" and "治疗性" in "栓塞,治疗性") whose terms all occur
  in ``d`` - rewards documents that contain the query's words rather than
  scattered characters.
* ``affinity``: learnt from the corpus at query time.  The candidates that
  cover every query chunk form a sample of what the concept is about; the
  distribution of their disciplines, smoothed toward the corpus-wide
  distribution, gives ``lift = ln(P(discipline | q) / P(discipline))``, and
  ``affinity(d) = clip(lift(discipline(d)) / 2, -1, 1)``.  It lifts documents
  of the disciplines where the concept lives, including those that match the
  query only partially, and pushes down homonyms from unrelated fields.
* ``match_a`` for a structured attribute the caller passes (e.g. district,
  TRL): 1 for an equal string value; for numbers ``1 / (1 + |x - wanted|)``.

Only the ``rerank_depth`` best lexical candidates are re-scored, which
bounds the cost at a million records; a query without text ranks by the
structured signals among (up to ``rerank_depth``) documents passing the
filters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .documents import ScoringParams
from .segment import IMPACT_STEP, AttributeColumn, Segment
from .text import (
    TITLE_KEY_FLAG,
    StopWordMask,
    bigram_keys,
    bigram_keys_kept,
    latin_words,
    normalize,
    query_runs,
    query_words,
    single_char_key_range,
    stop_word_mask,
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
    text: str = ""  # the normalised query

    @property
    def empty(self) -> bool:
        """True when the query has no searchable term."""
        return not len(self.keys) and self.char_range is None


def parse_query(text: str, title_channel_weight: float = 0.0,
                drop_stop_words: bool = True) -> QueryTerms:
    """Turn query text into index terms (same tokenisation as documents).

    Each term is looked up in the main field-weighted postings and, with
    weight ``title_channel_weight``, in the title channel. Stop words
    (``text.stop_words``, see ``text.StopWordMask``) are neither scored nor
    listed as matched words.
    """
    norm = normalize(text)
    stops = stop_word_mask(norm) if drop_stop_words else None
    keys = [bigram_keys_kept(norm, stops)]
    keys.append(np.array([word_key(w) for w in latin_words(norm)], np.int64))
    all_keys = np.concatenate(keys)
    unique, counts = np.unique(all_keys, return_counts=True)
    counts = counts.astype(np.float32)
    if title_channel_weight and len(unique):
        unique = np.concatenate([unique, unique | TITLE_KEY_FLAG])
        counts = np.concatenate([counts, counts * title_channel_weight])
    stripped = "".join(ch for ch in norm if ch.isalnum())
    char_range = single_char_key_range(stripped) if len(stripped) == 1 else None
    dropped = stops.dropped if stops is not None else frozenset()
    words = [w for w in query_words(norm) if w not in dropped]
    return QueryTerms(unique, counts, _chunk_units(norm, stops), _units(words), char_range,
                      norm)


def _chunk_units(norm: str, stops: StopWordMask | None) -> list[tuple[str, np.ndarray]]:
    """Each distinct run of the query with the terms it keeps (a run of one stop word keeps
    none and is no unit of coverage)."""
    units, seen = [], set()
    for start, end in query_runs(norm):
        chunk = norm[start:end]
        if chunk in seen:
            continue
        seen.add(chunk)
        keys = np.concatenate([bigram_keys_kept(norm, stops, start, end),
                               np.array([word_key(w) for w in latin_words(chunk)], np.int64)])
        if len(keys):
            units.append((chunk, np.unique(keys)))
    return units


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
@dataclass
class Candidates:
    """Documents under consideration, as parallel arrays (one entry per candidate)."""

    segment_no: np.ndarray  # int
    doc: np.ndarray  # local document number in its segment
    lexical: np.ndarray  # raw BM25F score
    signals: dict[str, np.ndarray] = field(default_factory=dict)
    total: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.doc)

    def groups(self):
        """``(segment_no, positions)`` for each segment holding candidates."""
        for segment_no in np.unique(self.segment_no):
            yield int(segment_no), np.flatnonzero(self.segment_no == segment_no)


class SegmentView:
    """A segment with its tombstones, as seen by one search."""

    def __init__(self, segment: Segment, deleted: np.ndarray):
        self.segment = segment
        self.deleted = deleted
        self.ranges: tuple[np.ndarray, np.ndarray] | None = None  # posting ranges of the query


def idf_weights(views: Sequence[SegmentView], terms: QueryTerms) -> np.ndarray:
    """qtf * idf of each query key, from document frequencies over all segments.

    Also records each segment's posting ranges for the query's keys, so each
    key is looked up once per segment."""
    total_docs = sum(view.segment.n_docs for view in views)
    df = np.zeros(len(terms.keys))
    for view in views:
        view.ranges = view.segment.lookup(terms.keys)
        df += view.ranges[1] - view.ranges[0]
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


def structured_prior(segment: Segment, structured: Mapping[str, Any] | None) -> np.ndarray:
    """Vectorised sum of the structured matches of every document of a segment."""
    total = np.zeros(segment.n_docs)
    for name, spec in (structured or {}).items():
        wanted, weight = (spec.get("value"), float(spec.get("weight", 1.0))) if isinstance(
            spec, Mapping) else (spec, 1.0)
        column = segment.attributes.get(name)
        if column is None or wanted is None:
            continue
        if column.kind == "num" and _is_number(wanted):
            closeness = 1.0 / (1.0 + np.abs(column.values - float(wanted)))
            total += weight * np.nan_to_num(closeness)
        else:
            options = list(wanted) if isinstance(wanted, (list, tuple, set, frozenset)) else [
                wanted]
            total += weight * column.mask_equal(options)
    return total


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _segment_scores(view: SegmentView, terms: QueryTerms, weights: np.ndarray,
                    total_docs: int, structured: Mapping[str, Any] | None) -> np.ndarray | None:
    """BM25F score of every document of one segment (None when nothing matches)."""
    segment = view.segment
    doc_parts, weight_parts = [], []
    starts, ends = view.ranges if view.ranges is not None else segment.lookup(terms.keys)
    for start, end, weight in zip(starts.tolist(), ends.tolist(), weights):
        if end > start:
            doc_parts.append(segment.post_docs[start:end])
            # uint8 impact * float32 scalar -> float32
            weight_parts.append(segment.post_imp[start:end] * (weight * IMPACT_STEP))
    if terms.char_range is not None:
        docs, impacts, distinct = segment.range_postings(*terms.char_range)
        if len(docs):
            idf = np.float32(math.log1p((total_docs - distinct + 0.5) / (distinct + 0.5)))
            idf *= IMPACT_STEP
            doc_parts.append(docs)
            weight_parts.append(impacts * idf)
    if terms.empty:
        # no text: every document is a candidate, the best structured matches first
        return 1e-9 * (1.0 + structured_prior(segment, structured))
    if not doc_parts:
        return None
    if len(doc_parts) == 1 and terms.char_range is None:  # one term: no summing needed
        scores = np.zeros(segment.n_docs)
        scores[doc_parts[0]] = weight_parts[0]
        return scores
    return np.bincount(np.concatenate(doc_parts), np.concatenate(weight_parts),
                       minlength=segment.n_docs)


def _top(scores: np.ndarray, depth: int, threshold: float = 0.0) -> np.ndarray:
    """Positions of the ``depth`` largest scores above ``threshold`` (unordered)."""
    above = np.flatnonzero(scores > threshold)
    if len(above) <= depth:
        return above
    return above[np.argpartition(-scores[above], depth - 1)[:depth]]


def lexical_candidates(views: Sequence[SegmentView], terms: QueryTerms,
                       filters: Mapping[str, Any] | None, depth: int,
                       structured: Mapping[str, Any] | None = None) -> Candidates:
    """The ``depth`` best live documents by BM25F over all segments, best first."""
    weights = idf_weights(views, terms) if len(terms.keys) else np.empty(0, np.float32)
    total_docs = sum(view.segment.n_docs for view in views)
    seg_parts, doc_parts, score_parts = [], [], []
    # Score a document must beat to enter the running top ``depth``: once it
    # is known, a segment only partitions the few documents above it.
    threshold, collected = 0.0, 0
    for segment_no, view in enumerate(views):
        if view.segment.n_docs == 0:
            continue
        scores = _segment_scores(view, terms, weights, total_docs, structured)
        if scores is None:
            continue
        if view.deleted.any():
            scores[view.deleted[: len(scores)]] = 0
        mask = filter_mask(view.segment, filters)
        if mask is not None:
            scores[~mask] = 0
        top = _top(scores, depth, threshold)
        seg_parts.append(np.full(len(top), segment_no))
        doc_parts.append(top)
        score_parts.append(scores[top])
        collected += len(top)
        if collected >= depth:
            merged = np.concatenate(score_parts)
            threshold = max(threshold, float(np.partition(merged, len(merged) - depth)[
                len(merged) - depth]))
    if not doc_parts:
        return Candidates(np.empty(0, int), np.empty(0, int), np.empty(0))
    segment_no, doc, lexical = (np.concatenate(p) for p in (seg_parts, doc_parts, score_parts))
    best = _top(lexical, depth)  # ties at the threshold may have let a few extra in
    best = best[np.argsort(-lexical[best], kind="stable")]
    return Candidates(segment_no[best], doc[best], lexical[best].astype(np.float64))


def add_coverage(views: Sequence[SegmentView], terms: QueryTerms, cands: Candidates) -> None:
    """``signals['coverage']``: share of query chunks whose terms a candidate contains in full."""
    coverage = np.zeros(len(cands))
    if terms.chunks:
        for segment_no, positions in cands.groups():
            hits = [_contains_all(views[segment_no].segment, keys, cands.doc[positions])
                    for _, keys in terms.chunks]
            coverage[positions] = np.mean(hits, axis=0)
    cands.signals["coverage"] = coverage


def _contains_all(segment: Segment, keys: np.ndarray, docs: np.ndarray) -> np.ndarray:
    order = np.argsort(docs)
    present = np.ones(len(docs), bool)
    for key in keys:
        hit = np.zeros(len(docs), bool)
        hit[order] = segment.contains(int(key), docs[order])
        present &= hit
    return present


def matched_words(views: Sequence[SegmentView], terms: QueryTerms, segment_no: int,
                  doc: int) -> list[str]:
    """Query words (jieba) fully present in one document, else the matched chunks."""
    segment = views[segment_no].segment
    docs = np.array([doc])
    words = [word for word, keys in terms.words if _contains_all(segment, keys, docs)[0]]
    words = words or [chunk for chunk, keys in terms.chunks
                      if _contains_all(segment, keys, docs)[0]]
    if not words and terms.char_range is not None:  # one-character query: it matched
        words = [terms.text.strip()]
    return words


def attribute_strings(views: Sequence[SegmentView], cands: Candidates,
                      name: str) -> np.ndarray:
    """Attribute ``name`` of each candidate as a string, None when missing (object array)."""
    out = np.full(len(cands), None, dtype=object)
    for segment_no, positions in cands.groups():
        column: AttributeColumn | None = views[segment_no].segment.attributes.get(name)
        if column is not None:
            out[positions] = column.value_strings(cands.doc[positions])
    return out


def add_affinity(views: Sequence[SegmentView], cands: Candidates,
                 corpus_distribution: Mapping[str, float]) -> None:
    """``signals['discipline_affinity']`` learnt from the fully matching candidates."""
    values = attribute_strings(views, cands, AFFINITY_ATTRIBUTE)
    full = cands.signals.get("coverage", np.zeros(len(cands))) >= 1.0
    sample = [v for v in values[full] if v is not None]
    if len(sample) < _AFFINITY_MIN_SAMPLE or not corpus_distribution:
        return
    counts: dict[str, int] = {}
    for value in sample:
        counts[value] = counts.get(value, 0) + 1
    floor = 1.0 / (10 * max(len(corpus_distribution), 1))
    affinity: dict[str | None, float] = {None: 0.0}
    for value in set(values):
        if value is None:
            continue
        prior = corpus_distribution.get(value, floor)
        posterior = (counts.get(value, 0) + _AFFINITY_SMOOTHING * prior) / (
            len(sample) + _AFFINITY_SMOOTHING)
        affinity[value] = max(-1.0, min(1.0, math.log(posterior / prior) / 2))
    cands.signals["discipline_affinity"] = np.array([affinity[v] for v in values])


def add_structured(views: Sequence[SegmentView], cands: Candidates,
                   structured: Mapping[str, Any]) -> None:
    """``signals['structured:<name>']`` for each attribute the caller wants matched.

    ``structured`` maps an attribute to a wanted value (a list means any of
    them), or to ``{"value": v, "weight": w}`` to weigh one attribute more.
    """
    for name, spec in structured.items():
        wanted, weight = (spec.get("value"), float(spec.get("weight", 1.0))) if isinstance(
            spec, Mapping) else (spec, 1.0)
        values = attribute_strings(views, cands, name)
        cands.signals[f"structured:{name}"] = weight * np.array(
            [_attribute_match(value, wanted) for value in values])


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


def signal_weights(params: ScoringParams) -> dict[str, float]:
    """Weight of each named signal in the total score."""
    return {"lexical": 1.0, "coverage": params.coverage_weight,
            "discipline_affinity": params.discipline_affinity_weight,
            "semantic": params.semantic_weight}


def combine(cands: Candidates, params: ScoringParams) -> None:
    """Total score of every candidate (formula in the module docstring)."""
    top_lexical = float(cands.lexical.max()) if len(cands) else 0.0
    cands.signals["lexical"] = (cands.lexical / top_lexical if top_lexical > 1e-6
                                else np.zeros(len(cands)))
    weights = signal_weights(params)
    total = np.zeros(len(cands))
    for name, values in cands.signals.items():
        weight = params.structured_weight if name.startswith("structured:") else weights.get(
            name, 0.0)
        total += weight * values
    cands.total = total


def explain(cands: Candidates, position: int, words: list[str], params: ScoringParams,
            attributes: Mapping[str, str | None]) -> dict[str, Any]:
    """Human-readable explanation: matched words and each signal's contribution."""
    weights = signal_weights(params)
    contributions = {}
    for name, values in cands.signals.items():
        weight = params.structured_weight if name.startswith("structured:") else weights.get(
            name, 0.0)
        value = float(values[position])
        if weight and value:
            contributions[name] = round(weight * value, 4)
    return {
        "matched_terms": words,
        "signals": contributions,
        "attributes": {k: v for k, v in attributes.items() if v is not None},
    }
