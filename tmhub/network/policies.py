"""Who sees and changes the resource network's records (tmhub.core.policies)."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.network import notices  # noqa: F401  (the kinds exist from start-up)
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import (
    Collaboration,
    CollaborationDocument,
    Financing,
    Introduction,
    ProviderService,
    Rating,
    ServiceNeed,
    ServiceType,
)

EDITABLE = (ServiceStatus.DRAFT, ServiceStatus.REJECTED)


@policies.register
class ServiceTypePolicy(Policy):
    """The service types are public reference data; the city edits them (admin)."""

    model = ServiceType

    def scope_q(self, scope, action):
        return True if action == VIEW else None


@policies.register
class ProviderServicePolicy(Policy):
    """Public once the city has published it; the provider's own users see and edit their
    drafts and returned entries; the city sees everything and reviews."""

    model = ProviderService

    def scope_q(self, scope, action):
        own = Q(provider_id__in=scope.orgs(Role.SERVICE_PROVIDER))
        if action == VIEW:
            return Q(status=ServiceStatus.PUBLISHED) | own
        if action == CHANGE and scope.is_authenticated:
            return own & Q(status__in=EDITABLE)
        return None

    def can_create(self, scope, service):
        """Add `service` (unsaved) to its provider's catalogue: the provider's own users, for
        an organisation of a provider kind."""
        provider = service.provider
        return (provider.kind in SERVICE_PROVIDER_KINDS
                and provider.pk in scope.orgs(Role.SERVICE_PROVIDER))

    def can_review(self, scope, service):
        return scope.is_municipal


def providers_of(scope):
    """The provider organisations whose catalogue `scope` may add to."""
    from tmhub.orgs.models import Organization

    return Organization.objects.filter(pk__in=scope.orgs(Role.SERVICE_PROVIDER),
                                       kind__in=SERVICE_PROVIDER_KINDS, is_active=True)


# ---------------------------------------------------------------- needs and introductions
def _project_ids(scope, action):
    """Projects `scope` may `action` (the transfer policy decides; a sub-query)."""
    from tmhub.transfer.models import Project

    return policies.policy_for(Project).rows(Project.objects.all(), scope, action).values("pk")


def _addressed_need_ids(scope):
    return Introduction.objects.filter(
        provider_id__in=scope.orgs(Role.SERVICE_PROVIDER)).values("need_id")


@policies.register
class ServiceNeedPolicy(Policy):
    """A need is seen by those who see its project (the institution, its managers, the
    district) and by the providers introduced to it; no one else, whatever its state. It is
    posted and changed by those who change the project (its institution's administrators
    and active managers)."""

    model = ServiceNeed

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        if action == VIEW:
            return (Q(project__in=_project_ids(scope, VIEW))
                    | Q(pk__in=_addressed_need_ids(scope)))
        if action == CHANGE:
            return Q(project__in=_project_ids(scope, CHANGE))
        return None

    def can_create(self, scope, need):
        """Post a need for `need.project` (unsaved need): who changes the project."""
        project = need.project
        return policies.policy_for(project).covers(scope, project, CHANGE)

    def can_introduce(self, scope, need):
        return self.covers(scope, need, CHANGE)


@policies.register
class IntroductionPolicy(Policy):
    """Seen by the need's side and by the provider introduced, never by another provider."""

    model = Introduction

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        if action == VIEW:
            return (Q(need__project__in=_project_ids(scope, VIEW))
                    | Q(provider_id__in=scope.orgs(Role.SERVICE_PROVIDER)))
        return None


# ---------------------------------------------------------------- collaborations
def _collaboration_q(scope, prefix=""):
    return (Q(**{f"{prefix}project__in": _project_ids(scope, VIEW)})
            | Q(**{f"{prefix}provider_id__in": scope.orgs(Role.SERVICE_PROVIDER)}))


def rater_side(scope, collaboration):
    """The side `scope` rates for: the collaboration's managers rate the provider (client
    side), the provider's users rate the project's side; anyone else None."""
    from tmhub.network.choices import RaterSide

    if not scope.is_authenticated:
        return None
    if collaboration.managers.filter(pk=scope.user_id).exists():
        return RaterSide.CLIENT
    if collaboration.provider_id in scope.orgs(Role.SERVICE_PROVIDER):
        return RaterSide.PROVIDER
    return None


@policies.register
class CollaborationPolicy(Policy):
    """Seen by the project's people and the provider's users; changed (scope, dates, fee,
    outcome) by who works the project; documents added by either side."""

    model = Collaboration

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        if action == VIEW:
            return _collaboration_q(scope)
        if action == CHANGE:
            return Q(project__in=_project_ids(scope, CHANGE))
        return None

    def can_create(self, scope, collaboration):
        project = collaboration.project
        return policies.policy_for(project).covers(scope, project, CHANGE)

    def can_add_document(self, scope, collaboration):
        from tmhub.network.workflows import either_side

        return self.covers(scope, collaboration, VIEW) and either_side(scope, collaboration)

    def can_rate(self, scope, collaboration):
        return rater_side(scope, collaboration) is not None


@policies.register
class CollaborationDocumentPolicy(Policy):
    model = CollaborationDocument

    def scope_q(self, scope, action):
        if not scope.is_authenticated or action != VIEW:
            return None
        return _collaboration_q(scope, "collaboration__")


def released_q():
    from django.utils import timezone

    return (Q(collaboration__ratings_released_at__isnull=False)
            | Q(collaboration__rating_closes_on__lt=timezone.localdate()))


@policies.register
class RatingPolicy(Policy):
    """A rating is read by its author at once; by the collaboration's sides once released
    (both have rated, or the window closed). A released rating of a provider is public (its
    page shows it); a rating of the project's side stays with the collaboration."""

    model = Rating

    def scope_q(self, scope, action):
        from tmhub.network.choices import RaterSide

        if action != VIEW:
            return None
        public = released_q() & Q(rater_side=RaterSide.CLIENT)
        if not scope.is_authenticated:
            return public
        return (Q(rated_by_id=scope.user_id) | public
                | (released_q() & _collaboration_q(scope, "collaboration__")))

    def rows(self, queryset, scope, action=VIEW):
        """The city too reads a rating only once released: no one reads the other side's
        rating early."""
        if scope.is_municipal:
            return queryset.filter(released_q()) if action == VIEW else queryset.none()
        return super().rows(queryset, scope, action)


# ---------------------------------------------------------------- financing
@policies.register
class FinancingPolicy(Policy):
    """A round is seen by those who see its project and by the company's own people (and
    the city); recorded and reversed by who works the project, or by the company's users
    for a round of the company alone."""

    model = Financing

    def scope_q(self, scope, action):
        if not scope.is_authenticated or action != VIEW:
            return None
        return (Q(project__in=_project_ids(scope, VIEW))
                | Q(company_id__in=scope.orgs()))

    def can_create(self, scope, financing):
        if scope.is_municipal:
            return True
        if financing.project_id:
            return policies.policy_for(financing.project).covers(scope, financing.project,
                                                                 CHANGE)
        return bool(financing.company_id) and financing.company_id in scope.orgs(Role.ENTERPRISE)

    def can_reverse(self, scope, financing):
        return self.can_create(scope, financing)

    def can_approve(self, scope, financing):
        """The second person of a round (four-eyes: never who recorded it, see
        workflows.FINANCING_FOUR_EYES): for a project's round an administrator of the
        project's institution, who answers for its records; for a company's own round the
        city. A manager who records a round does not approve it."""
        from tmhub.transfer.policies import administers

        if financing.project_id:
            return administers(scope, financing.project.institution_id)
        return scope.is_municipal


def financing_approvers(financing):
    """The people who may approve `financing` (told when it awaits them), its recorder
    excluded."""
    from tmhub.accounts.models import User

    if financing.project_id:
        people = User.objects.filter(
            memberships__role=Role.INSTITUTION_ADMIN, memberships__is_active=True,
            memberships__organization_id=financing.project.institution_id)
    else:
        people = User.objects.filter(memberships__role=Role.MUNICIPAL_ADMIN,
                                     memberships__is_active=True)
    return people.filter(is_active=True).exclude(pk=financing.recorded_by_id).distinct()
