"""manage.py rebuild_match_index [--kind achievements|demands|managers|providers]"""

import time

from django.core.management.base import BaseCommand

from tmhub.matching.sources import KINDS
from tmhub.matching.store import get_handle


class Command(BaseCommand):
    help = "Rebuild the match indexes from the database (they are derived data on disk)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=KINDS, action="append",
                            help="only this kind (repeatable); default: all")

    def handle(self, *args, **options):
        for kind in options["kind"] or KINDS:
            started = time.perf_counter()
            handle = get_handle(kind)
            count = handle.rebuild()
            self.stdout.write(f"{kind}: {count:,} documents in {handle.directory} "
                              f"({time.perf_counter() - started:.1f} s)")
