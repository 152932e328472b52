"""Benchmark of a social-evaluation rating round (issue 17 item 2) on PostgreSQL.

    .venv/bin/python bench/bench_rating.py [--managers 100000] [--keep]

Builds (once; `--keep` reuses it) a database `tmhub_bench_rating` on the PostgreSQL server of
$BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/) with --managers technology
managers (bench_talent's generator), every one registered, and their transfer work written
set-wise: 20,000 projects with 2 managers each, 60,000 contracts (a fifth dated after the
cut-off) with a receipt each. It then runs a round over every registered manager on the seeded
manager template (every computed indicator read from the metrics registry as of the cut-off)
as the Celery job does, in-process, prints managers/s, runs it again for the same cut-off and
checks that every total, level and item is identical. Exit status 1 when they differ.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from pg_bench_db import prepare_database, setup_django  # noqa: E402

DB_NAME = "tmhub_bench_rating"
PROJECTS = 20_000
CONTRACTS = 60_000
START, CUTOFF = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def _populate(managers: int) -> None:
    import bench_talent
    from django.db import connection

    bench_talent._populate(managers)
    started = time.monotonic()
    kinds = "ARRAY['university','research_institute','medical']"
    with connection.cursor() as cur:
        cur.execute("""UPDATE talent_managerprofile SET is_listed = true,
                         registry_number = 'BJTM-R-' || id,
                         registered_at = timestamptz '2024-06-01 10:00+08'""")
        cur.execute(f"""INSERT INTO transfer_project (title, description, institution_id, stage,
                  stage_changed_at, started_on, version, created_at, updated_at)
                SELECT '项目' || g, '', (SELECT id FROM orgs_organization
                  WHERE kind = ANY({kinds}) ORDER BY id OFFSET g % 200 LIMIT 1), 'transaction',
                  now(), date '2024-01-01' + (g % 500), 1, now(), now()
                FROM generate_series(1, {PROJECTS}) g""")
        cur.execute("""INSERT INTO transfer_projectassignment (project_id, user_id, role,
                  assigned_on)
                WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS n
                           FROM transfer_project),
                     m AS (SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS k
                           FROM talent_managerprofile),
                     total AS (SELECT count(*) AS c FROM m)
                SELECT p.id, m.user_id, CASE WHEN s = 0 THEN 'lead' ELSE 'member' END,
                  date '2024-01-01'
                FROM p CROSS JOIN generate_series(0, 1) s CROSS JOIN total
                JOIN m ON m.k = (p.n * 7 + s * 3) % total.c""")
        cur.execute(f"""INSERT INTO transfer_contract (number, title, kind, institution_id,
                  project_id, amount_fen, currency, signed_on, registration_number, notes,
                  created_at, updated_at)
                SELECT 'RC-' || g, '技术合同' || g, 'licence', p.institution_id, p.id,
                  100000 + (g % 997) * 10000, 'CNY',
                  date '2025-01-01' + (g % 456), 'REG-R-' || g, '', now(), now()
                FROM generate_series(1, {CONTRACTS}) g
                JOIN (SELECT id, institution_id, row_number() OVER (ORDER BY id) AS n
                      FROM transfer_project) p ON p.n = 1 + g % {PROJECTS}""")
        cur.execute("""INSERT INTO transfer_receipt (contract_id, amount_fen, note, received_on,
                  over_amount, reason, recorded_at)
                SELECT id, amount_fen / 2, '', signed_on + 20, '', '', now()
                FROM transfer_contract""")
        cur.execute("ANALYZE")
    print(f"added {PROJECTS:,} projects with 2 managers each and {CONTRACTS:,} contracts "
          f"with receipts in {time.monotonic() - started:.0f}s")


def _fingerprint(round_id: int) -> tuple[int, str]:
    from django.db import connection

    digest = hashlib.sha256()
    with connection.cursor() as cur:
        cur.execute("""SELECT r.manager_id, r.total, r.level, i.indicator_id, i.raw_value,
                         i.points, i.contribution
                       FROM evaluation_rating r JOIN evaluation_ratingitem i
                         ON i.rating_id = r.id
                       WHERE r.round_id = %s ORDER BY r.manager_id, i.indicator_id""",
                    [round_id])
        rows = 0
        while batch := cur.fetchmany(50_000):
            rows += len(batch)
            digest.update(repr(batch).encode())
    return rows, digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing bench database")
    args = parser.parse_args()
    base_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    created = prepare_database(base_url, DB_NAME, fresh=not args.keep)
    setup_django(base_url, DB_NAME)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if created:
        _populate(args.managers)

    from tmhub.core.actors import SYSTEM
    from tmhub.evaluation.models import IndicatorSystem, Rating
    from tmhub.evaluation.services import ratings

    system = IndicatorSystem.objects.get(code="manager-capability", version=1)
    round_ = ratings.create_round(actor=SYSTEM, name=f"基准评价 {time.time():.0f}",
                                  period_start=START, period_end=CUTOFF,
                                  manager_system=system)
    round_ = ratings.step_round(round_, "open", actor=SYSTEM)
    results = []
    for run in (1, 2):
        # the step queues the job on commit; without a broker it runs there, in-process
        started = time.monotonic()
        ratings.step_round(round_, "computing", actor=SYSTEM)
        elapsed = time.monotonic() - started
        round_.refresh_from_db()
        written = Rating.objects.filter(round=round_).count()
        rows, digest = _fingerprint(round_.pk)
        results.append(digest)
        print(f"run {run}: {written:,} managers rated in {elapsed:.1f}s = "
              f"{written / elapsed:,.0f} managers/s ({rows:,} rating items; status "
              f"{round_.status}, progress {round_.progress_done:,}/{round_.progress_total:,})")
    same = results[0] == results[1]
    levels = dict(Rating.objects.filter(round=round_).values_list("level").order_by()
                  .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id")))
    print(f"levels: {levels}")
    print("re-run for the same cut-off: " + ("identical totals, levels and items" if same
                                             else "DIFFERENT RESULTS"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
