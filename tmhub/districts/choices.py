"""Choices of the districts app (SPEC §9)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeBasis(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Vacancy published")
    FILLED = "filled", _("Post filled")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPOINTED = "appointed", _("Appointed to the post")
    DECLINED = "declined", _("Not appointed")


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", _("Matchmaking meeting")
    ROADSHOW = "roadshow", _("Project roadshow")
    TRAINING = "training", _("Training session")
    OTHER = "other", _("Other")


class ParticipantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")
    MANAGER = "manager", _("Technology manager")


class LandingKind(models.TextChoices):
    COMPANY = "company", _("Company founded")
    CONTRACT = "contract", _("Contract signed in the district")
    INVESTMENT = "investment", _("Investment made")


class EventType(models.TextChoices):
    """The typed workflow events of the districts app (their labels name them in history)."""

    VACANCY_PUBLISHED = "districts.vacancy_published", _("Vacancy published")
    COMMISSIONER_APPOINTED = "districts.commissioner_appointed", _("Commissioner appointed")
