"""Names sort by pinyin and are found by any piece of them (issue 12).

`name_pinyin` is the sort key of the full name (tmhub.core.chinese_text.pinyin_key), filled
here for the existing profiles and kept by ManagerProfile.save(). Each profile's search text
gains the tokens of its name (tmhub.talent.search.name_tokens): until now a name was indexed
whole and by its first character only, so 明远 never found 赵明远, and 赵明远 (which jieba
cuts into 赵 / 明远) did not either. Anonymised profiles (empty search text) stay unindexed.
"""

from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    from tmhub.core.chinese_text import pinyin_key
    from tmhub.talent.search import name_tokens

    ManagerProfile = apps.get_model("talent", "ManagerProfile")
    for profile in ManagerProfile.objects.only("id", "full_name", "search_text").iterator():
        profile.name_pinyin = pinyin_key(profile.full_name, person=True)
        if profile.search_text:
            tokens = dict.fromkeys(profile.search_text.split())
            tokens.update(dict.fromkeys(name_tokens(profile.full_name)))
            profile.search_text = " ".join(tokens)
        ManagerProfile.objects.filter(pk=profile.pk).update(
            name_pinyin=profile.name_pinyin, search_text=profile.search_text
        )


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0010_level_from_certificates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="managerprofile",
            options={
                "ordering": ["name_pinyin", "id"],
                "verbose_name": "technology manager",
                "verbose_name_plural": "technology managers",
            },
        ),
        migrations.RemoveIndex(
            model_name="managerprofile",
            name="talent_dir_name",
        ),
        migrations.AddField(
            model_name="managerprofile",
            name="name_pinyin",
            field=models.CharField(
                blank=True, editable=False, max_length=255, verbose_name="name in pinyin (sort key)"
            ),
        ),
        migrations.AddIndex(
            model_name="managerprofile",
            index=models.Index(
                condition=models.Q(("is_listed", True)),
                fields=["name_pinyin", "id"],
                name="talent_dir_pinyin",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
