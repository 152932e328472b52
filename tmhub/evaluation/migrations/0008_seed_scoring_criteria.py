"""Seed the scoring criteria of the title panels as provisional data.

SPEC §6 names per-reviewer scoring on weighted criteria but gives no official criteria or
weights: the rows below are an editable template (confirmed=False, shown as "to be confirmed by
市人社局"), from 2021-01-01 like the eligibility rules. Administrators replace them in the admin.
"""

import datetime

from django.db import migrations

from tmhub.core.rules import seed_rows

START = datetime.date(2021, 1, 1)
BASIS = "评审常用结构，待市人社局确认"
BASIS_EN = "A common structure of title reviews, to be confirmed by the Beijing human resources bureau"

ROWS = [
    {"code": "professional_ability", "name_zh": "专业能力与水平",
     "name_en": "Professional ability and level", "weight": 30, "sort_order": 1},
    {"code": "performance", "name_zh": "工作业绩与贡献",
     "name_en": "Work performance and contribution", "weight": 40, "sort_order": 2},
    {"code": "representative_works", "name_zh": "代表作质量",
     "name_en": "Quality of the representative works", "weight": 30, "sort_order": 3},
]
for row in ROWS:
    row.update(effective_from=START, max_score=100, confirmed=False, legal_basis=BASIS,
               legal_basis_en=BASIS_EN)

forwards, backwards = seed_rows("evaluation.ScoringCriterion", ROWS, keys=("code",))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_title_panels")]
    operations = [migrations.RunPython(forwards, backwards)]
