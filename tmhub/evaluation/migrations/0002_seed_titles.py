"""Seed the title levels, directions and the eligibility figures of SPEC §6.

Confirmed (a quoted copy of the official text): 《北京市工程技术人才职称评价基本标准条件》 (2021),
the 助理工程师 and 工程师 routes and the 工程师 performance route. Unconfirmed for Beijing (the
national pattern): the 高级工程师 and 正高级工程师 routes, the notice periods, quorum and vote
threshold — seeded with `confirmed=False`, shown as "to be confirmed by 市人社局".

The standard's exact date of effect is not in SPEC; its rows start on 2021-01-01 (the year the
standard was issued). Administrators correct dates and figures in the admin.
"""

import datetime

from django.db import migrations

START = datetime.date(2021, 1, 1)
BEIJING = "《北京市工程技术人才职称评价基本标准条件》（2021年）"
BEIJING_EN = ("Basic standards and conditions for the evaluation of engineering and technical "
              "professional titles in Beijing (2021)")
NATIONAL = ("全国工程技术人才职称评价的通行条件（北京市标准待核实）；正高级工程师设立依据："
            "人社部发〔2019〕16号")
NATIONAL_EN = ("The national pattern for engineering titles (the Beijing figure is to be "
               "confirmed); the professor-level senior engineer exists since 人社部发〔2019〕16号")
PROCEDURE = "常用默认值，待市人社局确认"
PROCEDURE_EN = "A common default, to be confirmed by the Beijing human resources bureau"

LEVELS = [
    ("assistant_engineer", "助理工程师", "Assistant engineer", 1),
    ("engineer", "工程师", "Engineer", 2),
    ("senior_engineer", "高级工程师", "Senior engineer", 3),
    ("professor_engineer", "正高级工程师", "Professor-level senior engineer", 4),
]
DIRECTIONS = [
    ("research", "技术转移转化研究", "Technology transfer research", 1),
    ("operation", "技术转移转化运营服务", "Technology transfer operation services", 2),
]
# level, code, minimum education, years since graduation, title required, years in it, confirmed
ROUTES = [
    ("assistant_engineer", "master_degree", "master", 0, None, 0, True),
    ("assistant_engineer", "bachelor_1y", "bachelor", 1, None, 0, True),
    ("assistant_engineer", "junior_college_3y", "junior_college", 3, None, 0, True),
    ("assistant_engineer", "secondary_vocational_5y", "secondary_vocational", 5, None, 0, True),
    ("engineer", "doctorate_degree", "doctorate", 0, None, 0, True),
    ("engineer", "master_2y", "master", 2, None, 0, True),
    ("engineer", "bachelor_5y", "bachelor", 5, None, 0, True),
    ("engineer", "junior_college_7y", "junior_college", 7, None, 0, True),
    ("engineer", "assistant_engineer_4y", "junior_college", 0, "assistant_engineer", 4, True),
    ("senior_engineer", "doctorate_engineer_2y", "doctorate", 0, "engineer", 2, False),
    ("senior_engineer", "bachelor_engineer_5y", "bachelor", 0, "engineer", 5, False),
    ("professor_engineer", "bachelor_senior_engineer_5y", "bachelor", 0, "senior_engineer", 5,
     False),
]
PERFORMANCE = [
    ("engineer", None, "transfer_service_capacity",
     "从事科技成果转化服务工作，具备一定的成果转化推广能力",
     "Works in the transfer of scientific and technological achievements and has a certain "
     "ability to transfer and promote achievements", True),
]


def seed(apps, schema_editor):
    TitleLevel = apps.get_model("evaluation", "TitleLevel")
    TitleDirection = apps.get_model("evaluation", "TitleDirection")
    EligibilityRule = apps.get_model("evaluation", "EligibilityRule")
    PerformanceCondition = apps.get_model("evaluation", "PerformanceCondition")
    TitleProcedureRule = apps.get_model("evaluation", "TitleProcedureRule")
    levels = {}
    for code, zh, en, rank in LEVELS:
        levels[code], _ = TitleLevel.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "rank": rank})
    directions = {}
    for code, zh, en, order in DIRECTIONS:
        directions[code], _ = TitleDirection.objects.get_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "sort_order": order})
    for level, code, education, years, title, title_years, confirmed in ROUTES:
        EligibilityRule.objects.get_or_create(
            level=levels[level], code=code, effective_from=START, defaults={
                "min_education": education, "min_years_since_education": years,
                "required_title": levels[title] if title else None,
                "min_years_in_title": title_years, "confirmed": confirmed,
                "legal_basis": BEIJING if confirmed else NATIONAL,
                "legal_basis_en": BEIJING_EN if confirmed else NATIONAL_EN,
            })
    for level, direction, code, zh, en, confirmed in PERFORMANCE:
        PerformanceCondition.objects.get_or_create(
            level=levels[level], code=code, effective_from=START, defaults={
                "direction": directions[direction] if direction else None,
                "text_zh": zh, "text_en": en, "confirmed": confirmed,
                "legal_basis": BEIJING, "legal_basis_en": BEIJING_EN,
            })
    if not TitleProcedureRule.objects.exists():
        TitleProcedureRule.objects.create(
            employer_notice_working_days=5, result_notice_working_days=5,
            quorum_numerator=2, quorum_denominator=3,
            threshold_numerator=2, threshold_denominator=3,
            effective_from=START, confirmed=False,
            legal_basis=PROCEDURE, legal_basis_en=PROCEDURE_EN,
        )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
