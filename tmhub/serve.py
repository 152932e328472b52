"""`make serve`: the production stack on one machine, from this checkout.

    python -m tmhub.serve            # preflight, release steps, then web + worker + beat
    python -m tmhub.serve --release  # only the release steps (what a deploy runs once)

1. ``tmhub.preflight``: every missing or weak variable and unreachable service at once, exit 2.
2. Release steps, in this process: ``migrate``, ``collectstatic`` (skipped when the collected
   files are already those of this checkout: a stamp of every source file's path, size and
   modification time), ``rebuild_match_index --missing`` (builds what this node lacks and, with
   fan-out, applies the index changes announced while it was down).
3. The processes of the ``Procfile`` — ``web`` (gunicorn, ``deploy/gunicorn.conf.py``: workers
   from the core count, ``PORT``), ``worker`` (Celery) and ``beat`` (Celery beat) — each in its
   own session, their output on this terminal. Ctrl-C (or SIGTERM) stops all three gracefully
   (SIGTERM, then SIGKILL after ``SERVE_STOP_SECONDS``); if one of them dies, the others are
   stopped too and the exit status is 1.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
STAMP = ".tmhub-collected"
PROCESSES = ("web", "worker", "beat")


def procfile(path: Path = PROCFILE) -> dict[str, list[str]]:
    """{name: argv} of the Procfile; ``python`` is this interpreter (the venv's)."""
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, command = line.partition(":")
        argv = shlex.split(command)
        if argv and argv[0] == "python":
            argv[0] = sys.executable
        entries[name.strip()] = argv
    return entries


def _static_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.blake2b(digest_size=16)
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collectstatic(out=sys.stdout) -> None:
    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    fingerprint = _static_fingerprint()
    stamp = root / STAMP
    if (
        (root / "staticfiles.json").exists()
        and stamp.exists()
        and stamp.read_text(encoding="utf-8") == fingerprint
    ):
        print(f"collectstatic: {root} is up to date", file=out)
        return
    call_command("collectstatic", interactive=False, verbosity=1)
    stamp.write_text(fingerprint, encoding="utf-8")


def release(out=sys.stdout) -> None:
    """The one-off steps before the processes start (idempotent)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmhub.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=1)
    collectstatic(out)
    call_command("rebuild_match_index", missing=True)
    connections.close_all()


class Stack:
    """The Procfile's processes, started and stopped together."""

    def __init__(self, commands: dict[str, list[str]], env: dict[str, str]):
        self.commands, self.env = commands, env
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self) -> None:
        for name in PROCESSES:
            print(f"serve: starting {name}: {shlex.join(self.commands[name])}", flush=True)
            self.children[name] = subprocess.Popen(
                self.commands[name], cwd=ROOT, env=self.env, start_new_session=True
            )
            print(f"serve: {name} is pid {self.children[name].pid}", flush=True)

    def stop(self, grace: float) -> None:
        self.stopping = True
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, child in self.children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"serve: {name} did not stop in {grace:.0f} s; killing it", flush=True)
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()

    def wait(self) -> str | None:
        """Block until a child exits (its name) or stop() was asked for (None)."""
        while not self.stopping:
            for name, child in self.children.items():
                if child.poll() is not None:
                    return name
            time.sleep(0.2)
        return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only the release steps")
    args = parser.parse_args(argv)

    from tmhub import preflight

    if not preflight.report():
        return 2
    os.environ["DJANGO_SETTINGS_MODULE"] = os.environ.get(
        "DJANGO_SETTINGS_MODULE", "tmhub.settings"
    )
    try:
        release()
    except KeyboardInterrupt:
        print("serve: interrupted before the processes started", flush=True)
        return 130
    if args.release:
        return 0

    stack = Stack(procfile(), dict(os.environ))
    grace = float(os.environ.get("SERVE_STOP_SECONDS", "25"))

    def on_signal(signum, frame):
        stack.stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stack.start()
    port = os.environ.get("PORT", "8000")
    print(
        f"serve: TM Hub on http://127.0.0.1:{port} (health: /healthz); Ctrl-C stops it", flush=True
    )
    died = stack.wait()
    if died:
        print(
            f"serve: {died} exited with status {stack.children[died].returncode}; stopping "
            "the others",
            flush=True,
        )
    else:
        print("serve: stopping", flush=True)
    stack.stop(grace)
    print("serve: stopped", flush=True)
    return 1 if died else 0


if __name__ == "__main__":
    sys.exit(main())
