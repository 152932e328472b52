"""Rules are data: a rule row is in force for a period and names the text it implements.

Reward percentages, filing deadlines, training hours, title eligibility and evaluation weights
are rows of models built on `EffectivePeriod`: the row in force on a date is looked up with
`Model.objects.in_force(on, **scope)` (or `.current(on, **scope)` for exactly one), so a policy
change is a new row from its start date, never an edit of code or of the figures already
computed under the old row. `confirmed=False` flags a figure the platform uses until the
official one is published. Rows are seeded by a data migration (`seed_rows`), and edited by
administrators afterwards.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.fields import LimitedTextField


class RuleMissing(ValidationError):
    """No rule row is in force for the date and scope asked about."""


class EffectivePeriodQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None, **scope):
        """Rows in force on `on` (today by default) matching `scope`, latest start first."""
        on = on or timezone.localdate()
        return self.filter(
            Q(effective_from__lte=on),
            Q(effective_to__isnull=True) | Q(effective_to__gte=on),
            **scope,
        ).order_by("-effective_from", "-pk")

    def current(self, on: datetime.date | None = None, **scope):
        """The one row in force (the latest-starting when periods overlap); RuleMissing if none."""
        row = self.in_force(on, **scope).first()
        if row is None:
            raise RuleMissing(
                _("No %(rule)s is in force on %(date)s.")
                % {"rule": self.model._meta.verbose_name, "date": on or timezone.localdate()},
                code="rule_missing",
            )
        return row


class EffectivePeriod(models.Model):
    """Abstract base of every rule table: its effective period, legal basis and confirmation."""

    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    legal_basis = LimitedTextField(_("legal basis"), max_length=2000, blank=True)
    confirmed = models.BooleanField(
        _("official figure confirmed"), default=True,
        help_text=_("Clear this while the figure is provisional, until the official text is "
                    "published."),
    )

    objects = EffectivePeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError(
                {"effective_to": _("The end of the effective period is before its start.")},
                code="invalid_period",
            )

    def in_force_on(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def seed_rows(model_label: str, rows: list[dict], *, keys: tuple[str, ...]):
    """A (forwards, backwards) pair for `migrations.RunPython` that seeds rule rows.

    Each row is identified by its `keys` (with `effective_from`); forwards creates the rows that
    are missing and leaves edited ones alone, backwards deletes the seeded rows it finds."""
    identity = (*keys, "effective_from")

    def forwards(apps, schema_editor):
        model = apps.get_model(model_label)
        for row in rows:
            lookup = {k: row[k] for k in identity}
            model.objects.get_or_create(**lookup, defaults={
                k: v for k, v in row.items() if k not in lookup})

    def backwards(apps, schema_editor):
        model = apps.get_model(model_label)
        for row in rows:
            model.objects.filter(**{k: row[k] for k in identity}).delete()

    return forwards, backwards
