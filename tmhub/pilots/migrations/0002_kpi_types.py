"""Seed the KPI types of issue 15 item 2 (data: the city may add more)."""

from django.db import migrations

KPI_TYPES = [
    # code, Chinese, English, unit zh, unit en, source metric, fen per unit
    ("contracts_signed", "签订技术合同数", "Technology contracts signed", "项", "contracts",
     "pilot_contracts_signed", None),
    ("contract_value", "技术合同成交额", "Technology contract value", "万元", "10,000 yuan",
     "pilot_contract_value", 1_000_000),
    ("licences", "专利许可数", "Licences granted", "项", "licences", "", None),
    ("companies_founded", "创办企业数", "Companies founded", "家", "companies", "", None),
    ("products", "形成新产品数", "New products", "个", "products", "", None),
    ("standards", "制定标准数", "Standards drafted", "项", "standards", "", None),
    ("patents_transferred", "专利转让数", "Patents transferred", "件", "patents", "", None),
    ("income", "成果转化到账收入", "Transfer income received", "万元", "10,000 yuan",
     "pilot_contract_income", 1_000_000),
]


def seed(apps, schema_editor):
    KpiType = apps.get_model("pilots", "KpiType")
    for order, (code, zh, en, unit_zh, unit_en, source, fen) in enumerate(KPI_TYPES, start=1):
        KpiType.objects.update_or_create(code=code, defaults={
            "name_zh": zh, "name_en": en, "unit_zh": unit_zh, "unit_en": unit_en,
            "source": source, "fen_per_unit": fen, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("pilots", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
