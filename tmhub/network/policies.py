"""Who sees and changes the resource network's records (tmhub.core.policies)."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.network.choices import ServiceStatus
from tmhub.network import notices  # noqa: F401  (the kinds exist from start-up)
from tmhub.network.models import Introduction, ProviderService, ServiceNeed, ServiceType

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
