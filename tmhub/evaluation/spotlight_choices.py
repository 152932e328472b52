"""Choices of the spotlight of outstanding managers (优秀技术经理人) and of the
talent-programme nominations (issue 17 item 6; plan task 3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SpotlightStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class SpotlightEvent(models.TextChoices):
    """Typed workflow events of the spotlight and the nominations (dotted, as every app's)."""

    ENTRY_SUBMITTED = "evaluation.spotlight.submitted", _("Spotlight entry submitted for approval")
    ENTRY_RETURNED = "evaluation.spotlight.returned", _("Spotlight entry returned to its drafter")
    ENTRY_PUBLISHED = "evaluation.spotlight.published", _("Spotlight entry approved and published")
    ENTRY_WITHDRAWN = "evaluation.spotlight.withdrawn", _("Spotlight entry withdrawn")
    CONSENT_RECORDED = "evaluation.spotlight.consent_recorded", _(
        "Manager's consent to the spotlight recorded")
    NOMINATION_SUBMITTED = "evaluation.nomination.submitted", _("Nomination submitted")
    NOMINATION_REVIEWING = "evaluation.nomination.under_review", _("Nomination taken up for review")
    NOMINATION_RETURNED = "evaluation.nomination.returned", _("Nomination returned for changes")
    NOMINATION_ACCEPTED = "evaluation.nomination.accepted", _("Nomination accepted")
    NOMINATION_DECLINED = "evaluation.nomination.declined", _("Nomination declined")
