"""Re-encrypt every stored ID number with the newest key.

    python manage.py rotate_id_key [--batch-size 500]

Run it after deploying a new TALENT_ID_KEY with the previous key moved to TALENT_ID_OLD_KEYS
(settings.py); once it reports every row current, the old key can be removed. Safe to run
again or to resume: rows already under the newest key are left alone. The whole run is one
audited operation (its ObjectChange rows share the operation id it prints).
"""

from django.core.management.base import BaseCommand, CommandError

from tmhub.core.operations import operation
from tmhub.talent.protection import UndecryptableIdNumber
from tmhub.talent.rotation import rotate_id_numbers


class Command(BaseCommand):
    help = "Re-encrypt every stored ID number with the newest TALENT_ID_KEY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="profiles per transaction (default 500)"
        )

    def handle(self, *args, batch_size=500, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")

        def report(progress):
            self.stdout.write(
                f"  {progress.checked}/{progress.total} checked, {progress.rotated} re-encrypted"
            )

        with operation() as operation_id:
            self.stdout.write(f"Rotating ID numbers (operation {operation_id})")
            try:
                progress = rotate_id_numbers(batch_size=batch_size, report=report)
            except UndecryptableIdNumber as exc:
                raise CommandError(
                    f"{exc} Add the key that encrypted it to TALENT_ID_OLD_KEYS and run the "
                    "command again; rows rotated so far stay rotated."
                ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{progress.rotated} of {progress.total} ID numbers re-encrypted with the "
                f"newest key; {progress.total - progress.rotated} were already current."
            )
        )
