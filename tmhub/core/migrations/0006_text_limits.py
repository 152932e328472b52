# The legal basis of rules (EffectivePeriod) is limited to 2000 characters, checked by the model.

import tmhub.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_personal_data_access'),
    ]

    operations = [
        migrations.AlterField(
            model_name='foureyesrule',
            name='legal_basis',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='legal basis'),
        ),
    ]
