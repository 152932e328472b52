"""Choices of the case library (典型案例, issue 17 item 5): the case's status, the figures a
case may withhold from the public, and the typed workflow events."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for the institution's review")
    INSTITUTION_REVIEWED = "inst_reviewed", _("Reviewed by the institution")
    CITY_REVIEWED = "city_reviewed", _("Reviewed by the city")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    UNPUBLISHED = "unpublished", _("Unpublished")


# The figures a case may keep from the public, each by its own flag on the case.
class WithheldFigure(models.TextChoices):
    CONTRACT_VALUE = "contract_value", _("Contract value")
    INCOME = "income", _("Income received")
    REWARDS = "rewards", _("Reward split")
    FINANCING = "financing", _("Financing amount")


class CaseEvent(models.TextChoices):
    """Typed workflow events of the case library (dotted, as every app's events)."""

    SUBMITTED = "evaluation.case.submitted", _("Case submitted for review")
    INSTITUTION_REVIEWED = "evaluation.case.institution_reviewed", _(
        "Case reviewed by the owner institution")
    CITY_REVIEWED = "evaluation.case.city_reviewed", _("Case reviewed by the city")
    PUBLISHED = "evaluation.case.published", _("Case published")
    RETURNED = "evaluation.case.returned", _("Case returned for changes")
    WITHDRAWN = "evaluation.case.withdrawn", _("Case withdrawn")
    UNPUBLISHED = "evaluation.case.unpublished", _("Case unpublished")
    REVISED = "evaluation.case.revised", _("Case reopened as a draft")
    FACTS_REFRESHED = "evaluation.case.facts_refreshed", _(
        "Case figures read again from the records")
    CONSENT_RECORDED = "evaluation.case.consent_recorded", _("Party's consent recorded")
