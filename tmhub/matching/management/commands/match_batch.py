"""manage.py match_batch --corpus C.jsonl --queries Q.jsonl --top 100 --out R.jsonl"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from tmhub.matching import batch
from tmhub.matching.store import get_handle


class Command(BaseCommand):
    help = ("Load a JSON-lines corpus as published achievements, index it with the production "
            "indexer and rank each query exactly as a demand with that text is ranked.")

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help='rows {"id","title","abstract",…}')
        parser.add_argument("--queries", required=True, help='rows {"qid","text"}')
        parser.add_argument("--top", type=int, default=100, help="ids per query (default 100)")
        parser.add_argument("--out", required=True, help='output rows {"qid","ranked":[…]}')
        parser.add_argument("--source", default="batch",
                            help="label of this corpus; rows already loaded under it are reused")

    def handle(self, *args, **options):
        if options["top"] < 1:
            raise CommandError("--top must be at least 1")
        try:
            rows = batch.read_corpus(options["corpus"])
            queries = batch.read_queries(options["queries"])
        except batch.BatchInputError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        ids = batch.load_corpus(
            rows, source=options["source"],
            progress=lambda n: self.stderr.write(f"  loaded {n:,} rows"))
        loaded = time.perf_counter()
        documents = get_handle("achievements").rebuild()
        indexed = time.perf_counter()
        results = batch.rank(queries, ids, options["top"])
        with open(options["out"], "w", encoding="utf-8") as handle:
            for row in results:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stderr.write(
            f"{len(rows):,} corpus rows ({loaded - started:.1f} s to load), "
            f"{documents:,} achievements indexed ({indexed - loaded:.1f} s), "
            f"{len(queries):,} queries ranked ({time.perf_counter() - indexed:.1f} s) "
            f"-> {options['out']}")
