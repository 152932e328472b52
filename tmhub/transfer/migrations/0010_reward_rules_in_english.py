"""Reward rules in two languages: an English name and an English text of the legal basis.

The seeded rules get both (translated from the Chinese, which stays the authoritative text);
rules seeded with a one-line English summary appended to the Chinese text get their Chinese
back without it. Rules an administrator has edited are left as they are.
"""

import importlib

from django.db import migrations, models

import tmhub.core.fields

SEED = importlib.import_module("tmhub.transfer.migrations.0002_seed_reward_rules")
FIRST_SEEDED = {
    SEED.NATIONAL_LAW_AS_FIRST_SEEDED: SEED.NATIONAL_LAW,
    SEED.BEIJING_REGULATION_AS_FIRST_SEEDED: SEED.BEIJING_REGULATION,
}


def translate(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    for rule in RewardRule.objects.filter(name__in=SEED.NAMES_EN):
        chinese = FIRST_SEEDED.get(rule.legal_basis, rule.legal_basis)
        if chinese not in SEED.ENGLISH:
            continue  # edited since it was seeded: the administrator's text stays
        rule.legal_basis = chinese
        rule.legal_basis_en = rule.legal_basis_en or SEED.ENGLISH[chinese]
        rule.name_en = rule.name_en or SEED.NAMES_EN[rule.name]
        rule.save(update_fields=["legal_basis", "legal_basis_en", "name_en"])


def untranslate(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    first_seeded = {chinese: mixed for mixed, chinese in FIRST_SEEDED.items()}
    for rule in RewardRule.objects.filter(legal_basis__in=first_seeded):
        rule.legal_basis = first_seeded[rule.legal_basis]
        rule.save(update_fields=["legal_basis"])


class Migration(migrations.Migration):
    dependencies = [
        ("transfer", "0009_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="rewardrule",
            name="legal_basis_en",
            field=tmhub.core.fields.LimitedTextField(
                blank=True, max_length=2000, verbose_name="legal basis (English)"
            ),
        ),
        migrations.AddField(
            model_name="rewardrule",
            name="name_en",
            field=models.CharField(blank=True, max_length=200, verbose_name="English name"),
        ),
        migrations.RunPython(translate, untranslate),
    ]
