"""Check (default) or rebuild the progress dashboard's running totals against the records.

    python manage.py training_figures [--rebuild]

Needed only after rows were written around the services (bulk SQL loads, restores)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tmhub.training.dashboard import cache, figures


class Command(BaseCommand):
    help = "Check or rebuild the training dashboard's running totals."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true",
                            help="recompute every total from the records")

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            with transaction.atomic():
                cells = figures.rebuild()
                cache.changed()
            self.stdout.write(f"rebuilt {cells} cells")
            return
        expected = {c: v for c, v in figures.contributions(None).items() if v}
        kept = figures.stored()
        wrong = sorted(set(expected) | set(kept), key=str)
        wrong = [c for c in wrong if expected.get(c) != kept.get(c)]
        for cell in wrong[:20]:
            self.stdout.write(f"{cell}: kept {kept.get(cell)}, records {expected.get(cell)}")
        if wrong:
            raise CommandError(f"{len(wrong)} of {len(expected)} totals differ; run --rebuild")
        self.stdout.write(f"all {len(expected)} totals agree with the records")
