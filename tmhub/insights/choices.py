"""Choices of the oversight module: kinds of plan item, the plan's departments, report states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TaskKind(models.TextChoices):
    KEY_TASK = "key_task", _("Key task")
    GUARANTEE = "guarantee", _("Guarantee measure")


class PlanDepartment(models.TextChoices):
    """The departments a plan names after each task (京科发〔2022〕14号), labelled for the
    reader's language; `PLAN_NAMES` holds each one's name exactly as the plan writes it."""

    SCIENCE = "science", pgettext_lazy(
        "plan department", "Municipal Science and Technology Commission")
    ZHONGGUANCUN = "zhongguancun", pgettext_lazy(
        "plan department", "Zhongguancun Administrative Committee")
    EDUCATION = "education", pgettext_lazy("plan department", "Municipal Education Commission")
    HUMAN_RESOURCES = "human_resources", pgettext_lazy(
        "plan department", "Municipal Human Resources and Social Security Bureau")
    HEALTH = "health", pgettext_lazy("plan department", "Municipal Health Commission")
    TALENT = "talent", pgettext_lazy("plan department", "Municipal Talent Work Bureau")
    DISTRICTS = "districts", pgettext_lazy("plan department", "District people's governments")


# The names the plan itself uses (the API gives them beside the code; never translated).
PLAN_NAMES = {
    PlanDepartment.SCIENCE: "市科委",
    PlanDepartment.ZHONGGUANCUN: "中关村管委会",
    PlanDepartment.EDUCATION: "市教委",
    PlanDepartment.HUMAN_RESOURCES: "市人力资源社会保障局",
    PlanDepartment.HEALTH: "市卫生健康委",
    PlanDepartment.TALENT: "市人才工作局",
    PlanDepartment.DISTRICTS: "各区人民政府",
}
CODE_BY_PLAN_NAME = {name: code for code, name in PLAN_NAMES.items()}

# The platform's department officers (tmhub.core.choices.Department) acting for a plan
# department; 市科委 and 中关村管委会 (one office) act through the municipal administrators,
# 各区人民政府 through the district officers.
OFFICER_DEPARTMENT = {
    PlanDepartment.EDUCATION: "education",
    PlanDepartment.HUMAN_RESOURCES: "human_resources",
    PlanDepartment.HEALTH: "health",
    PlanDepartment.TALENT: "talent",
}
CITY_DEPARTMENTS = frozenset({PlanDepartment.SCIENCE, PlanDepartment.ZHONGGUANCUN})


class DepartmentRole(models.TextChoices):
    LEAD = "lead", _("Lead department")
    RESPONSIBLE = "responsible", _("Responsible department")


class Aggregation(models.TextChoices):
    """How a target reads a metric over every subject of the registry."""

    SUM = "sum", _("Sum over all subjects")
    COUNT_POSITIVE = "count_positive", _("Number of subjects with a figure above zero")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("task report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("task report", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("task report", "Accepted")
    RETURNED = "returned", pgettext_lazy("task report", "Returned")


class ReportEvent(models.TextChoices):
    """Typed workflow events of a progress report (tmhub.core.history names them)."""

    SUBMITTED = "insights.report.submitted", _("Report submitted")
    ACCEPTED = "insights.report.accepted", _("Report accepted")
    RETURNED = "insights.report.returned", _("Report returned")


class PolicyLevel(models.TextChoices):
    """Who issued a support policy: the city or a district (发挥政策合力)."""

    CITY = "city", pgettext_lazy("policy level", "City")
    DISTRICT = "district", pgettext_lazy("policy level", "District")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("support policy", "Draft")
    PUBLISHED = "published", pgettext_lazy("support policy", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("support policy", "Withdrawn")


class PolicyEvent(models.TextChoices):
    PUBLISHED = "insights.policy.published", _("Policy published")
    WITHDRAWN = "insights.policy.withdrawn", _("Policy withdrawn")
