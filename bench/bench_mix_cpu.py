"""The Python time of each request of bench_load's mix, replayed in process.

    .venv/bin/python bench/bench_mix_cpu.py

Needs the load bench's database (`bench/bench_load.py --populate-only` builds it once) and the
Redis of $BENCH_REDIS_URL (default db 10). The 400 requests of the mix are sent through
Django's test client (no HTTP server, no load generator): once to warm the caches, then twice
while `time.process_time` measures each. Prints the mean per request over the mix and, per
kind of request, its mean and its share of the total — where the server's CPU goes, measured
without the noise of concurrent clients (wall time is printed too; it includes waiting on the
database)."""

import collections
import os
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_load  # noqa: E402


def main() -> None:
    env = bench_load.server_env(os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/"))
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    user, key = bench_load.signed_in_manager()
    session = bench_load.session_cookie(user)
    lines = [urllib.parse.unquote(line) for line in bench_load.request_mix(key, session)]
    client = Client(HTTP_HOST="127.0.0.1")

    def send(line):
        path, _tab, header = line.partition("\t")
        extra = {}
        if header.startswith("Authorization"):
            extra["HTTP_AUTHORIZATION"] = header.split(": ", 1)[1]
        if header.startswith("Cookie"):
            client.cookies["sessionid"] = session
        else:
            client.cookies.pop("sessionid", None)
        response = client.get(path, **extra)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{path} answered {response.status_code}")

    for line in lines:
        send(line)
    per_kind = collections.defaultdict(list)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for line in lines * 2:
        started = time.process_time()
        send(line)
        per_kind[bench_load.kind_of(line.split("\t")[0])].append(
            (time.process_time() - started) * 1000)
    count = 2 * len(lines)
    total = (time.process_time() - cpu_started) * 1000
    print(f"load average {os.getloadavg()[0]:.1f}; {count} requests: "
          f"{total / count:.2f} ms CPU per request, "
          f"wall {(time.perf_counter() - wall_started) * 1000 / count:.1f} ms")
    for kind, values in sorted(per_kind.items(), key=lambda item: -sum(item[1])):
        print(f"  {kind:34s} n={len(values) // 2:3d}  mean {sum(values) / len(values):6.2f} ms"
              f"  share {sum(values) / total * 100:5.1f} %")


if __name__ == "__main__":
    main()
