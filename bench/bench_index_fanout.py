"""Index fan-out across machines: publish on node A → ranked by node B, from B's own index.

    .venv/bin/python bench/bench_index_fanout.py [--rounds 20] [--demands 20000] [--keep]
                                                 [--quick]

Two web nodes — the Procfile's `web` process (gunicorn, one worker each), each with its OWN
match-index directory (nothing shared but PostgreSQL and Redis, as on two machines) — on the
database `tmhub_bench_fanout` of $BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/)
and $BENCH_REDIS_URL (default redis://127.0.0.1:6379/14). The database holds --demands
published demands (bulk rows, indexed by each node's start-up build) and one achievement.

Each round, an enterprise publishes a new demand through node A's API (an HTTP POST with its
token) and this script polls node B's match panel for the achievement (the JSON API) until the
demand is ranked there; then it closes the demand through A and polls B until it is gone.
Delay = from sending the POST to B's first answer that shows the change (so it includes A's
request, the commit, the Redis stream, B's follower re-reading the row and writing its index,
and B's search). Prints median / p95 / max of both, the POST's own duration, and the load.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DB_NAME = "tmhub_bench_fanout"
TEXT = "钙钛矿叠层太阳电池的封装与湿热老化"
TOPICS = ["芯片设计", "医疗器械", "创新药", "自动驾驶", "工业机器人", "新材料", "储能电池",
          "基因治疗", "大模型", "量子计算", "卫星通信", "智慧农业", "精准医疗", "光伏"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def populate(demands: int):
    """(enterprise user, company, achievement) — created once; bulk demand rows."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tmhub.accounts.models import User
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.choices import OrgKind
    from tmhub.core.models import District
    from tmhub.core.roles import Role
    from tmhub.orgs.models import Organization
    from tmhub.orgs.services import create_organization
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import DemandStatus
    from tmhub.transfer.models import Achievement, Demand

    haidian = District.objects.get(code="110108")
    if not User.objects.filter(username="fanout_enterprise").exists():
        university = create_organization(actor=SYSTEM, name="扇出基准大学",
                                         kind=OrgKind.UNIVERSITY, district=haidian)
        company = create_organization(actor=SYSTEM, name="扇出基准科技有限公司",
                                      kind=OrgKind.ENTERPRISE, district=haidian)
        enterprise = create_user(actor=SYSTEM, username="fanout_enterprise", password=None)
        grant_membership(actor=SYSTEM, user=enterprise, role=Role.ENTERPRISE,
                         organization=company)
        achievement = transfer.create_achievement(
            actor=SYSTEM, owner=university, inventors=[{"name": "张三", "share": 100}],
            title=TEXT, abstract=f"{TEXT}，提高组件寿命。")
        transfer.publish_achievement(achievement, actor=SYSTEM)
    enterprise = User.objects.get(username="fanout_enterprise")
    company = Organization.objects.get(name="扇出基准科技有限公司")
    achievement = Achievement.objects.get(title=TEXT)
    have = Demand.objects.filter(title__startswith="基准需求").count()
    if have < demands:
        rng = random.Random(2026)
        from django.utils import timezone

        Demand.objects.bulk_create(
            (Demand(title=f"基准需求{n}：{rng.choice(TOPICS)}", problem=f"寻求{rng.choice(TOPICS)}"
                    f"与{rng.choice(TOPICS)}方向的技术合作", organization=company,
                    status=DemandStatus.PUBLISHED, published_at=timezone.now())
             for n in range(have, demands)), batch_size=5000)
    return enterprise, company, achievement


class Node:
    def __init__(self, name, workdir: Path, database_url: str, redis_url: str, stream: str):
        from tmhub.serve import procfile

        self.name, self.port = name, _free_port()
        self.log = open(workdir / f"node-{name}.log", "w+")
        env = {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
            "SECRET_KEY": "bench-fanout-K8s2Lq9Wz4Xp1Nd6Vb3Mk7Jh5Gf0RtaB3dE6gH9j",
            "TALENT_ID_KEY": "test-only-talent-id-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_HTTPS": "0", "TMHUB_PLAIN_STATIC": "1",
            "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "TMHUB_MATCH_INDEX_STREAM": stream, "TMHUB_VAR_DIR": str(workdir / f"node-{name}"),
            "TMHUB_MATCH_INDEX_DIR": str(workdir / f"node-{name}" / "match-index"),
            "PORT": str(self.port), "WEB_CONCURRENCY": "1", "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(procfile()["web"], cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, timeout=600):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(f"{self.base}/healthz", timeout=60).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        self.log.seek(0)
        raise SystemExit(f"node {self.name} did not start:\n{self.log.read()[-4000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--demands", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="reuse the bench database")
    parser.add_argument("--quick", action="store_true", help="5 rounds, 2,000 demands")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.demands = min(args.rounds, 5), min(args.demands, 2000)

    import redis
    import requests
    from pg_bench_db import prepare_database, setup_django

    base_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    redis.Redis.from_url(redis_url).ping()
    prepare_database(base_url, DB_NAME, fresh=not args.keep)
    setup_django(base_url, DB_NAME)
    from tmhub.accounts.tokens import issue_token
    from tmhub.core.actors import SYSTEM
    from tmhub.transfer import services as transfer

    enterprise, company, achievement = populate(args.demands)
    _token, key = issue_token(user=enterprise, actor=SYSTEM, name="fan-out bench")
    stream = f"tmhub-bench-fanout-{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="tmhub-bench-fanout-"))
    started = time.monotonic()
    nodes = [Node(n, workdir, base_url + DB_NAME, redis_url, stream) for n in ("a", "b")]
    try:
        for node in nodes:
            node.wait_healthy()
        node_a, node_b = nodes
        print(f"two nodes up, each built its own index of {args.demands:,} demands from the "
              f"database: {time.monotonic() - started:.1f} s; index directories under {workdir}")
        auth = {"Authorization": f"Token {key}"}
        panel = f"{node_b.base}/api/v1/matches/demands-for-achievement/{achievement.pk}/?limit=50"

        def on_b() -> set[int]:
            return {row["id"] for row in requests.get(panel, timeout=30).json()["results"]}

        def wait(condition, limit=30.0) -> float:
            t0 = time.monotonic()
            while not condition():
                if time.monotonic() - t0 > limit:
                    raise SystemExit("a change did not reach node B within 30 s")
            return time.monotonic() - t0

        publish, close, post = [], [], []
        for _ in range(args.rounds):
            demand = transfer.create_demand(actor=enterprise, organization=company, title=TEXT,
                                            problem=TEXT)
            assert demand.pk not in on_b()
            t0 = time.monotonic()
            response = requests.post(f"{node_a.base}/api/v1/demands/{demand.pk}/publish/",
                                     headers=auth, timeout=30)
            post.append(time.monotonic() - t0)
            assert response.status_code == 200, response.text
            publish.append(post[-1] + wait(lambda pk=demand.pk: pk in on_b()))
            t0 = time.monotonic()
            response = requests.post(f"{node_a.base}/api/v1/demands/{demand.pk}/close/",
                                     headers=auth, json={"reason": "基准"}, timeout=30)
            assert response.status_code == 200, response.text
            close.append(time.monotonic() - t0 + wait(lambda pk=demand.pk: pk not in on_b()))
    finally:
        for node in nodes:
            node.stop()

    def line(label, values):
        ms = [v * 1000 for v in values]
        print(f"{label:<40} median {statistics.median(ms):7.0f} ms   p95 {_pct(ms, 0.95):7.0f} ms"
              f"   max {max(ms):7.0f} ms")

    print(f"\n{args.rounds} rounds, {args.demands:,} published demands, separate index "
          f"directories, load average {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    line("publish on A → ranked on B", publish)
    line("  of which A's publish request itself", post)
    line("close on A → gone from B", close)
    return 0


if __name__ == "__main__":
    sys.exit(main())
