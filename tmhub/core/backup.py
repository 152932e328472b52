"""Backups of one TM Hub installation, and restoring them (``manage.py backup`` / ``restore``).

A backup is one directory (``<BACKUP_DIR>/tmhub-<YYYYmmdd-HHMMSS>/`` by default)::

    database.dump        PostgreSQL: pg_dump --format=custom (restored with pg_restore)
    database.sqlite3     SQLite: a consistent copy through SQLite's online backup API
    media.tar            every file of the default storage (uploads), read through the storage
                         API, so a shared volume and object storage are saved alike
    index-manifest.json  per match-index kind: documents, the engine's manifest (segments and
                         checksums), generation; the node's fan-out cursor. The indexes are
                         derived data: a restore rebuilds them from the database and compares
    tables.json          per table: rows and a checksum of every row's content, as backed up
    meta.json            when, which database vendor, the applied migrations
    SHA256SUMS           sha256 of every file above (``sha256sum -c SHA256SUMS`` format)

``restore`` first verifies every checksum (a damaged or incomplete backup is refused before
anything is touched), then replaces the database (PostgreSQL: the ``public`` schema is dropped
and the dump restored in one transaction, so a failed restore changes nothing; SQLite: the
online backup API copies into the live database), replaces the uploads with the backed-up
ones, rebuilds every match index (fanned out to the other nodes), and compares every table's
rows and checksum with ``tables.json``: any difference is reported and the command fails.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
SUMS = "SHA256SUMS"


class BackupError(Exception):
    """A backup could not be written, or a restore was refused or did not verify."""


# ------------------------------------------------------------------ table fingerprints
def table_fingerprints() -> dict[str, dict]:
    """{table: {"rows": n, "checksum": hex}} over every table of the default database; the
    checksum covers every column of every row, in primary-key order."""
    result = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        for table in tables:
            quoted = connection.ops.quote_name(table)
            pk = connection.introspection.get_primary_key_column(cursor, table)
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            order = (
                connection.ops.quote_name(pk)
                if pk
                else ", ".join(str(n + 1) for n in range(len(columns)))
            )
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY "
                    f"{'t.' + order if pk else order})), '') FROM {quoted} t"
                )  # noqa: S608
                rows, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
                digest, rows = hashlib.md5(usedforsecurity=False), 0
                for row in cursor.fetchall():
                    digest.update(repr(tuple(row)).encode())
                    rows += 1
                checksum = digest.hexdigest() if rows else ""
            result[table] = {"rows": rows, "checksum": checksum}
    return result


def compare(expected: dict, actual: dict) -> list[str]:
    """Differences between two ``table_fingerprints`` results, one line each."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, have = expected.get(table), actual.get(table)
        if want is None:
            lines.append(f"{table}: not in the backup")
        elif have is None:
            lines.append(f"{table}: missing after restore")
        elif want != have:
            lines.append(
                f"{table}: {want['rows']} rows backed up, {have['rows']} now"
                if want["rows"] != have["rows"]
                else f"{table}: content differs"
            )
    return lines


# ------------------------------------------------------------------ helpers
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"{argv[0]} failed: {done.stderr.strip()[-2000:]}")


def _pg_restore(db: dict, dump: Path) -> None:
    """Replace the ``public`` schema with the dump's, in ONE transaction: the old schema is
    dropped by the same transaction that loads the new one, so a restore that fails part-way
    leaves the database exactly as it was."""
    args, env = _pg_args(db)
    script = subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    psql = subprocess.Popen(
        ["psql", "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        psql.stdin.write(b"BEGIN;\nDROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n")
        shutil.copyfileobj(script.stdout, psql.stdin, 1 << 20)
        if script.wait() == 0:
            psql.stdin.write(b"COMMIT;\n")  # only a complete script is committed
    except BrokenPipeError:
        pass  # psql stopped at an error (and rolled back): reported below
    finally:
        try:
            psql.stdin.close()
        except BrokenPipeError:
            pass
    restore_errors = script.stderr.read().decode(errors="replace")
    psql_errors = psql.stderr.read().decode(errors="replace")
    if script.wait() or psql.wait():
        raise BackupError(
            "the database was not restored (it is unchanged): "
            + (psql_errors or restore_errors).strip()[-2000:]
        )


def _sqlite_restore(path: Path) -> None:
    """Copy the backup into the live database with SQLite's backup API, after checking the copy
    is a sound database (a damaged copy is refused with the live database untouched)."""
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            verdict = str(exc)
        if verdict != "ok":
            raise BackupError(f"the database was not restored (it is unchanged): {verdict}")
        connection.ensure_connection()
        copy.backup(connection.connection)
    finally:
        copy.close()


def _storage_files(storage, directory: str = "") -> list[str]:
    try:
        folders, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    found = [f"{directory}/{name}" if directory else name for name in files]
    for folder in folders:
        found += _storage_files(storage, f"{directory}/{folder}" if directory else folder)
    return sorted(found)


def index_manifest() -> dict:
    from tmhub.matching import fanout
    from tmhub.matching.sources import KINDS
    from tmhub.matching.store import get_handle

    kinds = {}
    for kind in KINDS:
        handle = get_handle(kind)
        manifest = handle.directory / "MANIFEST.json"
        kinds[kind] = {
            "documents": len(handle.get()),
            "generation": handle._read(handle.generation_path),
            "engine_manifest": json.loads(manifest.read_text("utf-8"))
            if manifest.exists()
            else None,
        }
    return {"kinds": kinds, "fanout_cursor": fanout.read_cursor() if fanout.enabled() else None}


def _applied_migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# ------------------------------------------------------------------ backup
def backup(target: Path | None = None) -> Path:
    """Write a complete backup directory; returns its path."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"no backup for {vendor} databases")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(target or Path(settings.BACKUP_DIR) / f"tmhub-{stamp}")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} exists and is not empty")
    target.mkdir(parents=True, exist_ok=True)
    partial = target / ".incomplete"
    partial.write_text("a backup is being written", encoding="utf-8")

    database_file = target / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(database_file),
                *args,
            ],
            env,
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(database_file) as copy:
            connection.connection.backup(copy)
        copy.close()

    files = _storage_files(default_storage)
    with tarfile.open(target / "media.tar", "w") as archive:
        for name in files:
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    documents = {
        "index-manifest.json": index_manifest(),
        "tables.json": table_fingerprints(),
        "meta.json": {
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": vendor,
            "database": str(connection.settings_dict["NAME"]),
            "media_files": len(files),
            "migrations": _applied_migrations(),
        },
    }
    for name, content in documents.items():
        (target / name).write_text(
            json.dumps(content, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
    names = [DATABASE_FILES[vendor], "media.tar", *documents]
    (target / SUMS).write_text(
        "".join(f"{_sha256(target / n)}  {n}\n" for n in names), encoding="utf-8"
    )
    partial.unlink()
    return target


# ------------------------------------------------------------------ restore
def verify(source: Path) -> dict[str, str]:
    """Check every file against SHA256SUMS; {name: sha256}. Raises BackupError."""
    source = Path(source)
    if (source / ".incomplete").exists():
        raise BackupError(f"{source} is an incomplete backup")
    try:
        lines = (source / SUMS).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise BackupError(f"{source} has no {SUMS}: not a TM Hub backup")
    sums = {}
    for line in lines:
        checksum, _, name = line.partition("  ")
        path = source / name
        if not path.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(path) != checksum:
            raise BackupError(f"{name} does not match its checksum: the backup is damaged")
        sums[name] = checksum
    return sums


def restore(source: Path, out=None) -> dict:
    """Replace the database, the uploads and the indexes with the backup's; returns a summary
    (raises BackupError when the result differs from the backup)."""
    say = out or (lambda line: None)
    source = Path(source)
    sums = verify(source)
    meta = json.loads((source / "meta.json").read_text("utf-8"))
    vendor = connection.vendor
    if meta["vendor"] != vendor:
        raise BackupError(f"the backup is of a {meta['vendor']} database, this one is {vendor}")
    say(f"checksums verified ({len(sums)} files)")

    if vendor == "postgresql":
        db = connection.settings_dict
        connections.close_all()
        _pg_restore(db, source / DATABASE_FILES[vendor])
    else:
        _sqlite_restore(source / DATABASE_FILES[vendor])
    say("database restored")

    wanted = set()
    with tarfile.open(source / "media.tar") as archive:
        for member in archive.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                continue
            wanted.add(member.name)
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            saved = default_storage.save(
                member.name, ContentFile(archive.extractfile(member).read())
            )
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}")
    stale = [name for name in _storage_files(default_storage) if name not in wanted]
    for name in stale:
        default_storage.delete(name)
    say(f"uploads restored ({len(wanted)} files, {len(stale)} not in the backup removed)")

    from tmhub.matching import indexing

    counts = indexing.rebuild()
    manifest = json.loads((source / "index-manifest.json").read_text("utf-8"))
    index_differs = {
        kind: (info["documents"], counts.get(kind))
        for kind, info in manifest["kinds"].items()
        if info["documents"] != counts.get(kind)
    }
    say("match indexes rebuilt: " + ", ".join(f"{k} {n}" for k, n in counts.items()))

    differences = compare(
        json.loads((source / "tables.json").read_text("utf-8")), table_fingerprints()
    )
    if differences:
        raise BackupError(
            "the restored database differs from the backup:\n  " + "\n  ".join(differences)
        )
    if index_differs:
        raise BackupError(
            "the rebuilt match indexes differ from the backup's manifest: "
            + ", ".join(f"{k}: {a} backed up, {b} now" for k, (a, b) in index_differs.items())
        )
    say("every table's rows and checksum equal the backup's")
    return {"files": sums, "indexes": counts, "media": len(wanted)}
