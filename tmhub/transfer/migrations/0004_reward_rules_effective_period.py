"""Reward rules on the core EffectivePeriod base: a `confirmed` flag (existing rows, all from
published texts, stay confirmed) and no percentage defaulted in code. Rows are kept as they are.
"""

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0003_date_ranges"),
    ]

    operations = [
        migrations.AddField(
            model_name="rewardrule",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="Clear this while the figure is provisional, until the official text is published.",
                verbose_name="official figure confirmed",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrule",
            name="default_institution_share",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="default institution share (%)",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrule",
            name="default_office_share",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="default share for the transfer office's capacity building and manager rewards (%)",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrule",
            name="default_team_share",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="default team share (%)",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrule",
            name="is_active",
            field=models.BooleanField(
                default=True,
                help_text="Clear only for a rule entered in error: it then applies on no date. To end a rule that was in force, set its end date.",
                verbose_name="active",
            ),
        ),
        migrations.AlterField(
            model_name="rewardrule",
            name="min_team_share",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("100")),
                ],
                verbose_name="minimum team share (%)",
            ),
        ),
    ]
