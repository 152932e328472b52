"""Choices of social evaluation (社会化评价, SPEC §6, issue 17): indicator systems, rating
rounds, ratings and objections to them. The title round's choices are in choices.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """Who an indicator system rates: technology managers (users) or institutions
    (organisations); the metrics registry's subject of the same name."""

    MANAGER = "manager", _("Technology managers")
    INSTITUTION = "institution", _("Institutions")


class SystemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (frozen)")


class IndicatorKind(models.TextChoices):
    DIMENSION = "dimension", _("Dimension")
    COMPUTED = "computed", _("Computed from platform records")
    SCORED = "scored", _("Scored by reviewers")


class CurveKind(models.TextChoices):
    THRESHOLDS = "thresholds", _("Thresholds")
    LINEAR = "linear", _("Linear band")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for review scores")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed, under review")
    AWAITING_APPROVAL = "approval", _("Awaiting the city's approval")
    PUBLISHED = "published", _("Published")
    SUSPENDED = "suspended", _("Suspended by the city")


class RoundRunner(models.TextChoices):
    """Who runs a round (issue 17 item 6a); the policies follow from it."""

    CITY = "city", _("The city")
    ORGANISATION = "organisation", _("An accredited evaluation organisation")
    INTERNAL = "internal", _("An institution, internally for its own staff")


class RoundPurpose(models.TextChoices):
    """What an institution's internal round is for."""

    APPOINTMENT = "appointment", _("Appointment")
    PERFORMANCE_REVIEW = "performance_review", _("Performance review")


class RatingObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting resolution")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Not upheld")


class ItemSource(models.TextChoices):
    """Where a leaf's raw value came from."""

    METRIC = "metric", _("Platform records")
    REVIEWERS = "reviewers", _("Reviewer scores")
    NOT_SCORED = "not_scored", _("Not scored")
    DIMENSION = "dimension", _("Weighted sum of its indicators")


class RatingEvent(models.TextChoices):
    """Typed workflow events of social evaluation (dotted, as every app's events)."""

    SYSTEM_PUBLISHED = "evaluation.indicator_system.published", _("Indicator system published")
    ROUND_OPENED = "evaluation.rating_round.opened", _("Rating round opened")
    ROUND_COMPUTING = "evaluation.rating_round.computing", _("Rating round computation started")
    ROUND_COMPUTED = "evaluation.rating_round.computed", _("Rating round computed")
    ROUND_FAILED = "evaluation.rating_round.failed", _("Rating round computation failed")
    ROUND_PUBLISHED = "evaluation.rating_round.published", _("Rating round published")
    ROUND_SUBMITTED = "evaluation.rating_round.submitted", _(
        "Rating round submitted for the city's approval")
    ROUND_RETURNED = "evaluation.rating_round.returned", _(
        "Rating round returned by the city")
    ROUND_SUSPENDED = "evaluation.rating_round.suspended", _("Rating round suspended")
    ROUND_RESUMED = "evaluation.rating_round.resumed", _("Rating round resumed")
    ACCREDITATION_GRANTED = "evaluation.accreditation.granted", _(
        "Evaluation organisation accredited")
    ACCREDITATION_REVOKED = "evaluation.accreditation.revoked", _(
        "Accreditation of an evaluation organisation revoked")
    REVIEWERS_ASSIGNED = "evaluation.rating_round.reviewers_assigned", _(
        "Reviewers assigned to a scored indicator")
    OBJECTION_FILED = "evaluation.rating.objection_filed", _("Objection to a rating filed")
    OBJECTION_UPHELD = "evaluation.rating.objection_upheld", _(
        "Objection upheld, rating recomputed")
    OBJECTION_REJECTED = "evaluation.rating.objection_rejected", _("Objection rejected")
