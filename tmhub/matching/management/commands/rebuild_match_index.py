"""manage.py rebuild_match_index [--kind achievements|demands|managers|providers] [--missing]"""

import time

from django.core.management.base import BaseCommand

from tmhub.matching import fanout
from tmhub.matching.sources import KINDS
from tmhub.matching.store import get_handle, index_exists


class Command(BaseCommand):
    help = "Rebuild the match indexes from the database (they are derived data on disk)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=KINDS, action="append",
                            help="only this kind (repeatable); default: all")
        parser.add_argument("--missing", action="store_true",
                            help="only the indexes this node does not have yet, and (with "
                                 "fan-out) the changes announced since it last followed; what "
                                 "a node runs at start")

    def handle(self, *args, **options):
        kinds = options["kind"] or KINDS
        if options["missing"]:
            if fanout.enabled():
                applied = fanout.catch_up()
                self.stdout.write(f"fan-out: {applied} announced changes applied, cursor "
                                  f"{fanout.read_cursor()}")
            kinds = [kind for kind in kinds if not index_exists(kind)]
        for kind in kinds:
            started = time.perf_counter()
            handle = get_handle(kind)
            count = handle.rebuild()
            self.stdout.write(f"{kind}: {count:,} documents in {handle.directory} "
                              f"({time.perf_counter() - started:.1f} s)")
