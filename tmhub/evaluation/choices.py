"""Choices of the evaluation app (titles now, social evaluation beside them later)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Education(models.TextChoices):
    """Education levels of the eligibility rules, lowest first (their order is their rank)."""

    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


EDUCATION_RANK = {value: rank for rank, value in enumerate(Education.values, start=1)}

# The code an applicant gives when they hold no title yet.
NO_TITLE = "none"

# The talent profile's recorded degree, read as an education of the eligibility rules.
DEGREE_TO_EDUCATION = {
    "college": Education.JUNIOR_COLLEGE,
    "bachelor": Education.BACHELOR,
    "master": Education.MASTER,
    "doctor": Education.DOCTORATE,
}


class ApplicationStatus(models.TextChoices):
    """Where a title application stands (SPEC §6, issue 16 item 4)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the employer's review")
    EMPLOYER_NOTICE = "employer_notice", _("Employer public notice")
    ENDORSED = "endorsed", _("Endorsed, awaiting the intake check")
    PANEL_REVIEW = "panel_review", _("Panel review")
    VOTE = "vote", _("Awaiting the vote")
    RESULT_NOTICE = "result_notice", _("Public notice of the result")
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")
    REVOKED = "revoked", _("Revoked")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The applications whose title was approved, as the figures of the decisions count them (pass
# rates, titles approved): a title revoked later was still approved when it was decided, so a
# revocation never rewrites the figures of a year already reported.
APPROVED_ONCE = (ApplicationStatus.APPROVED, ApplicationStatus.REVOKED)


class ReturnStage(models.TextChoices):
    """Who returned an application: its employer, or the bureau at the intake check."""

    EMPLOYER = "employer", _("Employer review")
    INTAKE = "intake", _("Intake check")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Awaiting resolution")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class EvaluationEvent(models.TextChoices):
    """Typed workflow events of the evaluation app."""

    SUBMITTED = "evaluation.application.submitted", _("Title application submitted")
    EMPLOYER_NOTICE = "evaluation.application.employer_notice", _(
        "Employer public notice started")
    ENDORSED = "evaluation.application.endorsed", _("Title application endorsed by the employer")
    RETURNED = "evaluation.application.returned", _("Title application returned for changes")
    INTAKE_PASSED = "evaluation.application.intake_passed", _("Intake check passed")
    VOTE_OPENED = "evaluation.application.vote_opened", _("Panel review closed, put to the vote")
    VOTE_PASSED = "evaluation.application.vote_passed", _(
        "Vote passed, result under public notice")
    VOTE_FAILED = "evaluation.application.vote_failed", _("Vote failed")
    APPROVED = "evaluation.application.approved", _("Title approved")
    OBJECTION_UPHELD = "evaluation.application.objection_upheld", _(
        "Not approved after an upheld objection")
    WITHDRAWN = "evaluation.application.withdrawn", _("Title application withdrawn")
    REVOKED = "evaluation.application.revoked", _("Title revoked")


# The fields of an application a reviewer may comment on when returning it (per-field comments).
RETURNABLE_FIELDS = (
    "level", "direction", "education", "years_since_education", "current_title",
    "years_in_current_title", "summary",
)


# ---------------------------------------------------------------- representative works
class WorkKind(models.TextChoices):
    """Kinds of representative works (代表作) of a title application (issue 16 item 3)."""

    CONTRACT = "contract", _("Technology contract")
    CASE_REPORT = "case_report", _("Case report")
    VALUATION_REPORT = "valuation_report", _("Valuation or feasibility report")
    STANDARD = "standard", _("Standard")
    PATENT_OPERATED = "patent_operated", _("Patent operated")
    PAPER = "paper", _("Paper")
    MONOGRAPH = "monograph", _("Monograph")
    AWARD = "award", _("Award")
    TRANSFER_PROJECT = "transfer_project", _("Transfer project")


class WorkRole(models.TextChoices):
    """The applicant's role in a representative work."""

    LEAD = "lead", _("Lead (first responsible)")
    MAIN = "main", _("Main participant")
    PARTICIPANT = "participant", _("Other participant")


# The platform records a work may be picked from: the field of RepresentativeWork holding it.
RECORD_FIELDS = ("contract", "project", "reward_split")
