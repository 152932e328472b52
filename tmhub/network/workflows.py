"""The review of a catalogue entry: the provider drafts and submits, the city publishes or
returns it with a reason; a public entry can be withdrawn and drafted again."""

from django.utils.translation import gettext_lazy as _

from tmhub.core.roles import Role
from tmhub.core.workflow import Transition, Workflow
from tmhub.network.choices import NetworkEvent as E
from tmhub.network.choices import ServiceStatus as S


def is_own_provider(scope, service) -> bool:
    """A user of the service's provider organisation (service-provider role)."""
    return service.provider_id in scope.orgs(Role.SERVICE_PROVIDER)


def is_city(scope, service=None) -> bool:
    return scope.is_municipal


def own_or_city(scope, service) -> bool:
    return is_own_provider(scope, service) or is_city(scope, service)


SERVICE_WORKFLOW = Workflow([
    Transition(S.DRAFT, S.SUBMITTED, is_own_provider, E.SERVICE_SUBMITTED,
               label=_("Submit for city review")),
    Transition(S.SUBMITTED, S.PUBLISHED, is_city, E.SERVICE_PUBLISHED,
               label=_("Publish"), style="success"),
    Transition(S.SUBMITTED, S.REJECTED, is_city, E.SERVICE_RETURNED,
               label=_("Return to the provider"), style="outline-danger", needs_reason=True),
    Transition((S.REJECTED, S.WITHDRAWN), S.DRAFT, is_own_provider,
               E.SERVICE_REOPENED, label=_("Edit again"), style="outline-secondary"),
    Transition(S.PUBLISHED, S.WITHDRAWN, own_or_city, E.SERVICE_WITHDRAWN,
               label=_("Withdraw from the directory"), style="outline-danger",
               asks_reason=True),
])


def buttons(service, user):
    return SERVICE_WORKFLOW.buttons(service, user)



