# Supporting documents of a manager registration (tmhub.talent.documents).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import tmhub.talent.documents


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("talent", "0008_text_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name='RegistrationDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('degree', 'Degree or diploma'), ('employment', 'Proof of employment'), ('certificate', 'Certificate'), ('other', 'Other document')], max_length=12, verbose_name='kind of document')),
                ('file', models.FileField(max_length=200, upload_to=tmhub.talent.documents.document_path, verbose_name='file')),
                ('original_name', models.CharField(max_length=200, verbose_name='file name')),
                ('size', models.PositiveBigIntegerField(verbose_name='size (bytes)')),
                ('content_type', models.CharField(blank=True, max_length=100, verbose_name='content type')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('registration', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='talent.managerregistration', verbose_name='manager registration')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'supporting document',
                'verbose_name_plural': 'supporting documents',
                'ordering': ['kind', 'uploaded_at', 'id'],
            },
        ),
    ]
