"""Financing rounds (issue 14 item 4): recorded once with their actor, audited, approved by a
second person before they count (four-eyes: who recorded a round never approves it), corrected
by a reversal that is approved the same way (never an edit of an amount)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import notifications, policies
from tmhub.core.access import VIEW
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change
from tmhub.core.models import ObjectChange
from tmhub.network import notices
from tmhub.network.choices import FinancingInstrument, FinancingStatus
from tmhub.network.models import Financing
from tmhub.network.workflows import FINANCING_WORKFLOW

FIELDS = ("kind", "instrument", "investor", "investor_name", "amount_fen", "financed_on",
          "equity_share", "beijing_fund", "district", "field")
NO_EQUITY = (FinancingInstrument.DEBT, FinancingInstrument.GUARANTEE)


def _check(financing) -> None:
    errors = {}
    if financing.project_id is None and financing.company_id is None:
        errors["project"] = ValidationError(_("Link the round to a project or a company."),
                                            code="unlinked")
    if financing.amount_fen is not None and financing.amount_fen <= 0:
        errors["amount_fen"] = ValidationError(_("The amount must be more than zero."),
                                               code="amount_not_positive")
    if financing.financed_on and financing.financed_on > timezone.localdate():
        errors["financed_on"] = ValidationError(
            _("A round is recorded once it has happened: the date must not be in the "
              "future."), code="date_future")
    if financing.equity_share is not None and financing.instrument in NO_EQUITY:
        errors["equity_share"] = ValidationError(
            _("A loan or a guarantee takes no equity share."), code="equity_not_applicable")
    if not financing.investor_id and not (financing.investor_name or "").strip():
        errors["investor_name"] = ValidationError(
            _("Name the investor, or choose a registered organisation."),
            code="investor_missing")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_financing(*, actor, project=None, company=None, **data) -> Financing:
    """A round of `project` and/or `company`. Negative or zero amounts and future dates are
    refused; the district and field default to the company's (else the project's)."""
    amount = data.get("amount_fen")
    if amount is not None and amount < 0:  # before any model check
        raise ValidationError({"amount_fen": ValidationError(
            _("The amount must be more than zero."), code="amount_not_positive")})
    financing = Financing(project=project, company=company, recorded_by=actor_user(actor))
    policies.require(actor, "create", financing)
    for name in FIELDS:
        if name in data:
            setattr(financing, name, data[name])
    if financing.district_id is None:
        financing.district_id = (company.district_id if company else
                                 project.institution.district_id if project else None)
    if financing.field_id is None and project is not None:
        financing.field_id = project.field_id
    if financing.field_id is None and company is not None:
        first = company.fields.first()
        financing.field_id = first.pk if first else None
    FINANCING_WORKFLOW.set_initial(financing, FinancingStatus.PENDING)
    _check(financing)
    financing.full_clean(exclude=["project", "company", "recorded_by", "reversal_of",
                                  "decided_by"])
    financing.save()
    record_change(actor=actor, obj=financing, action=ObjectChange.Action.CREATE, before=None,
                  related=project or company)
    _ask_approval(financing)
    return financing


def _ask_approval(financing) -> None:
    from tmhub.network.policies import financing_approvers

    reversal = financing.reversal_of_id is not None
    notifications.notify(
        financing_approvers(financing), kind=notices.FINANCING_APPROVAL.key, about=financing,
        subject=(gettext_lazy("A reversal of a financing round awaits your approval")
                 if reversal else gettext_lazy("A financing round awaits your approval")),
        body=gettext_lazy("%(who)s recorded %(round)s, %(amount)s. It counts in the figures "
                          "only once someone other than who recorded it approves it."),
        params={"who": str(financing.recorded_by or ""), "round": str(financing),
                "amount": financing.amount_text},
        url=financing.get_absolute_url())


def step(financing, target: str, *, actor, reason: str = "") -> Financing:
    """Approve a pending round or reversal, or return it with a reason (a second person with
    the approver's role; who recorded it is refused with `same_person_approval`)."""
    policies.require(actor, VIEW, financing)
    FINANCING_WORKFLOW.transition(financing, target, actor=actor, reason=reason)
    return financing


@transaction.atomic
def reverse_financing(financing, *, actor, reason: str) -> Financing:
    """Propose to cancel an approved round recorded in error: a reversal row with the reason,
    awaiting a second person's approval like any round. Once approved, both count nothing and
    the right round is recorded anew; a returned reversal leaves the round counting."""
    financing = Financing.objects.select_for_update().get(pk=financing.pk)
    policies.require(actor, "view", financing)
    policies.require(actor, "reverse", financing)
    if not (reason or "").strip():
        raise ValidationError({"reason": ValidationError(_("A reason is required."),
                                                         code="reason_required")})
    if financing.reversal_of_id:
        raise ValidationError(_("A reversal cannot itself be reversed."),
                              code="reversal_of_reversal")
    if financing.status != FinancingStatus.APPROVED:
        raise ValidationError(_("Only an approved round is reversed; a pending one is "
                                "returned by its approver."), code="not_approved")
    if financing.open_reversal() is not None:
        raise ValidationError(_("This round has already been reversed."),
                              code="already_reversed")
    reversal = Financing(
        project=financing.project, company=financing.company, kind=financing.kind,
        instrument=financing.instrument, investor=financing.investor,
        investor_name=financing.investor_name, amount_fen=financing.amount_fen,
        financed_on=timezone.localdate(), equity_share=financing.equity_share,
        beijing_fund=financing.beijing_fund, district=financing.district,
        field=financing.field, reversal_of=financing, reason=reason.strip()[:500],
        recorded_by=actor_user(actor))
    FINANCING_WORKFLOW.set_initial(reversal, FinancingStatus.PENDING)
    reversal.save()
    record_change(actor=actor, obj=reversal, action=ObjectChange.Action.CREATE, before=None,
                  related=financing)
    _ask_approval(reversal)
    return reversal
