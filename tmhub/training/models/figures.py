"""The dashboard's running totals, kept by the services in the same transaction as the writes
they summarise (see tmhub/training/dashboard/figures.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureMetric(models.TextChoices):
    TRAINED_BY_LEVEL = "TL", _("Trained managers by highest level")
    TRAINED_BY_MONTH = "TM", _("Trained managers by month first certified")
    TRAINED_BY_FIELD = "TF", _("Trained managers by industry field")
    ENROLMENTS_BY_MONTH = "EM", _("Enrolment requests by month")
    ENROLMENTS_BY_STATUS = "ES", _("Enrolments by level and status")
    HOURS_BY_MONTH = "HM", _("Person-hours credited by session month")


class DashboardFigure(models.Model):
    """One running total of the progress dashboard for one attribution of trainees (district,
    kind of employer, employer; entry route for the level breakdown) and one key (a month
    "YYYY-MM", a level, "level:status" or an industry field id).

    The attribution columns are plain integers, 0 meaning unknown: they are grouping keys of
    a summary, not references, and the scope filters of the dashboard apply to them exactly as
    to the records they summarise. Only the services change these rows; `rebuild` recomputes
    them from the records and the tests check the two agree."""

    metric = models.CharField(_("figure"), max_length=2, choices=FigureMetric.choices)
    district = models.IntegerField(_("district id"), default=0)
    kind = models.CharField(_("kind of employer"), max_length=30, blank=True, default="")
    employer = models.IntegerField(_("employer id"), default=0)
    route = models.CharField(_("entry route"), max_length=10, blank=True, default="")
    key = models.CharField(_("key"), max_length=40, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("dashboard figure")
        verbose_name_plural = _("dashboard figures")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "district", "kind", "employer", "route", "key"],
                name="training_figure_cell"),
        ]
        indexes = [
            models.Index(fields=["metric", "district"], name="training_figure_district"),
            models.Index(fields=["metric", "kind"], name="training_figure_kind"),
            models.Index(fields=["metric", "employer"], name="training_figure_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.district}/{self.kind}/{self.employer}/{self.route} " \
               f"{self.key}: {self.value}"
