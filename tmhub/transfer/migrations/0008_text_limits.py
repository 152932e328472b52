# Text fields get their maximum lengths (shown as the user types); phone numbers are checked
# and stored in E.164: those that parse are rewritten, the others stay for an administrator
# (the admin's phone filter lists them).

import tmhub.core.fields
from django.db import migrations, models

from tmhub.core.fields import normalize_stored_phones


class Migration(migrations.Migration):

    dependencies = [
        ('transfer', '0007_money_reversals'),
    ]

    operations = [
        migrations.AlterField(
            model_name='achievement',
            name='abstract',
            field=tmhub.core.fields.LimitedTextField(max_length=5000, verbose_name='abstract'),
        ),
        migrations.AlterField(
            model_name='achievement',
            name='asking_terms',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='asking terms'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='details',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='details'),
        ),
        migrations.AlterField(
            model_name='contract',
            name='notes',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='demand',
            name='contact_phone',
            field=tmhub.core.fields.PhoneField(blank=True, max_length=30, verbose_name='contact phone'),
        ),
        migrations.AlterField(
            model_name='demand',
            name='expected_outcome',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='expected outcome'),
        ),
        migrations.AlterField(
            model_name='demand',
            name='problem',
            field=tmhub.core.fields.LimitedTextField(max_length=5000, verbose_name='problem'),
        ),
        migrations.AlterField(
            model_name='project',
            name='description',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=5000, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='rewardrule',
            name='legal_basis',
            field=tmhub.core.fields.LimitedTextField(max_length=2000, verbose_name='legal basis'),
        ),
        migrations.AlterField(
            model_name='rewardsplit',
            name='notes',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='notes'),
        ),
        migrations.AlterField(
            model_name='stagegate',
            name='legal_basis',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='legal basis'),
        ),
        migrations.RunPython(
            normalize_stored_phones("transfer", "demand", "contact_phone"), migrations.RunPython.noop
        ),
    ]
