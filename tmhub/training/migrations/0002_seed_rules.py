"""Seed the rules in force: the national syllabus's class hours per level, the plan's 500
target and the annual continuing-education hours. Administrators edit them in the admin."""

import datetime
from decimal import Decimal

from django.db import migrations

SYLLABUS = (
    "《国家技术转移专业人员能力等级培训大纲（试行）》（国科火字〔2020〕69号）；"
    "《北京市技术经理人队伍建设工作方案（2022—2025年）》（京科发〔2022〕14号）"
)
PLAN = "《北京市技术经理人队伍建设工作方案（2022—2025年）》（京科发〔2022〕14号）"

# level: (total, {module: minimum})
RULES = {
    "junior": ("48", {"general": "12", "policy": "8", "practice": "20", "advanced": "0"}),
    "intermediate": ("36", {"general": "4", "policy": "6", "practice": "16", "advanced": "6"}),
    "senior": ("36", {"general": "0", "policy": "6", "practice": "12", "advanced": "12"}),
}


def seed(apps, schema_editor):
    CompletionRule = apps.get_model("training", "CompletionRule")
    CompletionRuleModule = apps.get_model("training", "CompletionRuleModule")
    PlanTarget = apps.get_model("training", "PlanTarget")
    ContinuingEducationRule = apps.get_model("training", "ContinuingEducationRule")
    start = datetime.date(2020, 3, 1)
    for level, (total, modules) in RULES.items():
        if CompletionRule.objects.filter(level=level).exists():
            continue
        rule = CompletionRule.objects.create(
            level=level, required_total_hours=Decimal(total), effective_from=start,
            legal_basis=SYLLABUS, requires_assessments_passed=True,
        )
        for module, hours in modules.items():
            CompletionRuleModule.objects.create(rule=rule, module=module,
                                                min_hours=Decimal(hours))
    if not PlanTarget.objects.filter(code="trained-managers").exists():
        PlanTarget.objects.create(
            code="trained-managers", title="培养技术经理人 500 名", target_count=500,
            baseline_date=datetime.date(2022, 1, 1), deadline=datetime.date(2025, 12, 31),
            effective_from=datetime.date(2022, 1, 1), legal_basis=PLAN,
        )
    if not ContinuingEducationRule.objects.exists():
        ContinuingEducationRule.objects.create(
            annual_hours=Decimal("24"), effective_from=datetime.date(2022, 1, 1),
            legal_basis=PLAN + "：入库技术经理人每年参加继续教育不少于24学时。",
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
