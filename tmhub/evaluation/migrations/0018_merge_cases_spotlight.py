"""The case library (0014) and the spotlight with nominations (0015) were built side by side
from 0013; neither touches the other's tables."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0014_cases"),
        ("evaluation", "0015_spotlight_nominations"),
    ]
    operations = []
