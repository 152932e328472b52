"""Choices of the technology-manager talent pool (SPEC §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EntryRoute(models.TextChoices):
    """How the person entered the pool: 选拔一批、引进一批、培养一批."""

    SELECTED = "selected", _("Selected")
    RECRUITED = "recruited", _("Recruited")
    TRAINED = "trained", _("Trained")


class TrainingLevel(models.TextChoices):
    """The national syllabus levels."""

    JUNIOR = "junior", _("Junior technology broker")
    INTERMEDIATE = "intermediate", _("Intermediate technology broker")
    SENIOR = "senior", _("Senior technology manager")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")


class IdentityType(models.TextChoices):
    """Resident ID for Chinese citizens, passport for recruited international managers."""

    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")


class Degree(models.TextChoices):
    COLLEGE = "college", _("College diploma")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")
    OTHER = "other", _("Other")


class ProfessionalTitle(models.TextChoices):
    """Titles of the 工程技术系列技术经纪专业 (plus none)."""

    NONE = "none", _("No title")
    ASSISTANT_ENGINEER = "assistant_engineer", _("Assistant engineer")
    ENGINEER = "engineer", _("Engineer")
    SENIOR_ENGINEER = "senior_engineer", _("Senior engineer")
    PROFESSOR_ENGINEER = "professor_engineer", _("Professor-level senior engineer")


class RegistrationStatus(models.TextChoices):
    """入库登记: the life of one registration of one manager."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ENDORSED = "endorsed", _("Endorsed by employer")
    UNDER_REVIEW = "under_review", _("Under municipal review")
    RETURNED = "returned", _("Returned for changes")
    REGISTERED = "registered", pgettext_lazy("manager registration", "Registered")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


# A person holds at most one registration in these states at a time.
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED, RegistrationStatus.ENDORSED,
    RegistrationStatus.UNDER_REVIEW, RegistrationStatus.RETURNED, RegistrationStatus.REGISTERED,
    RegistrationStatus.SUSPENDED,
)
# States in which the applicant (or their employer) may still edit the profile freely.
EDITABLE_REGISTRATION_STATUSES = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


class RegistrationEvent(models.TextChoices):
    """Typed workflow events of manager registration."""

    SUBMITTED = "talent.registration.submitted", _("Registration submitted")
    ENDORSED = "talent.registration.endorsed", _("Registration endorsed by employer")
    REVIEW_STARTED = "talent.registration.review_started", _("Municipal review started")
    REGISTERED = "talent.registration.registered", _("Manager registered")
    RETURNED = "talent.registration.returned", _("Registration returned for changes")
    REJECTED = "talent.registration.rejected", _("Registration rejected")
    SUSPENDED = "talent.registration.suspended", _("Registration suspended")
    REVOKED = "talent.registration.revoked", _("Registration revoked")
    REINSTATED = "talent.registration.reinstated", _("Registration reinstated")
    ID_REVEALED = "talent.profile.id_revealed", _("Full ID number revealed")
    FILING_SUBMITTED = "talent.filing.submitted", _("Annual filing submitted")
    FILING_OVERDUE = "talent.filing.overdue", _("Annual filing overdue")


class FilingStatus(models.TextChoices):
    """年度备案: open until the filer confirms the figures."""

    OPEN = "open", _("Open")
    SUBMITTED = "submitted", pgettext_lazy("annual filing", "Filed")


class FilingSubject(models.TextChoices):
    MANAGER = "manager", _("Technology manager")
    INSTITUTION = "institution", _("Institution")
