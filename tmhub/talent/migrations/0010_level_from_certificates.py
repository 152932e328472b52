"""Training level from certificates (issue 11, item 4).

The level on a profile becomes the verified one: the highest level of a valid platform
certificate (or, from now on, a verified external certificate). A level typed into a profile
that no certificate backs is kept as `claimed_training_level`, an unverified claim shown only
to the manager and administrators. Nothing is deleted: the claim keeps what was typed.
"""

import django.db.models.deletion
import django.utils.timezone
import tmhub.talent.credentials
from django.conf import settings
from django.db import migrations, models


RANK = {"junior": 1, "intermediate": 2, "senior": 3}


def claims_without_certificates(apps, schema_editor):
    ManagerProfile = apps.get_model("talent", "ManagerProfile")
    Certificate = apps.get_model("training", "Certificate")
    best: dict[int, str] = {}
    for trainee_id, level in Certificate.objects.filter(status="valid").values_list(
            "trainee_id", "level"):
        if RANK.get(level, 0) > RANK.get(best.get(trainee_id, ""), 0):
            best[trainee_id] = level
    for profile in ManagerProfile.objects.only("pk", "user_id", "training_level").iterator():
        typed, verified = profile.training_level or "", best.get(profile.user_id, "")
        claim = typed if RANK.get(typed, 0) > RANK.get(verified, 0) else ""
        if (typed, "") != (verified, claim):
            ManagerProfile.objects.filter(pk=profile.pk).update(
                training_level=verified, claimed_training_level=claim)


def claims_back(apps, schema_editor):
    ManagerProfile = apps.get_model("talent", "ManagerProfile")
    for profile in ManagerProfile.objects.exclude(claimed_training_level=""):
        ManagerProfile.objects.filter(pk=profile.pk).update(
            training_level=profile.claimed_training_level)


class Migration(migrations.Migration):

    dependencies = [
        ('talent', '0009_registration_documents'),
        ('training', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='managerprofile',
            name='claimed_training_level',
            field=models.CharField(blank=True, choices=[('junior', 'Junior technology broker'), ('intermediate', 'Intermediate technology broker'), ('senior', 'Senior technology manager')], editable=False, max_length=12, verbose_name='claimed training level (unverified)'),
        ),
        migrations.AlterField(
            model_name='managerprofile',
            name='training_level',
            field=models.CharField(blank=True, choices=[('junior', 'Junior technology broker'), ('intermediate', 'Intermediate technology broker'), ('senior', 'Senior technology manager')], db_index=True, editable=False, max_length=12, verbose_name='training level'),
        ),
        migrations.CreateModel(
            name='ExternalCertificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('issuer', models.CharField(max_length=200, verbose_name='issuing organisation')),
                ('level', models.CharField(choices=[('junior', 'Junior technology broker'), ('intermediate', 'Intermediate technology broker'), ('senior', 'Senior technology manager')], max_length=12, verbose_name='level')),
                ('number', models.CharField(max_length=60, verbose_name='certificate number')),
                ('issued_on', models.DateField(verbose_name='date of issue')),
                ('evidence', models.FileField(max_length=200, upload_to=tmhub.talent.credentials.evidence_path, verbose_name='evidence (scan of the certificate)')),
                ('status', models.CharField(choices=[('pending', 'Waiting for verification'), ('verified', 'Verified'), ('rejected', 'Rejected')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='verified at')),
                ('decision_note', models.TextField(blank=True, max_length=2000, verbose_name='reason of the decision')),
                ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='external_certificates', to='talent.managerprofile', verbose_name='manager')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='verified by')),
            ],
            options={
                'verbose_name': 'external training certificate',
                'verbose_name_plural': 'external training certificates',
                'ordering': ['-issued_on', '-id'],
                'constraints': [models.UniqueConstraint(fields=('issuer', 'number'), name='talent_external_cert_number')],
            },
        ),
        migrations.RunPython(claims_without_certificates, claims_back),
    ]
