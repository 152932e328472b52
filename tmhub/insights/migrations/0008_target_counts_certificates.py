"""The plan's "500 trained" target counts managers holding a training certificate issued in
the plan's period (training.certificates_held), as the training dashboard counts them against
the same target — not every manager with a class hour of attendance."""

from django.db import migrations


def forwards(apps, schema_editor):
    PlanTarget = apps.get_model("insights", "PlanTarget")
    PlanTarget.objects.filter(metric_key="continuing_education_hours").update(
        metric_key="certificates_held")


def backwards(apps, schema_editor):
    PlanTarget = apps.get_model("insights", "PlanTarget")
    PlanTarget.objects.filter(metric_key="certificates_held").update(
        metric_key="continuing_education_hours")


class Migration(migrations.Migration):
    dependencies = [("insights", "0007_alter_followupaction_text")]
    operations = [migrations.RunPython(forwards, backwards)]
