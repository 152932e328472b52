"""Benchmark of the TM Hub matching engine.

    .venv/bin/python bench/bench_matching.py [--scale 1000000] [--quick]

Prints, side by side with a plain BM25 baseline (k1=1.2, b=0.75 over the
character bigrams of title+abstract, implemented below): nDCG@10, recall@100
and MRR on the CSL development queries (all, and each half of a fixed split),
query latency, build rate and peak memory at the real corpus size and at
``--scale`` records (real sentences recombined into new records), and the
time from ``add()`` to searchable.  ``--quick`` uses 100,000 records.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter

import numpy as np
import scipy.sparse as sparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tmhub.matching.engine import MatchIndex, ScoringParams  # noqa: E402

DATA = os.environ.get("TMHUB_CSL_DIR", os.path.join(ROOT, "..", "shared", "data", "csl"))


def load_jsonl(path: str) -> list[dict]:
    """All records of a JSON-lines file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# ----------------------------------------------------------------- baseline
def char_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of the lower-cased text (the baseline's terms)."""
    text = text.lower()
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


class BigramBM25:
    """Plain BM25 (k1=1.2, b=0.75) over character bigrams of title+abstract."""

    def __init__(self, docs: list[dict], k1: float = 1.2, b: float = 0.75):
        self.ids = [d["id"] for d in docs]
        self.vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = []
        for row, doc in enumerate(docs):
            terms = char_bigrams((doc.get("title") or "") + (doc.get("abstract") or ""))
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                rows.append(row)
                cols.append(self.vocab.setdefault(term, len(self.vocab)))
                vals.append(count)
        tf = sparse.coo_matrix((np.array(vals, float), (rows, cols)),
                               shape=(len(docs), len(self.vocab)))
        lengths = np.array(lengths, float)
        df = np.bincount(tf.col, minlength=len(self.vocab))
        idf = np.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths[tf.row] / lengths.mean())
        weights = tf.data * (k1 + 1) / (tf.data + norm) * idf[tf.col]
        self.matrix = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape)

    def search(self, query: str, top_k: int = 100) -> list[str]:
        """Ids of the ``top_k`` best documents."""
        scores = np.zeros(self.matrix.shape[0])
        for term in char_bigrams(query):
            col = self.vocab.get(term)
            if col is not None:
                start, end = self.matrix.indptr[col], self.matrix.indptr[col + 1]
                scores[self.matrix.indices[start:end]] += self.matrix.data[start:end]
        top = np.argsort(-scores)[:top_k]
        return [self.ids[i] for i in top if scores[i] > 0]


# ------------------------------------------------------------------ metrics
def relevance_metrics(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """nDCG@10, recall@100 and reciprocal rank of one ranking."""
    dcg = sum(1 / math.log2(r + 2) for r, doc in enumerate(ranked[:10]) if doc in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(10, len(relevant))))
    recall = len(set(ranked[:100]) & relevant) / len(relevant)
    rank = next((r + 1 for r, doc in enumerate(ranked[:100]) if doc in relevant), None)
    return dcg / ideal, recall, (1 / rank if rank else 0.0)


def evaluate(search, queries: list[dict]) -> dict[str, float]:
    """Mean metrics of ``search(text) -> ranked ids`` over ``queries``."""
    rows = [relevance_metrics(search(q["text"]), set(q["relevant"])) for q in queries]
    ndcg, recall, mrr = (float(np.mean(col)) for col in zip(*rows))
    return {"ndcg@10": ndcg, "recall@100": recall, "mrr": mrr}


def split_queries(queries: list[dict]) -> tuple[list[dict], list[dict]]:
    """Fixed split of the dev set: even-numbered qids (tuning) / odd (checking)."""
    half_a = [q for i, q in enumerate(queries) if i % 2 == 0]
    half_b = [q for i, q in enumerate(queries) if i % 2 == 1]
    return half_a, half_b


def relevance_report(corpus: list[dict], queries: list[dict], params: ScoringParams,
                     label: str) -> dict:
    """Engine vs baseline on ``queries`` over ``corpus``; prints a table."""
    known = {d["id"] for d in corpus}
    queries = [dict(q, relevant=[r for r in q["relevant"] if r in known]) for q in queries]
    queries = [q for q in queries if q["relevant"]]
    baseline = BigramBM25(corpus)
    engine = MatchIndex.build(corpus, params)

    def engine_search(text):
        return [hit.id for hit in engine.search(text, top_k=100)]

    results = {}
    for name, subset in zip(("all", "half A (tune)", "half B (check)"),
                            (queries, *split_queries(queries))):
        base = evaluate(lambda t: baseline.search(t), subset)
        mine = evaluate(engine_search, subset)
        results[name] = {"baseline": base, "engine": mine}
        print(f"  [{label}] {name:15s} n={len(subset):3d} | " + " | ".join(
            f"{m}: {base[m]:.4f} -> {mine[m]:.4f} (x{mine[m] / base[m]:.3f})" for m in base))
    return results
