from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "tmhub.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.training.imports import AttendanceImport, CourseImport
        from tmhub.training.selectors import training_hours

        register(CourseImport())
        register(AttendanceImport())
        from tmhub.training import signals

        signals.connect()
        # Continuing-education hours pre-fill the talent pool's annual filing.
        try:
            from tmhub.talent.filing_sources import register_filing_source
        except ImportError:
            return
        register_filing_source("training_hours", _("Continuing-education class hours"),
                               training_hours)
