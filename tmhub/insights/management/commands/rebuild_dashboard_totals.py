"""Recompute the city dashboard's running totals from the records (after a bulk load or a
restore written as rows), or with --check only report where they differ."""

from django.core.management.base import BaseCommand

from tmhub.insights import totals


class Command(BaseCommand):
    help = "Recompute the city dashboard's running totals from the records (--check: compare)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="report cells whose total differs from the records; change "
                                 "nothing (exit status 1 when one does)")

    def handle(self, *args, check=False, **options):
        if check:
            differences = totals.drift()
            for cell, (stored, counted) in sorted(differences.items()):
                self.stdout.write(f"{cell}: stored {stored}, records {counted}")
            self.stdout.write(f"{len(differences)} cells differ")
            if differences:
                raise SystemExit(1)
            return
        cells = totals.rebuild()
        self.stdout.write(f"dashboard totals rebuilt: {cells} cells")
