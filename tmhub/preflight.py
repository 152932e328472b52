"""Before the production stack starts: every missing or weak setting, and the services, at once.

    python -m tmhub.preflight          # exit 0 when ready, 2 with one line per problem

Run by ``make serve`` (``tmhub/serve.py``) before anything else, and usable on its own on a
server. The settings module refuses to load at the FIRST missing value; this reads the
environment itself, so an operator sees every problem in one go: which of ``SECRET_KEY``,
``TALENT_ID_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL`` is missing or unfit,
whether ``SECRET_KEY`` is weak, and then whether PostgreSQL and Redis answer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

REQUIRED = ("SECRET_KEY", "TALENT_ID_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'
# Values shipped in this repository for development and tests: public, hence weak.
KNOWN_PUBLIC_PREFIXES = (
    "django-insecure-",
    "development-only",
    "test-only",
    "change-me",
    "changeme",
    "worker-test-",
    "check-deploy-",
)


def _secret_key_weakness(value: str) -> str | None:
    """Why SECRET_KEY is weak (Django's own rule, security.W009, plus our public values)."""
    if len(value) < 50:
        return f"is too short ({len(value)} characters; at least 50)"
    if len(set(value)) < 5:
        return "has fewer than 5 different characters"
    if value.lower().startswith(KNOWN_PUBLIC_PREFIXES):
        return "is a published development or test value"
    return None


def problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """Every problem with the production settings in ``environ`` (default: os.environ)."""
    env = os.environ if environ is None else environ
    found = []
    for name in REQUIRED:
        if not env.get(name, "").strip():
            hint = {
                "SECRET_KEY": f"generate one with {GENERATE}",
                "TALENT_ID_KEY": f"a second, different key: {GENERATE}",
                "ALLOWED_HOSTS": "the host names users type, comma-separated, "
                "e.g. tmhub.example.gov.cn",
                "DATABASE_URL": "postgres://user:password@host:5432/tmhub",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
            }[name]
            found.append(f"{name} is missing: {hint}")
    secret = env.get("SECRET_KEY", "").strip()
    if secret and (why := _secret_key_weakness(secret)):
        found.append(f"SECRET_KEY is weak: it {why}; generate one with {GENERATE}")
    talent_key = env.get("TALENT_ID_KEY", "").strip()
    if talent_key and len(talent_key) < 32:
        found.append(f"TALENT_ID_KEY is too short ({len(talent_key)} characters; at least 32)")
    if talent_key and talent_key == secret:
        found.append(
            "TALENT_ID_KEY must differ from SECRET_KEY (ID numbers must not depend on, "
            "or leak with, the session key)"
        )
    hosts = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if "*" in hosts:
        found.append("ALLOWED_HOSTS must name the hosts, not '*'")
    database = env.get("DATABASE_URL", "").strip()
    if database and not database.startswith(("postgres://", "postgresql://", "pgsql://")):
        found.append(
            "DATABASE_URL must name a PostgreSQL database (postgres://…); SQLite is "
            "for the demo (make run)"
        )
    redis_url = env.get("REDIS_URL", "").strip()
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        found.append("REDIS_URL must be a redis:// (or rediss://, unix://) URL")
    if env.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        found.append("DEBUG must be off in production (unset it)")
    return found


def service_problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """Whether PostgreSQL and Redis answer (only for URLs that passed ``problems``)."""
    env = os.environ if environ is None else environ
    found = []
    database = env.get("DATABASE_URL", "")
    try:
        import dj_database_url
        import psycopg

        db = dj_database_url.parse(database)
        with psycopg.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=5,
        ):
            pass
    except Exception as exc:  # noqa: BLE001 - reported to the operator as it is
        found.append(f"DATABASE_URL: PostgreSQL does not answer ({_first_line(exc)})")
    try:
        import redis

        client = redis.Redis.from_url(
            env.get("REDIS_URL", ""), socket_timeout=5, socket_connect_timeout=5
        )
        client.ping()
        client.close()
    except Exception as exc:  # noqa: BLE001
        found.append(f"REDIS_URL: Redis does not answer ({_first_line(exc)})")
    return found


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def report(environ: Mapping[str, str] | None = None, out=sys.stderr) -> bool:
    """Print every problem; True when there are none."""
    found = problems(environ)
    if not found:
        found = service_problems(environ)
    if found:
        print("TM Hub will not start in production until these are fixed:", file=out)
        for line in found:
            print(f"  - {line}", file=out)
        print("(README.md, section Deployment, lists every variable.)", file=out)
    return not found


if __name__ == "__main__":
    sys.exit(0 if report() else 2)
