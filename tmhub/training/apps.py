from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Training joins the platform through its policies, metrics and subscriptions modules
    (imported by core at start-up); here only its spreadsheet imports are registered."""

    name = "tmhub.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self):
        from tmhub.core.tabular.importing import register
        from tmhub.training.imports import AttendanceImport, CourseImport

        register(CourseImport())
        register(AttendanceImport())
