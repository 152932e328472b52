"""Who sees and changes the resource network's records (tmhub.core.policies)."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ProviderService, ServiceType

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
