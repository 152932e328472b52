"""manage.py backup [--out DIR]: database, uploads, index manifest and checksums in one folder."""

from django.core.management.base import BaseCommand, CommandError

from tmhub.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, or a SQLite copy), the uploads, the match-index "
        "manifest and every table's row count and checksum, with a SHA256SUMS file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="directory to create (default: BACKUP_DIR/tmhub-<date>-<time>)"
        )

    def handle(self, *args, **options):
        try:
            path = backup.backup(options["out"])
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"backup written to {path}")
