"""The pilots' fixed vocabularies (SPEC §8). KPI types are data (`KpiType`), not a choice."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeKind(models.TextChoices):
    """The two kinds of municipal programme pilots are chosen from (京科发〔2022〕14号, task 7)."""

    APPLIED_RESEARCH = "applied_research", _("Applied research")
    TECH_INNOVATION = "tech_innovation", _("Technology innovation")


class Stage(models.TextChoices):
    """The stages of a pilot: a manager's report, reviewed twice, closes each one."""

    FEASIBILITY = "feasibility", _("Feasibility study")
    APPLICATION = "application", _("Application and transfer")
    IMPLEMENTATION = "implementation", _("Implementation management")
    CLOSEOUT = "closeout", _("Close-out")
    CLOSED = "closed", pgettext_lazy("pilot stage", "Closed")


REPORTING_STAGES = (Stage.FEASIBILITY, Stage.APPLICATION, Stage.IMPLEMENTATION, Stage.CLOSEOUT)
NEXT_STAGE = {
    Stage.FEASIBILITY: Stage.APPLICATION,
    Stage.APPLICATION: Stage.IMPLEMENTATION,
    Stage.IMPLEMENTATION: Stage.CLOSEOUT,
    Stage.CLOSEOUT: Stage.CLOSED,
}


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("pilot report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("pilot report", "Submitted")
    INSTITUTION_REVIEWED = "institution_reviewed", _("Reviewed by the institution")
    APPROVED = "approved", pgettext_lazy("pilot report", "Approved")


class AssignmentMode(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One to one")
    ONE_TO_MANY = "one_to_many", _("One to many")


class KpiSource(models.TextChoices):
    """Where a KPI type's actual value comes from."""

    CONTRACTS_SIGNED = "pilot_contracts_signed", _("Linked contracts signed (counted)")
    CONTRACT_VALUE = "pilot_contract_value", _("Amount of linked contracts (summed)")
    INCOME = "pilot_contract_income", _("Money received on linked contracts (summed)")
    REPORTED = "", _("Reported with evidence")


class PilotResult(models.TextChoices):
    ATTAINED = "attained", _("Targets attained")
    PARTLY = "partly", _("Targets partly attained")
    NOT_ATTAINED = "not_attained", _("Targets not attained")
