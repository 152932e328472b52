"""Choices of the resource network."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("network service", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("network service", "Under city review")
    PUBLISHED = "published", pgettext_lazy("network service", "Public")
    REJECTED = "rejected", pgettext_lazy("network service", "Returned")
    WITHDRAWN = "withdrawn", pgettext_lazy("network service", "Withdrawn")


class ServiceCategory(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional services")
    PLATFORM = "platform", _("Platforms and space")
    FINANCING = "financing", _("Financing")


class NetworkEvent(models.TextChoices):
    """The typed events of the network's workflows (named in each record's history)."""

    SERVICE_SUBMITTED = "network.service.submitted", _("Submitted for city review")
    SERVICE_PUBLISHED = "network.service.published", _("Published in the directory")
    SERVICE_RETURNED = "network.service.returned", _("Returned to the provider")
    SERVICE_REOPENED = "network.service.reopened", _("Reopened for editing")
    SERVICE_WITHDRAWN = "network.service.withdrawn", _("Withdrawn from the directory")


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("service need", "Open")
    CLOSED = "closed", pgettext_lazy("service need", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("service need", "Cancelled")


class IntroductionStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("introduction", "Awaiting the provider's answer")
    ACCEPTED = "accepted", pgettext_lazy("introduction", "Accepted")
    DECLINED = "declined", pgettext_lazy("introduction", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("introduction", "Withdrawn")


class NeedEvent(models.TextChoices):
    """The typed events of service needs and introductions (named in their history)."""

    NEED_CLOSED = "network.need.closed", _("Need closed")
    NEED_CANCELLED = "network.need.cancelled", _("Need cancelled")
    INTRODUCTION_ACCEPTED = "network.introduction.accepted", _("Introduction accepted")
    INTRODUCTION_DECLINED = "network.introduction.declined", _("Introduction declined")
    INTRODUCTION_WITHDRAWN = "network.introduction.withdrawn", _("Introduction withdrawn")


class CollaborationStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("collaboration", "In progress")
    COMPLETED = "completed", pgettext_lazy("collaboration", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("collaboration", "Cancelled")


class RaterSide(models.TextChoices):
    CLIENT = "client", _("The project's side rates the provider")
    PROVIDER = "provider", _("The provider rates the project's side")


class CollaborationEvent(models.TextChoices):
    COMPLETED = "network.collaboration.completed", _("Collaboration completed")
    CANCELLED = "network.collaboration.cancelled", _("Collaboration cancelled")


# The named criteria of each side's rating (1–5 each).
PROVIDER_CRITERIA = {  # the project's side rates the provider on these
    "quality": _("Quality of the work"),
    "timeliness": _("Delivered on time"),
    "communication": _("Communication"),
    "value": _("Value for money"),
}
CLIENT_CRITERIA = {  # the provider rates the project's side on these
    "clarity": _("Clear brief"),
    "cooperation": pgettext_lazy("rating criterion", "Cooperation"),
    "payment": _("Paid as agreed"),
}
CRITERIA = {RaterSide.CLIENT: PROVIDER_CRITERIA, RaterSide.PROVIDER: CLIENT_CRITERIA}
RATING_WINDOW_DAYS = 30


class FinancingKind(models.TextChoices):
    ANGEL = "angel", _("Angel investment")
    VENTURE = "venture", _("Venture capital")
    GUIDANCE_FUND = "guidance_fund", _("Government guidance fund")
    LOAN = "loan", _("Loan")
    GUARANTEE = "guarantee", _("Loan guarantee")
    BANK_CREDIT = "bank_credit", _("Bank credit line")


class FinancingInstrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CONVERTIBLE = "convertible", _("Convertible note")
    DEBT = "debt", _("Debt")
    GUARANTEE = "guarantee", _("Guarantee")


class FinancingStatus(models.TextChoices):
    """A round (or a reversal) counts only once a second person has approved it."""

    PENDING = "pending", pgettext_lazy("financing", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("financing", "Approved")
    RETURNED = "returned", pgettext_lazy("financing", "Returned")


class FinancingEvent(models.TextChoices):
    APPROVED = "network.financing.approved", _("Financing round approved")
    RETURNED = "network.financing.returned", _("Financing round returned")
