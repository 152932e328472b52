"""Seed 京科发〔2022〕14号 with its target, 8 key tasks and 3 guarantee measures
(tmhub/insights/plan_data.py); `seed` runs again through tmhub.core.reference_data."""

import datetime

from django.db import migrations


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def seed(apps, schema_editor):
    from tmhub.insights.choices import CODE_BY_PLAN_NAME
    from tmhub.insights.plan_data import PLAN, TARGETS, TASKS

    Plan = apps.get_model("insights", "Plan")
    if Plan.objects.filter(number=PLAN["number"]).exists():
        return
    PlanTarget = apps.get_model("insights", "PlanTarget")
    PlanTask = apps.get_model("insights", "PlanTask")
    TaskDepartment = apps.get_model("insights", "TaskDepartment")
    plan = Plan.objects.create(
        number=PLAN["number"], title=PLAN["title"], title_en=PLAN["title_en"],
        issuers=PLAN["issuers"], issued_on=_day(PLAN["issued_on"]), start=_day(PLAN["start"]),
        end=_day(PLAN["end"]))
    for order, target in enumerate(TARGETS):
        PlanTarget.objects.create(plan=plan, order=order, **{**target,
                                                            "due_on": _day(target["due_on"])})
    for item in TASKS:
        task = PlanTask.objects.create(plan=plan, kind=item["kind"], number=item["number"],
                                       title=item["title"], title_en=item["title_en"],
                                       text=item["text"])
        for position, (name, role) in enumerate(item["departments"]):
            TaskDepartment.objects.create(task=task, department=CODE_BY_PLAN_NAME[name],
                                          role=role, position=position)


def unseed(apps, schema_editor):
    from tmhub.insights.plan_data import PLAN

    apps.get_model("insights", "Plan").objects.filter(number=PLAN["number"]).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
