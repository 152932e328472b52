"""FilingPolicy becomes a rule table on core's EffectivePeriod: an end date, a confirmation flag,
and no figures written in code (the due date and grace period come from the rows).

Existing rows are kept as they are. The row seeded by 0002 is flagged as provisional: its
legal basis requires a yearly report but names neither the due date nor the grace period, so
31 March and 90 days are the platform's figures until the city confirms them (an administrator
who edited the row keeps their figures, unflagged)."""

import datetime

from django.db import migrations, models

SEEDED = {"effective_from": datetime.date(2022, 1, 1), "due_month": 3, "due_day": 31,
          "grace_days": 90}


def flag_seeded_row(apps, schema_editor):
    apps.get_model("talent", "FilingPolicy").objects.filter(**SEEDED).update(confirmed=False)


def unflag_seeded_row(apps, schema_editor):
    apps.get_model("talent", "FilingPolicy").objects.filter(**SEEDED).update(confirmed=True)


class Migration(migrations.Migration):

    dependencies = [
        ("talent", "0006_search_vector_strip"),
    ]

    operations = [
        migrations.AddField(
            model_name="filingpolicy",
            name="confirmed",
            field=models.BooleanField(default=True, help_text="Clear this while the figure is provisional, until the official text is published.", verbose_name="official figure confirmed"),
        ),
        migrations.AddField(
            model_name="filingpolicy",
            name="effective_to",
            field=models.DateField(blank=True, null=True, verbose_name="effective until"),
        ),
        migrations.AlterField(
            model_name="filingpolicy",
            name="due_day",
            field=models.PositiveSmallIntegerField(verbose_name="due day"),
        ),
        migrations.AlterField(
            model_name="filingpolicy",
            name="due_month",
            field=models.PositiveSmallIntegerField(verbose_name="due month (following year)"),
        ),
        migrations.AlterField(
            model_name="filingpolicy",
            name="grace_days",
            field=models.PositiveSmallIntegerField(verbose_name="grace period (days) before suspension"),
        ),
        migrations.RunPython(flag_seeded_row, unflag_seeded_row),
    ]
