"""Choices of the training system: the national syllabus's levels and modules, workflows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The syllabus levels are one choice set, shared with the talent pool's profiles.
from tmhub.talent.choices import TrainingLevel as Level

LEVEL_ORDER = {Level.JUNIOR: 1, Level.INTERMEDIATE: 2, Level.SENIOR: 3}
# One letter per level inside certificate numbers.
LEVEL_LETTER = {Level.JUNIOR: "J", Level.INTERMEDIATE: "M", Level.SENIOR: "S"}


class Module(models.TextChoices):
    """The four syllabus modules every course belongs to."""

    GENERAL = "general", _("General knowledge")
    POLICY = "policy", _("Policies and regulations")
    PRACTICE = "practice", _("Practical skills")
    ADVANCED = "advanced", _("Capability enhancement")


class ProviderKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    TRANSFER_INSTITUTION = "transfer_institution", _("Registered transfer institution")
    INTERNATIONAL = "international", _("International partner")
    OTHER = "other", _("Other provider")


class ProgrammeKind(models.TextChoices):
    CERTIFICATION = "certification", _("Level training (certificate)")
    CONTINUING = "continuing", _("Continuing education")
    POSTGRADUATE = "postgraduate", _("University postgraduate programme")
    ELECTIVE = "elective", _("University elective course")
    INTERNATIONAL = "international", _("International partner programme")


class InstructorKind(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time teacher")
    INDUSTRY_MENTOR = "industry_mentor", _("Part-time industry mentor")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")


class CohortStatus(models.TextChoices):
    """draft → open (enrolment) → running → finished; draft/open → cancelled."""

    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for enrolment")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CANCELLED = "cancelled", _("Cancelled")


class EnrolmentStatus(models.TextChoices):
    """pending → enrolled | waitlisted | rejected; enrolled → completed | not completed."""

    PENDING = "pending", _("Awaiting approval")
    WAITLISTED = "waitlisted", _("On the waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    ATTENDED = "attended", _("Attended")


# Statuses that hold a place or a claim on one; a trainee has at most one per cohort.
ACTIVE_ENROLMENT = (EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED, EnrolmentStatus.ENROLLED)
# Statuses that end an enrolment after the cohort ran (the denominator of completion rates).
FINISHED_ENROLMENT = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Statuses that earn the session's class hours.
CREDITED_ATTENDANCE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class RevocationStatus(models.TextChoices):
    """A request to revoke a certificate: asked by one administrator, decided by another."""

    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved: certificate revoked")
    DECLINED = "declined", _("Declined")


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("Self-service")
    INSTITUTION = "institution", _("By institution administrator")
    PROVIDER = "provider", _("By provider")


class TrainingEvent(models.TextChoices):
    """Typed workflow events of the training system."""

    COHORT_OPENED = "training.cohort.opened", _("Cohort opened for enrolment")
    COHORT_STARTED = "training.cohort.started", _("Cohort started")
    COHORT_FINISHED = "training.cohort.finished", _("Cohort finished")
    COHORT_CANCELLED = "training.cohort.cancelled", _("Cohort cancelled")
    ENROLMENT_APPROVED = "training.enrolment.approved", _("Enrolment approved")
    ENROLMENT_WAITLISTED = "training.enrolment.waitlisted", _("Enrolment waitlisted")
    ENROLMENT_PROMOTED = "training.enrolment.promoted", _("Promoted from the waiting list")
    ENROLMENT_REJECTED = "training.enrolment.rejected", _("Enrolment rejected")
    ENROLMENT_WITHDRAWN = "training.enrolment.withdrawn", _("Enrolment withdrawn")
    ENROLMENT_COMPLETED = "training.enrolment.completed", _("Training completed")
    ENROLMENT_NOT_COMPLETED = "training.enrolment.not_completed", _("Training not completed")
    ENROLMENT_ATTENDED = "training.enrolment.attended", _("Attendance closed")
    CERTIFICATE_ISSUED = "training.certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "training.certificate.revoked", _("Certificate revoked")
    REVOCATION_REQUESTED = "training.revocation.requested", _("Certificate revocation requested")
    REVOCATION_APPROVED = "training.revocation.approved", _("Certificate revocation approved")
    REVOCATION_DECLINED = "training.revocation.declined", _("Certificate revocation declined")
