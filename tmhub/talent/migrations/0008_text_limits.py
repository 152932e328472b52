# Text fields get their maximum lengths (shown as the user types); phone numbers are checked
# and stored in E.164: those that parse are rewritten, the others stay for an administrator.

import tmhub.core.fields
from django.db import migrations, models

from tmhub.core.fields import normalize_stored_phones


class Migration(migrations.Migration):

    dependencies = [
        ('talent', '0007_filing_policy_effective_period'),
    ]

    operations = [
        migrations.AlterField(
            model_name='annualfiling',
            name='corrections_note',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='explanation of corrections'),
        ),
        migrations.AlterField(
            model_name='annualfiling',
            name='summary',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=5000, verbose_name="summary of the year's work"),
        ),
        migrations.AlterField(
            model_name='competence',
            name='description',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='filingpolicy',
            name='legal_basis',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='legal basis'),
        ),
        migrations.AlterField(
            model_name='managerprofile',
            name='bio',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='public bio'),
        ),
        migrations.AlterField(
            model_name='managerprofile',
            name='phone',
            field=tmhub.core.fields.PhoneField(blank=True, max_length=30, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='managerregistration',
            name='last_reason',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='last reason'),
        ),
        migrations.AlterField(
            model_name='managerregistration',
            name='statement',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='statement of the applicant'),
        ),
        migrations.RunPython(
            normalize_stored_phones("talent", "managerprofile", "phone"),
            migrations.RunPython.noop,
        ),
    ]
