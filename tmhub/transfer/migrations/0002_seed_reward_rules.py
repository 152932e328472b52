"""Seed the reward rules: Beijing's city default and the national statutory fallback.

Percentages are policy, so they live here as data (editable in the admin afterwards), each
with its legal basis. A rule change never alters an approved split (splits keep a snapshot).
"""

import datetime
from decimal import Decimal as D

from django.db import migrations

NATIONAL_LAW = (
    "《中华人民共和国促进科技成果转化法》（2015年修订）第四十五条：科技成果完成单位未规定、"
    "也未与科技人员约定奖励和报酬的方式和数额的，按照下列标准对完成、转化职务科技成果做出"
    "重要贡献的人员给予奖励和报酬：（一）将该项职务科技成果转让、许可给他人实施的，从该项"
    "科技成果转让净收入或者许可净收入中提取不低于百分之五十的比例；（二）利用该项职务科技"
    "成果作价投资的，从该项科技成果形成的股份或者出资比例中提取不低于百分之五十的比例；"
    "（三）将该项职务科技成果自行实施或者与他人合作实施的，应当在实施转化成功投产后连续"
    "三至五年，每年从实施该项科技成果的营业利润中提取不低于百分之五的比例。"
)
NATIONAL_LAW_EN = (
    "Law of the People's Republic of China on Promoting the Transformation of Scientific and "
    "Technological Achievements (amended 2015), Article 45: where the entity that completed a "
    "scientific or technological achievement has neither laid down nor agreed with its "
    "scientific and technological personnel the form and amount of rewards and remuneration, "
    "it rewards and remunerates the persons who made an important contribution to completing "
    "and transforming a service achievement according to the following standards: (1) where "
    "the service achievement is assigned or licensed to others for implementation, no less "
    "than fifty percent of the net income from the assignment or licence; (2) where the "
    "service achievement is used as a capital contribution, no less than fifty percent of the "
    "shares or capital contribution formed by it; (3) where the entity implements the service "
    "achievement itself or in cooperation with others, no less than five percent of the "
    "operating profit from implementing it, every year for three to five consecutive years "
    "after the transformation has succeeded and production has begun."
)
BEIJING_REGULATION = (
    "《北京市促进科技成果转化条例》（2019年11月27日北京市第十五届人民代表大会常务委员会"
    "第十六次会议通过，自2020年1月1日起施行）：政府设立的研发机构、高等院校可以从技术转让"
    "或者许可所取得的净收入中提取不低于百分之七十的比例用于奖励；利用职务科技成果作价投资"
    "的，从该项科技成果形成的股份或者出资比例中提取不低于百分之七十的比例用于奖励。奖励和"
    "报酬支出计入当年本单位工资总额，但不受当年本单位工资总额限制、不纳入本单位工资总额"
    "基数。"
)
BEIJING_REGULATION_EN = (
    "Beijing Municipal Regulations on Promoting the Transformation of Scientific and "
    "Technological Achievements (adopted at the 16th session of the Standing Committee of the "
    "15th Beijing Municipal People's Congress on 27 November 2019, in force from 1 January "
    "2020): research and development institutions set up by the government and institutions "
    "of higher education may set aside no less than seventy percent of the net income from "
    "assigning or licensing a technology for rewards; where a service achievement is used as a "
    "capital contribution, no less than seventy percent of the shares or capital contribution "
    "formed by it is set aside for rewards. Reward and remuneration expenditure is counted in "
    "the entity's total wage bill of the year, but is not limited by that year's total wage "
    "bill and is not included in the entity's wage bill base."
)
# The texts as first seeded: Chinese with a one-line English summary appended
# (0010_reward_rules_in_english separates them in databases seeded that way).
NATIONAL_LAW_AS_FIRST_SEEDED = NATIONAL_LAW + (
    "Law of the PRC on Promoting the Transformation of Scientific and Technological "
    "Achievements (2015), Article 45."
)
BEIJING_REGULATION_AS_FIRST_SEEDED = BEIJING_REGULATION + (
    "Beijing Municipal Regulations on Promoting the Transformation of Scientific and "
    "Technological Achievements (2019): at least 70%; rewards are outside the performance-pay "
    "cap."
)
ENGLISH = {NATIONAL_LAW: NATIONAL_LAW_EN, BEIJING_REGULATION: BEIJING_REGULATION_EN}
NAMES_EN = {
    "北京市：技术转让净收入奖励": "Beijing: reward from the net income of an assignment",
    "北京市：技术许可净收入奖励": "Beijing: reward from the net income of a licence",
    "北京市：作价投资股权奖励": "Beijing: equity reward for a capital contribution",
    "国家兜底：转让净收入奖励": "National fallback: reward from the net income of an assignment",
    "国家兜底：许可净收入奖励": "National fallback: reward from the net income of a licence",
    "国家兜底：作价投资股权奖励": "National fallback: equity reward for a capital contribution",
    "国家兜底：自行实施营业利润奖励": (
        "National fallback: operating-profit reward for implementation by the institution"
    ),
    "国家兜底：合作实施营业利润奖励": (
        "National fallback: operating-profit reward for implementation in cooperation"
    ),
}

NATIONAL_FROM = datetime.date(2015, 10, 1)
BEIJING_FROM = datetime.date(2020, 1, 1)

# name, level, mode, basis, minimum, team, office, institution, years, basis text, from
RULES = [
    ("北京市：技术转让净收入奖励", 2, "assignment", "net_income", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("北京市：技术许可净收入奖励", 2, "licence", "net_income", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("北京市：作价投资股权奖励", 2, "equity", "equity", D(70), D(70), D(10), D(20),
     None, BEIJING_REGULATION, BEIJING_FROM),
    ("国家兜底：转让净收入奖励", 1, "assignment", "net_income", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：许可净收入奖励", 1, "licence", "net_income", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：作价投资股权奖励", 1, "equity", "equity", D(50), D(50), D(10), D(40),
     None, NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：自行实施营业利润奖励", 1, "self", "operating_profit", D(5), D(5), D(0), D(95),
     (3, 5), NATIONAL_LAW, NATIONAL_FROM),
    ("国家兜底：合作实施营业利润奖励", 1, "cooperation", "operating_profit", D(5), D(5), D(0),
     D(95), (3, 5), NATIONAL_LAW, NATIONAL_FROM),
]


def seed(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    # The English fields exist from 0010 on: this seed also runs on today's models when tests
    # put the reference data back (tmhub.core.reference_data).
    fields = {f.name for f in RewardRule._meta.get_fields()}
    for name, level, mode, basis, minimum, team, office, inst, years, text, start in RULES:
        english = (
            {"name_en": NAMES_EN[name], "legal_basis_en": ENGLISH[text]}
            if "legal_basis_en" in fields
            else {}
        )
        RewardRule.objects.get_or_create(
            name=name,
            defaults={
                **english,
                "level": level, "transfer_mode": mode, "basis": basis,
                "min_team_share": minimum, "default_team_share": team,
                "default_office_share": office, "default_institution_share": inst,
                "min_years": years[0] if years else None,
                "max_years": years[1] if years else None,
                "legal_basis": text, "effective_from": start,
            },
        )


def unseed(apps, schema_editor):
    RewardRule = apps.get_model("transfer", "RewardRule")
    RewardRule.objects.filter(name__in=[r[0] for r in RULES], splits__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("transfer", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
