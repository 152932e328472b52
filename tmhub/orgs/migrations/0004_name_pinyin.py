"""Organisations sort by the pinyin of their names (issue 12): `name_pinyin`, the sort key
(tmhub.core.chinese_text.pinyin_key), filled here and kept by Organization.save()."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from tmhub.core.chinese_text import pinyin_key

    Organization = apps.get_model("orgs", "Organization")
    for organization in Organization.objects.only("id", "name").iterator():
        Organization.objects.filter(pk=organization.pk).update(
            name_pinyin=pinyin_key(organization.name)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_identity_change_requests"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="organization",
            options={
                "ordering": ["name_pinyin", "name"],
                "verbose_name": "organisation",
                "verbose_name_plural": "organisations",
            },
        ),
        migrations.AddField(
            model_name="organization",
            name="name_pinyin",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=255,
                verbose_name="name in pinyin (sort key)",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
