# Phone numbers are checked and stored in E.164: those that parse are rewritten, the others
# stay as typed for an administrator (the user admin's phone filter lists them).

import tmhub.core.fields
from django.db import migrations

from tmhub.core.fields import normalize_stored_phones


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_alter_user_managers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='phone',
            field=tmhub.core.fields.PhoneField(blank=True, max_length=30, verbose_name='phone'),
        ),
        migrations.RunPython(
            normalize_stored_phones("accounts", "user", "phone"), migrations.RunPython.noop
        ),
    ]
