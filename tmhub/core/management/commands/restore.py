"""manage.py restore DIR [--yes]: replace the database, uploads and indexes with a backup's."""

from django.core.management.base import BaseCommand, CommandError

from tmhub.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup`: checksums first, then the "
        "database, the uploads and the match indexes, then every table is compared with "
        "the backup. Everything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask for confirmation (scripts)"
        )

    def handle(self, *args, **options):
        try:
            backup.verify(options["directory"])
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        if not options["yes"]:
            answer = input(
                "This replaces the whole database and every upload with the "
                "backup's. Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("not restored")
        try:
            backup.restore(options["directory"], out=self.stdout.write)
        except backup.BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS("restored"))
