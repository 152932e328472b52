from django.db import migrations


def seed(apps, schema_editor):
    from tmhub.network.service_types import SERVICE_TYPES

    ServiceType = apps.get_model("network", "ServiceType")
    for order, (code, category, zh, en) in enumerate(SERVICE_TYPES):
        ServiceType.objects.update_or_create(code=code, defaults={
            "category": category, "name_zh": zh, "name_en": en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
