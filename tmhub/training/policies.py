"""Who may see and do what in the training system: one policy per model.

Providers run their own catalogue and cohorts: a provider's programmes, courses, instructors,
cohorts and certificates are managed by the institution administrators of the provider's
organisation, and by the city. The catalogue is public once published. A training record
(enrolment, certificate, hours earned elsewhere) is seen by the trainee, by the administrators
of the trainee's employer (recorded on the record), by the officers of that employer's district
or sector, and by the provider. Enrolment asks a few more questions: who may ask for a place
for whom (`can_create`), who decides (`can_decide`) and who may withdraw (`can_withdraw`); the
enrolment workflow's transitions name these verbs (tmhub/training/workflows.py).

Views, the API, templates (`{% may %}`), imports and services all ask these policies through
`tmhub.core.policies`; nothing else in training decides who may do what.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, Scope
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.training.choices import ACTIVE_ENROLMENT, CohortStatus
from tmhub.training.models import (
    Certificate,
    CertificateRevocation,
    Cohort,
    Course,
    DashboardFigure,
    Enrolment,
    ExternalHours,
    Instructor,
    Programme,
    TrainingProvider,
)


# ---------------------------------------------------------------- the shared rules
def managed_q(scope: Scope, prefix: str = "") -> Q:
    """Rows whose provider is run by one of the user's institutions (as administrator)."""
    return Q(**{f"{prefix}organization__in": scope.orgs(Role.INSTITUTION_ADMIN)})


def people_q(scope: Scope, prefix: str = "") -> Q:
    """Training records of the trainee, of their employer's administrators, and of the
    officers of the employer's district or sector (recorded on the row as `organization`)."""
    return (
        Q(**{f"{prefix}trainee_id": scope.user_id})
        | Q(**{f"{prefix}organization__in": scope.orgs(Role.INSTITUTION_ADMIN)})
        | Q(**{f"{prefix}organization__district__in": scope.district_ids})
        | Q(**{f"{prefix}organization__kind__in": scope.department_org_kinds})
    )


def runs_provider(scope: Scope, provider) -> bool:
    """The city, and the administrators of the provider's organisation."""
    if scope.is_municipal:
        return True
    return (
        provider is not None
        and provider.organization_id is not None
        and provider.organization_id in scope.orgs(Role.INSTITUTION_ADMIN)
    )


def administers(scope: Scope, organization_id) -> bool:
    """The administrators of a trainee's employer (bulk enrolment, withdrawal, hours)."""
    return organization_id is not None and organization_id in scope.orgs(Role.INSTITUTION_ADMIN)


def enrolment_refusal(cohort, trainee_id, *, is_manager: bool, name="") -> ValidationError | None:
    """Why the person cannot have a place in `cohort` now (None: they can). One rule for the
    page's enrol button (`CohortPolicy.can_enrol`) and the enrolment services' errors."""
    if not cohort.is_open:
        return ValidationError(_("This cohort is not open for enrolment."), code="not_open")
    if cohort.deadline_passed():
        return ValidationError(_("The enrolment deadline has passed."), code="deadline_passed")
    if not is_manager:
        return _trainee_error(
            _("%(name)s is not a technology manager on the platform.") % {"name": name},
            "not_a_manager",
        )
    if Enrolment.objects.filter(
        cohort=cohort, trainee_id=trainee_id, status__in=ACTIVE_ENROLMENT
    ).exists():
        return _trainee_error(
            _("%(name)s is already enrolled or waiting in this cohort.") % {"name": name},
            "duplicate",
        )
    return None


def _trainee_error(message, code) -> ValidationError:
    return ValidationError({"trainee": ValidationError(message, code=code)})


def runs_any_provider(scope: Scope) -> bool:
    """An institution administrator whose institution is a training provider."""
    admin_orgs = scope.orgs(Role.INSTITUTION_ADMIN)
    return (
        bool(admin_orgs) and TrainingProvider.objects.filter(organization__in=admin_orgs).exists()
    )


def enrollable_trainees(scope: Scope, cohort=None):
    """The managers `scope` may put forward for a place: every active manager for the city and
    for a provider (in its own cohort; in any, when no cohort is named), otherwise the
    managers of the institutions the user administers."""
    from tmhub.accounts.models import User

    if not scope.is_authenticated:
        return User.objects.none()
    managers = Q(memberships__role=Role.MANAGER, memberships__is_active=True)
    if not (
        scope.is_municipal
        or (runs_provider(scope, cohort.programme.provider) if cohort else runs_any_provider(scope))
    ):
        managers &= Q(memberships__organization__in=scope.orgs(Role.INSTITUTION_ADMIN))
    return User.objects.filter(managers, is_active=True).distinct()


# ---------------------------------------------------------------- the catalogue
@policies.register
class TrainingProviderPolicy(Policy):
    """Providers are public; the city registers them, their organisation's admins run them."""

    model = TrainingProvider

    def scope_q(self, scope, action):
        if action == VIEW:
            return True
        return managed_q(scope) if scope.is_authenticated else None

    def can_create(self, scope, provider_class):
        return scope.is_municipal

    def can_manage(self, scope, provider):
        """Add programmes, courses, instructors and cohorts; run its cohorts."""
        return runs_provider(scope, provider)

    def can_import(self, scope, provider_class):
        """Upload course or attendance spreadsheets (each row is checked against its own
        provider on import): the city and institution administrators."""
        return scope.is_municipal or bool(scope.orgs(Role.INSTITUTION_ADMIN))


@policies.register
class ProgrammePolicy(Policy):
    """Published programmes are public; their provider's managers see drafts and edit."""

    model = Programme

    def scope_q(self, scope, action):
        managed = managed_q(scope, "provider__")
        if action == CHANGE:
            return managed if scope.is_authenticated else None
        return Q(is_published=True) | managed if scope.is_authenticated else Q(is_published=True)

    def can_manage(self, scope, programme):
        return runs_provider(scope, programme.provider)


@policies.register
class CoursePolicy(Policy):
    """Courses of published programmes are public; the provider edits them."""

    model = Course

    def scope_q(self, scope, action):
        managed = managed_q(scope, "programme__provider__")
        if action == CHANGE:
            return managed if scope.is_authenticated else None
        published = Q(programme__is_published=True)
        return published | managed if scope.is_authenticated else published


@policies.register
class InstructorPolicy(Policy):
    """Instructors are presented publicly with their courses; the provider edits them."""

    model = Instructor

    def scope_q(self, scope, action):
        if action == VIEW:
            return True
        return managed_q(scope, "provider__") if scope.is_authenticated else None


# ---------------------------------------------------------------- cohorts and enrolment
@policies.register
class CohortPolicy(Policy):
    """Cohorts of published programmes are listed once opened; the provider runs them."""

    model = Cohort

    def scope_q(self, scope, action):
        managed = managed_q(scope, "programme__provider__")
        if action == CHANGE:
            return managed if scope.is_authenticated else None
        listed = ~Q(status=CohortStatus.DRAFT) & Q(programme__is_published=True)
        return listed | managed if scope.is_authenticated else listed

    def can_manage(self, scope, cohort):
        """Plan sessions and assessments, assign mentors, decide on enrolments."""
        return runs_provider(scope, cohort.programme.provider)

    def can_mark_attendance(self, scope, cohort):
        """Attendance (and scores) are recorded by the provider while the cohort runs."""
        return cohort.is_running and self.can_manage(scope, cohort)

    def can_record_scores(self, scope, cohort):
        return self.can_mark_attendance(scope, cohort)

    def can_enrol(self, scope, cohort):
        """Ask for a place for oneself: a manager, while the cohort takes requests, once."""
        return (
            scope.is_authenticated
            and enrolment_refusal(cohort, scope.user_id, is_manager=scope.has_role(Role.MANAGER))
            is None
        )

    def can_enrol_others(self, scope, cohort):
        """Put managers forward (the bulk form): the provider, and institution
        administrators for their own managers, while the cohort takes requests."""
        return (
            cohort.is_open
            and not cohort.deadline_passed()
            and (bool(scope.orgs(Role.INSTITUTION_ADMIN)) or self.can_manage(scope, cohort))
        )


@policies.register
class EnrolmentPolicy(Policy):
    """Enrolments: the trainee's, their employer's and officers' to see; the provider's to
    decide; the trainee, the employer and the provider may withdraw."""

    model = Enrolment

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        managed = managed_q(scope, "cohort__programme__provider__")
        if action == CHANGE:
            return (
                managed
                | Q(trainee_id=scope.user_id)
                | Q(organization__in=scope.orgs(Role.INSTITUTION_ADMIN))
            )
        return managed | people_q(scope)

    def can_create(self, scope, enrolment):
        """Ask for this (unsaved) enrolment: for oneself, as the cohort's provider, or as the
        administrator of the trainee's employer (`enrolment.organization`)."""
        return scope.is_authenticated and (
            enrolment.trainee_id == scope.user_id
            or runs_provider(scope, enrolment.cohort.programme.provider)
            or administers(scope, enrolment.organization_id)
        )

    def can_manage(self, scope, enrolment):
        """The provider: mentors, the record's history."""
        return runs_provider(scope, enrolment.cohort.programme.provider)

    def can_view_history(self, scope, enrolment):
        """The enrolment's history in words: the trainee (their own application), their
        employer's administrators (who may act for them) and the provider; not the officers
        who only see that it exists."""
        return (
            scope.user_id == enrolment.trainee_id
            or administers(scope, enrolment.organization_id)
            or self.can_manage(scope, enrolment)
        )

    def can_decide(self, scope, enrolment):
        """Approve (onto a seat or the waiting list) or reject a request: the provider."""
        return self.can_manage(scope, enrolment)

    def can_withdraw(self, scope, enrolment):
        """Until the cohort ends: the trainee, their employer's administrators, the provider."""
        return not enrolment.cohort.has_ended and (
            scope.user_id == enrolment.trainee_id
            or administers(scope, enrolment.organization_id)
            or self.can_manage(scope, enrolment)
        )

    def can_issue_certificate(self, scope, enrolment):
        """Completion issues it: the provider's recordings, or the platform (SYSTEM)."""
        return self.can_manage(scope, enrolment)


@policies.register
class CertificatePolicy(Policy):
    """Certificates: seen like the enrolment they complete; revoked by the provider."""

    model = Certificate

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        managed = managed_q(scope, "enrolment__cohort__programme__provider__")
        if action == CHANGE:
            return managed
        return managed | people_q(scope)

    def can_revoke(self, scope, certificate):
        return certificate.is_valid and runs_provider(
            scope, certificate.enrolment.cohort.programme.provider
        )

    def can_view_history(self, scope, certificate):
        """The provider, and the holder: a trainee reads how their own certificate was issued
        (or revoked)."""
        return scope.user_id == certificate.trainee_id or runs_provider(
            scope, certificate.enrolment.cohort.programme.provider
        )


@policies.register
class CertificateRevocationPolicy(Policy):
    """Revocation requests: seen and decided by those who may revoke the certificate (the
    provider's administrators and the city); the four-eyes rule of REVOCATION_WORKFLOW keeps
    the person who asked from approving."""

    model = CertificateRevocation

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        return managed_q(scope, "certificate__enrolment__cohort__programme__provider__")

    def can_decide(self, scope, revocation):
        return runs_provider(scope, revocation.certificate.enrolment.cohort.programme.provider)


@policies.register
class ExternalHoursPolicy(Policy):
    """Hours earned outside the platform: recorded by the manager's employer."""

    model = ExternalHours

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        if action == CHANGE:
            return Q(organization__in=scope.orgs(Role.INSTITUTION_ADMIN))
        return people_q(scope)

    def can_create(self, scope, hours):
        """The administrators of the manager's employer (the class: of any institution)."""
        if isinstance(hours, type):
            return bool(scope.orgs(Role.INSTITUTION_ADMIN))
        return administers(scope, hours.organization_id)


# ---------------------------------------------------------------- the dashboard
@policies.register
class DashboardFigurePolicy(Policy):
    """The progress dashboard is read by the city, officers and institution administrators,
    each within their scope (dashboard/population.py); its rows are read through it only."""

    model = DashboardFigure

    def can_view_dashboard(self, scope, figure_class):
        return scope.is_municipal or any(
            scope.has_role(role)
            for role in (Role.DEPARTMENT_OFFICER, Role.DISTRICT_OFFICER, Role.INSTITUTION_ADMIN)
        )
