# Notifications get a kind, an event key (one per event per person, held by a unique
# constraint) and their text in every UI language. Rows written before keep their subject and
# body (shown as they are), become "other messages" and each its own event.

from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Cast, Concat


def keys_for_existing(apps, schema_editor):
    Notification = apps.get_model("core", "Notification")
    Notification.objects.update(
        kind="core.message",
        event_key=Concat(Value("legacy:"), Cast("id", models.CharField(max_length=20))),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_text_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="event_key",
            field=models.CharField(default="", max_length=160, verbose_name="event"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="kind",
            field=models.CharField(blank=True, max_length=60, verbose_name="kind"),
        ),
        migrations.AddField(
            model_name="notification",
            name="texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="texts per language"),
        ),
        migrations.RunPython(keys_for_existing, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "kind"], name="notification_kind"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "kind", "event_key"), name="notification_once_per_event"
            ),
        ),
    ]
