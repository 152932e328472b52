# Text fields get their maximum lengths (shown as the user types); phone numbers are checked
# and stored in E.164: those that parse are rewritten, the others stay for an administrator
# (the admin's phone filter lists them).

import tmhub.core.fields
from django.db import migrations, models

from tmhub.core.fields import normalize_stored_phones


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='institutionregistration',
            name='business_scope',
            field=tmhub.core.fields.LimitedTextField(max_length=2000, verbose_name='business scope'),
        ),
        migrations.AlterField(
            model_name='institutionregistration',
            name='rules_summary',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='summary of the rules'),
        ),
        migrations.AlterField(
            model_name='organization',
            name='contact_phone',
            field=tmhub.core.fields.PhoneField(blank=True, max_length=30, verbose_name='contact phone'),
        ),
        migrations.AlterField(
            model_name='organization',
            name='description',
            field=tmhub.core.fields.LimitedTextField(blank=True, max_length=2000, verbose_name='description'),
        ),
        migrations.RunPython(
            normalize_stored_phones("orgs", "organization", "contact_phone"), migrations.RunPython.noop
        ),
    ]
