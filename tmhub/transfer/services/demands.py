"""Every write to technology demands: record, edit, publish, close.

Each write records itself (`record_change` / the workflow's `record_event`), which is also
how the matching index hears of a created, edited, published or closed demand.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_dates, validate_new_deadline
from tmhub.transfer.choices import DemandStatus as S
from tmhub.transfer.models import Demand
from tmhub.transfer.workflows import DEMAND_WORKFLOW

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


@transaction.atomic
def create_demand(*, actor, organization, **values) -> Demand:
    """Record a demand as a draft (who may: `DemandPolicy.can_create`)."""
    demand = Demand(
        organization=organization,
        created_by=actor_user(actor),
        **{k: v for k, v in values.items() if k in DEMAND_FIELDS},
    )
    if not policies.allows(actor, "create", demand):
        raise field_error(
            "organization",
            _("You cannot record demands for this enterprise."),
            "not_your_enterprise",
        )
    if demand.district_id is None:
        demand.district_id = organization.district_id
    validate_dates({"deadline": demand.deadline}, deadline=validate_new_deadline)
    _validate(demand)
    demand.save()
    record_change(actor=actor, obj=demand, action=ObjectChange.Action.CREATE, before=None)
    return demand


@transaction.atomic
def update_demand(demand, *, actor, **values) -> Demand:
    policies.require(actor, "change", demand)
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
    return demand


@transaction.atomic
def step_demand(demand, target: str, *, actor, reason: str = "") -> Demand:
    """Take one step of DEMAND_WORKFLOW (publish, close, publish again)."""
    demand = Demand.objects.select_for_update().get(pk=demand.pk)
    DEMAND_WORKFLOW.transition(demand, target, actor=actor, reason=reason or "", locked=True)
    return demand


def publish_demand(demand, *, actor) -> Demand:
    """Publish the demand (its deadline must lie ahead)."""
    return step_demand(demand, S.PUBLISHED, actor=actor)


def close_demand(demand, *, actor, reason: str = "") -> Demand:
    """Close the demand; the reason is shown on its page."""
    return step_demand(demand, S.CLOSED, actor=actor, reason=reason)
