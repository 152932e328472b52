"""Receipts and costs become append-only: reversing entries (`reverses`, reason, who, when)
and the over-amount flag. Existing rows stay as they are; nothing is deleted.

Data: `recorded_at` of existing rows is taken from their creation audit row (left empty when
there is none); receipts that took a renminbi contract's total received above its amount
before the check existed are flagged `unconfirmed`, for the institution to review."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import Q


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ObjectChange = apps.get_model("core", "ObjectChange")
    Contract = apps.get_model("transfer", "Contract")
    for name in ("receipt", "cost"):
        model = apps.get_model("transfer", name)
        content_type = ContentType.objects.filter(app_label="transfer", model=name).first()
        if content_type is None:
            continue
        created = dict(
            ObjectChange.objects.filter(content_type=content_type, action="create")
            .order_by("time")
            .values_list("object_id", "time")
        )
        for row in model.objects.filter(recorded_at__isnull=True).iterator():
            if str(row.pk) in created:
                row.recorded_at = created[str(row.pk)]
                row.save(update_fields=["recorded_at"])
    Receipt = apps.get_model("transfer", "Receipt")
    for contract in Contract.objects.filter(currency="CNY").iterator():
        total = 0
        for receipt in Receipt.objects.filter(contract=contract).order_by("received_on", "id"):
            total += receipt.amount_fen
            if total > contract.amount_fen:
                receipt.over_amount = "unconfirmed"
                receipt.save(update_fields=["over_amount"])


def backwards(apps, schema_editor):
    pass  # the fields go with the schema step


def recorded_at_field(default):
    return models.DateTimeField(
        default=default, editable=False, null=True, verbose_name="recorded at"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("transfer", "0006_seed_stage_gates"),
    ]

    operations = [
        migrations.AddField("cost", "recorded_at", recorded_at_field(None)),
        migrations.AddField("receipt", "recorded_at", recorded_at_field(None)),
        migrations.AddField(
            "cost", "reason", models.CharField(blank=True, max_length=500, verbose_name="reason")
        ),
        migrations.AddField(
            "receipt",
            "reason",
            models.CharField(blank=True, max_length=500, verbose_name="reason"),
        ),
        migrations.AddField(
            "cost",
            "reverses",
            models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversal",
                to="transfer.cost",
                verbose_name="reverses",
            ),
        ),
        migrations.AddField(
            "receipt",
            "reverses",
            models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reversal",
                to="transfer.receipt",
                verbose_name="reverses",
            ),
        ),
        migrations.AddField(
            "receipt",
            "over_amount",
            models.CharField(
                blank=True,
                choices=[
                    ("overpayment", "Overpayment (to be refunded or credited)"),
                    ("amendment", "Contract amendment (the amount is being raised)"),
                    ("unconfirmed", "Recorded before the check: not confirmed, to be reviewed"),
                ],
                max_length=20,
                verbose_name="above the contract amount",
            ),
        ),
        migrations.AlterField(
            "cost", "amount_fen", models.BigIntegerField(verbose_name="amount (fen)")
        ),
        migrations.AlterField(
            "receipt", "amount_fen", models.BigIntegerField(verbose_name="amount (fen)")
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField("cost", "recorded_at", recorded_at_field(django.utils.timezone.now)),
        migrations.AlterField(
            "receipt", "recorded_at", recorded_at_field(django.utils.timezone.now)
        ),
        migrations.AddConstraint(
            "cost",
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount_fen__gt=0)
                | Q(reverses__isnull=False, amount_fen__lt=0),
                name="transfer_cost_sign",
            ),
        ),
        migrations.AddConstraint(
            "receipt",
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount_fen__gt=0)
                | Q(reverses__isnull=False, amount_fen__lt=0),
                name="transfer_receipt_sign",
            ),
        ),
        migrations.AddConstraint(
            "receipt",
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(over_amount=""),
                name="transfer_receipt_reversal_not_flagged",
            ),
        ),
    ]
