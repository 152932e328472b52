"""Every write of the resource network: keyword-only actor, one transaction, audit inside it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ProviderService
from tmhub.network.workflows import SERVICE_WORKFLOW

PLAIN_FIELDS = ("service_type", "title", "title_en", "description", "price_min_fen",
                "price_max_fen", "price_on_request", "capacity", "languages", "international")


def _check_terms(service) -> None:
    errors = {}
    low, high = service.price_min_fen, service.price_max_fen
    if low is not None and high is not None and low > high:
        errors["price_max_fen"] = ValidationError(
            _("The upper price must not be below the lower price."), code="price_range")
    if not service.price_on_request and low is None and high is None:
        errors["price_on_request"] = ValidationError(
            _("Give a price range or mark the price as on request."), code="price_missing")
    if errors:
        raise ValidationError(errors)


def _apply(service, data) -> None:
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(service, name, data[name])
    if service.price_on_request:
        service.price_min_fen = service.price_max_fen = None
    _check_terms(service)
    service.full_clean(exclude=["provider", "created_by", "status", "fields", "districts"])


@transaction.atomic
def create_service(*, actor, provider, fields=(), districts=(), **data) -> ProviderService:
    """A new draft entry in `provider`'s catalogue (its own users only)."""
    service = ProviderService(provider=provider, created_by=_user(actor))
    policies.require(actor, "create", service)
    SERVICE_WORKFLOW.set_initial(service, ServiceStatus.DRAFT)
    _apply(service, data)
    service.save()
    service.fields.set(fields)
    service.districts.set(districts)
    record_change(actor=actor, obj=service, action=ObjectChange.Action.CREATE, before=None,
                  related=provider)
    return service


@transaction.atomic
def update_service(service, *, actor, fields=None, districts=None, **data) -> ProviderService:
    """Change a draft or returned entry (a public one is withdrawn first)."""
    service = ProviderService.objects.select_for_update().get(pk=service.pk)
    policies.require(actor, "change", service)
    before = snapshot(service)
    _apply(service, data)
    service.save()
    if fields is not None:
        service.fields.set(fields)
    if districts is not None:
        service.districts.set(districts)
    record_change(actor=actor, obj=service, action=ObjectChange.Action.UPDATE, before=before,
                  related=service.provider)
    return service


def step(service, target: str, *, actor, reason: str = "") -> ProviderService:
    """Take one review step (submit, publish, return, withdraw, edit again)."""
    policies.require(actor, "view", service)
    SERVICE_WORKFLOW.transition(service, target, actor=actor, reason=reason)
    return service


def _user(actor):
    from tmhub.core.actors import actor_user

    return actor_user(actor)
