"""Load on the production stack: requests/s and latency under concurrent clients.

    .venv/bin/python bench/bench_load.py [--managers 100000] [--achievements 200000]
        [--clients 8,32,64] [--duration 20] [--soak 0] [--keep]

Loopback only, bounded: every run lasts --duration seconds per level (at most 120), the soak at
most 900 seconds, and the script stops every process it started.

Database: `tmhub_bench_load` on the PostgreSQL server of $BENCH_PG_URL (default
postgres://postgres@127.0.0.1:5432/), built once (--keep reuses it): --managers profiles written
as bulk rows by bench_talent's generator (realistic districts, employers, fields, competences,
registered and listed), --achievements published achievements whose titles, abstracts and
keywords are drawn from the CSL corpus in ../shared/data/csl, 1,000 published demands, and a
signed-in manager with a project. The match indexes are rebuilt from that database.

The stack is the one `make serve` runs (`python -m tmhub.serve`: its preflight and release steps,
then gunicorn with deploy/gunicorn.conf.py, a Celery worker and Celery beat on Redis, DEBUG off),
on a free port. The load
comes from Debian's `wrk` (`make bench-tools` installs it; a C load generator leaves the two
cores to the server) with a Lua script cycling through a fixed mix of requests:

- public directory searches: managers, organisations, achievements (Chinese queries);
- record pages with their match panels: published achievements, demands, manager profiles;
- API lists with a token: achievements, managers, demands;
- signed-in work pages of a manager (session cookie): own profile, projects, the transfer home.

Every request of the mix is fetched once before measuring and must answer 200. At each client
count the script prints requests/s, p50/p95/p99 and the error rate (connection errors, timeouts
and any status of 400 or more), for the stack and, in the same run, for the same mix against
Django's `runserver` on the same database, and for `/healthz` alone on the stack (the
framework's floor), with ratios. The goal on the 2-core machine is at least 150 requests/s at
32 clients with p95 under 500 ms and no error. --soak N runs the mix at 32 clients for N
seconds on a stack started with worker recycling off (GUNICORN_MAX_REQUESTS=0, so a leak cannot
hide behind a restart), samples each gunicorn worker's resident memory every SOAK_SAMPLE_S
seconds and prints the series; memory is flat when no worker grows over the soak's second half
(after the caches have filled) by more than FLAT_MIB or FLAT_SHARE of its size, whichever is
larger. The soak passes with no error, no worker restarted, and flat memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pg_bench_db import prepare_database  # noqa: E402

DB_NAME = "tmhub_bench_load"
CORPUS = ROOT.parent / "shared" / "data" / "csl" / "corpus.jsonl"
WORK_DIR = Path(tempfile.gettempdir()) / "tmhub-bench-load"
PASSWORD = "bench-load-pass-2025"
GOAL_RPS, GOAL_P95_MS, GOAL_CLIENTS = 150, 500, 32
SOAK_SAMPLE_S, FLAT_MIB, FLAT_SHARE = 30, 8.0, 0.05
SEARCHES = ["人工智能", "专利", "医疗器械", "芯片", "创新药", "知识产权", "技术许可", "孵化",
            "大模型", "量子计算", "储能电池", "机器人", "传感器", "基因", "光伏", "新材料"]

LUA = r"""
local requests = {}
local counter = 0
function setup(thread)
  thread:set("offset", math.random(1, 100000))
end
function init(args)
  for line in io.lines(args[1]) do
    local path, header = line:match("^([^\t]+)\t?(.*)$")
    local headers = {}
    if header ~= "" then
      local name, value = header:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    table.insert(requests, wrk.format("GET", path, headers))
  end
  counter = offset or 0
end
function request()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %f, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50": %f, "p95": %f, "p99": %f}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def server_env(base_url: str) -> dict:
    """The environment `make serve` asks for, pointed at the bench database and directories."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tmhub.settings",
        "DEBUG": "0",
        "SECURE_HTTPS": "0",
        "SECRET_KEY": "bench-load-secret-" + "s" * 48,
        "TALENT_ID_KEY": "bench-load-talent-id-" + "t" * 44,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": base_url + DB_NAME,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "TMHUB_VAR_DIR": str(WORK_DIR),
        "TMHUB_MATCH_INDEX_DIR": str(WORK_DIR / "match-index"),
        "LOGIN_FAILURE_LIMIT": "1000",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ data
def populate(managers: int, achievements: int) -> None:
    """Bulk rows: the benchmark measures serving, not data entry."""
    import bench_talent
    from django.db import transaction

    bench_talent._populate(managers)
    from tmhub.core.models import IndustryField
    from tmhub.orgs.models import Organization
    from tmhub.transfer.choices import AchievementStatus, DemandStatus
    from tmhub.transfer.models import Achievement, Demand

    started = time.monotonic()
    corpus = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    rng = random.Random(2026)
    owners = list(Organization.objects.filter(kind__in=["university", "research_institute",
                                                         "medical"]).values_list("pk", flat=True))
    fields = list(IndustryField.objects.values_list("pk", flat=True))
    from django.utils import timezone

    published_at = timezone.now()
    # The stored search text the services would write (tmhub.transfer.search), segmented once
    # per corpus record and once per owner, then joined per row.
    from tmhub.talent.search import index_tokens

    doc_tokens = [index_tokens(doc["title"][:200], doc["abstract"][:5000],
                               "，".join(doc.get("keywords", [])[:6])[:300]) for doc in corpus]
    owner_tokens = {pk: index_tokens(name, name_en, names=(name,)) for pk, name, name_en in
                    Organization.objects.filter(pk__in=owners)
                    .values_list("pk", "name", "name_en")}

    def search_text(n: int, owner_id: int) -> str:
        return " ".join(dict.fromkeys(doc_tokens[n % len(corpus)] + owner_tokens[owner_id]))

    def achievement(n: int, doc: dict) -> Achievement:
        owner_id = rng.choice(owners)
        return Achievement(
            title=doc["title"][:200], abstract=doc["abstract"][:5000],
            keywords="，".join(doc.get("keywords", [])[:6])[:300],
            field_id=rng.choice(fields), trl=rng.randint(3, 8), owner_id=owner_id,
            disclosure_number=f"BL{n:08d}", status=AchievementStatus.PUBLISHED,
            published_at=published_at, search_text=search_text(n, owner_id))

    with transaction.atomic():
        Achievement.objects.bulk_create(
            (achievement(n, corpus[n % len(corpus)]) for n in range(achievements)),
            batch_size=5000)
        enterprises = list(Organization.objects.filter(kind="enterprise")
                           .values_list("pk", flat=True))

        def demand(n: int) -> Demand:
            title = f"寻求{rng.choice(SEARCHES)}技术合作"
            problem = corpus[n]["abstract"][:2000]
            return Demand(title=title, problem=problem, organization_id=rng.choice(enterprises),
                          field_id=rng.choice(fields), status=DemandStatus.PUBLISHED,
                          published_at=published_at,
                          search_text=" ".join(index_tokens(title, problem)))

        Demand.objects.bulk_create(
            (demand(n) for n in range(1000)), batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after a bulk load
        cursor.execute("VACUUM ANALYZE")
    print(f"  {achievements:,} achievements and 1,000 demands in "
          f"{time.monotonic() - started:.0f} s")


def signed_in_manager():
    """A registered manager of the bulk rows, given a password and the manager role: the
    persona of the signed-in work pages (own profile, projects)."""
    from tmhub.accounts.models import Membership
    from tmhub.accounts.services import grant_membership
    from tmhub.accounts.tokens import issue_token
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role
    from tmhub.talent.models import ManagerProfile

    profile = (ManagerProfile.objects.filter(user__username__startswith="bt", is_listed=True)
               .select_related("user", "employer").order_by("pk").first())
    user = profile.user
    if not Membership.objects.filter(user=user, role=Role.MANAGER).exists():
        user.set_password(PASSWORD)  # a bench may write rows directly
        user.save(update_fields=["password"])
        grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER,
                         organization=profile.employer)
    _token, key = issue_token(user=user, actor=user)
    return user, key


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def request_mix(token: str, session: str, size: int = 400) -> list[str]:
    """Lines of `path<TAB>header` in the proportions of the docstring."""
    from tmhub.talent.models import ManagerProfile
    from tmhub.transfer.models import Achievement, Demand

    rng = random.Random(7)
    achievements = list(Achievement.objects.order_by("?").values_list("pk", flat=True)[:200])
    demands = list(Demand.objects.order_by("?").values_list("pk", flat=True)[:50])
    managers = list(ManagerProfile.objects.filter(is_listed=True).order_by("?")
                    .values_list("pk", flat=True)[:200])
    api = f"Authorization: Token {token}"
    cookie = f"Cookie: sessionid={session}"
    lines = []
    for _n in range(size):
        roll, q = rng.random(), rng.choice(SEARCHES)
        if roll < 0.40:
            lines.append(rng.choice([f"/talent/?q={q}", f"/orgs/?search={q}",
                                     f"/transfer/achievements/?q={q}"]) + "\t")
        elif roll < 0.65:
            lines.append(rng.choice([f"/transfer/achievements/{rng.choice(achievements)}/",
                                     f"/transfer/demands/{rng.choice(demands)}/",
                                     f"/talent/managers/{rng.choice(managers)}/"]) + "\t")
        elif roll < 0.85:
            lines.append(rng.choice([f"/api/v1/achievements/?search={q}",
                                     f"/api/v1/managers/?q={q}", "/api/v1/demands/"])
                         + "\t" + api)
        else:
            lines.append(rng.choice(["/talent/me/", "/transfer/projects/", "/transfer/"])
                         + "\t" + cookie)
    return [urllib.parse.quote(line, safe="/?=&\t:; ") for line in lines]


# ------------------------------------------------------------------ processes
class Stack:
    """`make serve`'s processes (or runserver) on a free port; stopped on exit."""

    def __init__(self, env: dict, kind: str):
        self.env, self.kind, self.port = env, kind, free_port()
        self.processes: list[subprocess.Popen] = []

    def __enter__(self):
        log = (WORK_DIR / f"{self.kind}.log").open("w")
        env = {**self.env, "PORT": str(self.port)}
        if self.kind in ("stack", "soak"):
            command = [sys.executable, "-m", "tmhub.serve"]
        else:
            command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}",
                       "--noreload"]
        self.processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                               stderr=subprocess.STDOUT,
                                               start_new_session=True))
        # The release steps may rebuild a node's 200,000-document index (no fan-out cursor yet).
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5)
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit(f"{self.kind} did not answer /healthz; see {log.name}")

    def __exit__(self, *exc):
        # tmhub.serve stops its own children (gunicorn, worker, beat) on SIGTERM.
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def gunicorn_workers(self) -> list[int]:
        """Pids of the gunicorn workers: children of the master that tmhub.serve started."""
        children = _children()
        masters = [pid for pid in children.get(self.processes[0].pid, [])
                   if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        return sorted(pid for master in masters for pid in children.get(master, []))


def _children() -> dict[int, list[int]]:
    """{parent pid: [child pids]} from /proc."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def kind_of(path: str) -> str:
    """The part of the mix a request belongs to (for the one-client breakdown)."""
    route = path.split("?", 1)[0].strip("/").split("/")
    name = "/".join(part if not part.isdigit() else "<id>" for part in route)
    return name + ("?q" if "?" in path else "")


def check_mix(port: int, lines: list[str]) -> None:
    """Fetch every request of the mix once, one at a time: each must answer 200. Prints the
    one-client latency of each kind of request (what the load is made of)."""
    import statistics

    timings: dict[str, list[float]] = {}
    for line in sorted(set(lines)):
        path, _tab, header = line.partition("\t")
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
        if header:
            name, _colon, value = header.partition(": ")
            request.add_header(name, value)
        started = time.perf_counter()
        try:
            status = urllib.request.urlopen(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        timings.setdefault(kind_of(path), []).append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}: the mix must be all 200s")
    print("One client, each request of the mix once (cold caches):")
    for kind, values in sorted(timings.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {kind:<34} n={len(values):3d}  median {statistics.median(values):7.1f} ms  "
              f"max {max(values):7.1f} ms")


def start_wrk(port: int, mix_file: Path, clients: int, seconds: int) -> subprocess.Popen:
    script = WORK_DIR / "mix.lua"
    script.write_text(LUA)
    threads = min(2, clients)
    return subprocess.Popen(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(script), f"http://127.0.0.1:{port}", "--", str(mix_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_wrk(port: int, mix_file: Path, clients: int, seconds: int) -> dict:
    return wrk_result(start_wrk(port, mix_file, clients, seconds), seconds)


def wrk_result(process: subprocess.Popen, seconds: int) -> dict:
    stdout, stderr = process.communicate(timeout=seconds + 60)
    line = next((x for x in stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{stdout}\n{stderr}")
    figures = json.loads(line[len("RESULT "):])
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    figures["rps"] = figures["requests"] / figures["seconds"]
    figures["error_rate"] = errors / max(1, figures["requests"] + figures["connect"])
    return figures


def run_soak(stack: Stack, mix_file: Path, seconds: int):
    """The mix at the goal's client count for `seconds`, sampling each worker's memory."""
    workers = stack.gunicorn_workers()
    if not workers:
        raise SystemExit("soak: no gunicorn worker found under the stack")
    series = {pid: [rss_mib(pid)] for pid in workers}
    restarted: list[int] = []
    load = start_wrk(stack.port, mix_file, GOAL_CLIENTS, seconds)
    started = time.monotonic()
    while load.poll() is None and time.monotonic() - started < seconds + 60:
        time.sleep(min(SOAK_SAMPLE_S, max(1.0, seconds - (time.monotonic() - started))))
        for pid, samples in series.items():
            if pid in restarted:
                continue
            if Path(f"/proc/{pid}").exists():
                samples.append(rss_mib(pid))
            else:
                restarted.append(pid)
    return wrk_result(load, seconds), series, restarted


def flatness(samples: list[float]) -> tuple[bool, float]:
    """(flat?, MiB grown over the second half of the samples)."""
    middle, last = samples[len(samples) // 2], samples[-1]
    growth = last - middle
    return growth <= max(FLAT_MIB, FLAT_SHARE * middle), growth


def row(label: str, clients: int, f: dict) -> str:
    return (f"  {label:<22} {clients:>3} clients  {f['rps']:7.1f} req/s  p50 {f['p50']:6.1f}  "
            f"p95 {f['p95']:6.1f}  p99 {f['p99']:6.1f} ms  errors {f['error_rate']:.2%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument("--achievements", type=int, default=200_000)
    parser.add_argument("--clients", default="8,32,64")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--soak", type=int, default=0, help="seconds at 32 clients (max 900)")
    parser.add_argument("--keep", action="store_true", help="reuse an existing database")
    parser.add_argument("--populate-only", action="store_true",
                        help="build the database and indexes, then stop (run later with --keep)")
    args = parser.parse_args()
    duration, soak = min(args.duration, 120), min(args.soak, 900)
    clients = [int(c) for c in args.clients.split(",")]
    if shutil.which("wrk") is None:
        print("wrk is not installed: run `make bench-tools` (Debian's wrk)")
        return 2
    base_url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    env = server_env(base_url)
    os.environ.update({k: v for k, v in env.items() if k not in ("PATH",)})
    created = prepare_database(base_url, DB_NAME, fresh=not args.keep)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if created:
        print(f"Seeding {args.managers:,} managers and {args.achievements:,} achievements …")
        populate(args.managers, args.achievements)
        started = time.monotonic()
        call_command("rebuild_match_index", verbosity=0)
        print(f"  match indexes rebuilt in {time.monotonic() - started:.0f} s")
    if args.populate_only:
        return 0
    user, token = signed_in_manager()
    lines = request_mix(token, session_cookie(user))
    mix_file = WORK_DIR / "mix.txt"
    mix_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    health_file = WORK_DIR / "healthz.txt"
    health_file.write_text("/healthz\t\n")
    from tmhub.talent.models import ManagerProfile
    from tmhub.transfer.models import Achievement

    print(f"Load benchmark: {ManagerProfile.objects.count():,} managers, "
          f"{Achievement.objects.count():,} achievements, PostgreSQL + Redis, "
          f"{os.cpu_count()} cores, {duration} s per level, load average "
          f"{os.getloadavg()[0]:.2f} before")
    results: dict[tuple[str, int], dict] = {}
    with Stack(env, "stack") as stack:
        check_mix(stack.port, lines)
        for n in clients:
            results[("stack", n)] = run_wrk(stack.port, mix_file, n, duration)
            print(row("make serve stack", n, results[("stack", n)]), flush=True)
            results[("healthz", n)] = run_wrk(stack.port, health_file, n, duration)
            print(row("/healthz on the stack", n, results[("healthz", n)]), flush=True)
    memory = None
    if soak:
        # A stack of its own with recycling off: a restart would hide a leak.
        with Stack({**env, "GUNICORN_MAX_REQUESTS": "0"}, "soak") as soak_stack:
            memory = run_soak(soak_stack, mix_file, soak)
    with Stack(env, "runserver") as dev:
        for n in clients:
            results[("runserver", n)] = run_wrk(dev.port, mix_file, n, duration)
            print(row("runserver", n, results[("runserver", n)]), flush=True)
    print("Ratios (same mix, same run):")
    for n in clients:
        s, r, h = results[("stack", n)], results[("runserver", n)], results[("healthz", n)]
        print(f"  {n:>3} clients: stack/runserver ×{s['rps'] / max(r['rps'], 0.01):.2f} req/s, "
              f"stack is {s['rps'] / max(h['rps'], 0.01):.1%} of the /healthz floor")
    goal = results.get(("stack", GOAL_CLIENTS))
    ok = True
    if goal:
        ok = goal["rps"] >= GOAL_RPS and goal["p95"] < GOAL_P95_MS and goal["error_rate"] == 0
        print(f"Goal at {GOAL_CLIENTS} clients (≥ {GOAL_RPS} req/s, p95 < {GOAL_P95_MS} ms, "
              f"no error): {'MET' if ok else 'NOT MET'}")
    if memory:
        soaked, series, restarted = memory
        print(row(f"soak {soak} s", GOAL_CLIENTS, soaked))
        print(f"  resident memory per gunicorn worker, MiB, every {SOAK_SAMPLE_S} s "
              "(recycling off):")
        flat = True
        for pid, samples in series.items():
            verdict, growth = flatness(samples)
            flat &= verdict
            shown = " ".join(f"{m:.0f}" for m in samples)
            print(f"    worker {pid}: {shown}  (second half {growth:+.1f} MiB: "
                  f"{'flat' if verdict else 'GROWING'})")
        if restarted:
            print(f"  workers that stopped during the soak: {', '.join(map(str, restarted))}")
        soak_ok = soaked["error_rate"] == 0 and flat and not restarted
        print(f"Soak ({soak} s at {GOAL_CLIENTS} clients: no error, no restart, flat memory): "
              f"{'PASSED' if soak_ok else 'FAILED'}")
        ok &= soak_ok
    print(f"load average {os.getloadavg()[0]:.2f} after")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
