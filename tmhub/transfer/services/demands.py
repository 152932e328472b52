"""Every write to technology demands: record, edit, publish, close."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.access import CHANGE, get_scope, require_can
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_dates, validate_new_deadline
from tmhub.core.workflow import Transition, Workflow
from tmhub.transfer.choices import DemandStatus as S
from tmhub.transfer.choices import TransferEvent as E
from tmhub.transfer.hooks import DEMAND_CHANGED, emit_on_commit
from tmhub.transfer.models import Demand
from tmhub.transfer.services.common import field_error

DEMAND_FIELDS = [
    "title",
    "problem",
    "expected_outcome",
    "keywords",
    "field",
    "district",
    "budget_min_fen",
    "budget_max_fen",
    "deadline",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def _owner(scope, demand) -> bool:
    return (
        scope.is_superuser
        or demand.organization_id in scope.orgs("enterprise")
        or demand.created_by_id == scope.user_id
    )


DEMAND_WORKFLOW = Workflow(
    [
        Transition(S.DRAFT, S.PUBLISHED, _owner, E.DEMAND_PUBLISHED, label=gettext_lazy("Publish")),
        Transition(S.PUBLISHED, S.CLOSED, _owner, E.DEMAND_CLOSED, label=gettext_lazy("Close")),
        Transition(S.DRAFT, S.CLOSED, _owner, E.DEMAND_CLOSED, label=gettext_lazy("Close")),
        Transition(
            S.CLOSED, S.PUBLISHED, _owner, E.DEMAND_PUBLISHED, label=gettext_lazy("Publish again")
        ),
    ]
)


def _validate(demand) -> None:
    demand.full_clean()
    errors = {}
    if (
        demand.budget_min_fen is not None
        and demand.budget_max_fen is not None
        and demand.budget_min_fen > demand.budget_max_fen
    ):
        errors["budget_max_fen"] = _("The upper budget is below the lower budget.")
    if errors:
        raise ValidationError(errors, code="budget_range")


def _can_record_for(actor, organization) -> bool:
    # Enterprises record their own demands; managers dig demands out of enterprises (需求挖掘)
    # and may record them on the enterprise's behalf.
    scope = get_scope(actor)
    return (
        scope.is_municipal
        or organization.pk in scope.orgs("enterprise")
        or scope.has_role("manager")
        or scope.has_role("institution_admin")
    )


@transaction.atomic
def create_demand(*, actor, organization, **values) -> Demand:
    """Record a demand as a draft."""
    if not _can_record_for(actor, organization):
        raise field_error(
            "organization",
            _("You cannot record demands for this enterprise."),
            "not_your_enterprise",
        )
    demand = Demand(
        organization=organization,
        created_by=actor,
        **{k: v for k, v in values.items() if k in DEMAND_FIELDS},
    )
    if demand.district_id is None:
        demand.district_id = organization.district_id
    validate_dates({"deadline": demand.deadline}, deadline=validate_new_deadline)
    _validate(demand)
    demand.save()
    record_change(actor=actor, obj=demand, action=ObjectChange.Action.CREATE, before=None)
    emit_on_commit(DEMAND_CHANGED, demand.pk)
    return demand


@transaction.atomic
def update_demand(demand, *, actor, **values) -> Demand:
    require_can(actor, demand, CHANGE)
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    before = snapshot(demand)
    if "deadline" in values and values["deadline"] != demand.deadline:
        # A deadline kept from before may have passed; a new one may not.
        validate_dates(values, deadline=validate_new_deadline)
    for key, value in values.items():
        if key in DEMAND_FIELDS:
            setattr(demand, key, value)
    _validate(demand)
    demand.save()
    record_change(actor=actor, obj=demand, action=ObjectChange.Action.UPDATE, before=before)
    emit_on_commit(DEMAND_CHANGED, demand.pk)
    return demand


@transaction.atomic
def publish_demand(demand, *, actor) -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    DEMAND_WORKFLOW.check(demand, S.PUBLISHED, actor=actor, reason="")
    if demand.deadline and demand.deadline < timezone.localdate():
        raise field_error(
            "deadline", _("The deadline has passed; change it first."), "deadline_passed"
        )
    demand.published_at = timezone.now()
    demand.closed_reason = ""
    DEMAND_WORKFLOW.apply(demand, S.PUBLISHED, actor=actor)
    emit_on_commit(DEMAND_CHANGED, demand.pk)
    return demand


@transaction.atomic
def close_demand(demand, *, actor, reason: str = "") -> Demand:
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    demand.closed_reason = (reason or "")[:300]
    DEMAND_WORKFLOW.apply(demand, S.CLOSED, actor=actor, reason=reason)
    emit_on_commit(DEMAND_CHANGED, demand.pk)
    return demand
