"""Build a realistic demo city: `python manage.py seed_demo` (idempotent).

Each app may provide `tmhub/<app>/demo.py` with `seed(ctx: DemoContext)`; they run in the
order of INSTALLED_APPS, after the accounts-and-organisations base in core/demo.
"""

import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from tmhub.core.demo.base import DemoContext


class Command(BaseCommand):
    help = "Load demo organisations, users of every role and module data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=None, help="Password for the demo users.")

    def handle(self, *args, **options):
        # Demo workflow steps notify people; keep those e-mails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._seed(options)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _seed(self, options):
        ctx = DemoContext(password=options["password"], stdout=self.stdout)
        finishers = []
        for config in apps.get_app_configs():
            if not config.name.startswith("tmhub."):
                continue
            module_name = (
                "tmhub.core.demo.base" if config.name == "tmhub.core" else f"{config.name}.demo"
            )
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            started = time.monotonic()
            module.seed(ctx)
            self.stdout.write(f"seeded {config.label} in {time.monotonic() - started:.1f}s")
            finishers.append(getattr(module, "finish", None))
        # after every app has seeded: summaries that read what all of them wrote
        for finish in filter(None, finishers):
            finish(ctx)
