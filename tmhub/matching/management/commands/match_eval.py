"""manage.py match_eval --results R.jsonl --queries Q.jsonl  (queries carry "relevant")"""

import json
import math

from django.core.management.base import BaseCommand, CommandError


def metrics(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """nDCG@10, recall@100 and reciprocal rank (same definitions as bench/bench_matching.py)."""
    dcg = sum(1 / math.log2(r + 2) for r, doc in enumerate(ranked[:10]) if doc in relevant)
    ideal = sum(1 / math.log2(r + 2) for r in range(min(10, len(relevant))))
    recall = len(set(ranked[:100]) & relevant) / len(relevant)
    rank = next((r + 1 for r, doc in enumerate(ranked[:100]) if doc in relevant), None)
    return dcg / ideal, recall, (1 / rank if rank else 0.0)


class Command(BaseCommand):
    help = "Score match_batch output against relevance judgements (nDCG@10, recall@100, MRR)."

    def add_arguments(self, parser):
        parser.add_argument("--results", required=True)
        parser.add_argument("--queries", required=True)

    def handle(self, *args, **options):
        with open(options["results"], encoding="utf-8") as handle:
            ranked = {row["qid"]: row["ranked"] for row in map(json.loads, handle)}
        rows = []
        with open(options["queries"], encoding="utf-8") as handle:
            for line in handle:
                query = json.loads(line)
                if query.get("relevant"):
                    if query["qid"] not in ranked:
                        raise CommandError(f"no result for query {query['qid']}")
                    rows.append(metrics(ranked[query["qid"]], set(query["relevant"])))
        if not rows:
            raise CommandError("no query has relevance judgements")
        ndcg, recall, mrr = (sum(col) / len(rows) for col in zip(*rows))
        self.stdout.write(f"queries={len(rows)} ndcg@10={ndcg:.4f} recall@100={recall:.4f} "
                          f"mrr={mrr:.4f}")
