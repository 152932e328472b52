"""A dedicated PostgreSQL database for a benchmark, and Django pointed at it."""

import os


def prepare_database(base_url: str, name: str, fresh: bool) -> bool:
    """Create database `name` (dropping it first when `fresh`); True when newly created."""
    import psycopg

    with psycopg.connect(base_url + "postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def setup_django(base_url: str, name: str) -> None:
    """Configure and start Django on the benchmark database (test settings: no HTTPS)."""
    os.environ["DATABASE_URL"] = base_url + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tmhub.test_settings")
    import django

    django.setup()
