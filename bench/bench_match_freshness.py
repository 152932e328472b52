"""How fast a change reaches the shared match index, measured through the real services.

    DATABASE_URL=... .venv/bin/python bench/bench_match_freshness.py [--rounds 10]

Needs a database that already holds achievements (e.g. after ``manage.py match_batch`` on the
CSL corpus). Each round publishes a new achievement through the transfer services (the hooks
then index it exactly as in production) and measures, from the moment the service returns,
how long until a *second* index handle - what another server process sees - ranks it for a
demand with its title; then withdraws it and measures until that handle no longer returns it.
Writes to the configured database (the achievements stay, withdrawn).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmhub.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    from tmhub.matching.batch import evaluation_owner
    from tmhub.matching.sources import AchievementSource, doc_id
    from tmhub.matching.store import IndexHandle, get_handle, index_root
    from tmhub.transfer import services as transfer

    owner, actor = evaluation_owner()
    writer = get_handle("achievements")
    started = time.perf_counter()
    writer.get()
    print(f"index of {len(writer.get()):,} achievements opened in "
          f"{time.perf_counter() - started:.2f} s")
    other = IndexHandle("achievements", index_root(), AchievementSource())  # "another process"
    other.get()

    def visible(pk: int, title: str) -> bool:
        return doc_id(pk) in [hit.id for hit in other.get().search(title, top_k=10)]

    publish_ms, withdraw_ms = [], []
    for n in range(args.rounds):
        title = f"自适应等离子体刻蚀终点检测装置第{n}代（基准测试{time.time_ns() % 100000}）"
        achievement = transfer.create_achievement(
            actor=actor, owner=owner, inventors=[{"name": "基准", "share": 100}], title=title,
            abstract="一种基于光谱分析的等离子体刻蚀终点检测装置及方法。")
        started = time.perf_counter()
        transfer.publish_achievement(achievement, actor=actor)
        while not visible(achievement.pk, title):
            time.sleep(0.005)
        publish_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        transfer.withdraw_achievement(achievement, actor=actor, reason="benchmark")
        while visible(achievement.pk, title):
            time.sleep(0.005)
        withdraw_ms.append((time.perf_counter() - started) * 1000)

    def summary(values):
        return (f"median {statistics.median(values):.0f} ms, max {max(values):.0f} ms "
                f"(n={len(values)})")

    print("publish -> searchable in another process:", summary(publish_ms))
    print("withdraw -> gone in another process:     ", summary(withdraw_ms))


if __name__ == "__main__":
    main()
