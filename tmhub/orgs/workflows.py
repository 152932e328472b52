"""技术转移机构登记: draft → submitted → approved | returned (→ submitted again) | rejected.

Whoever acts for the institution submits (its administrators: the Organization policy's
`acts_for_institution`); the city decides, never the person who prepared the application (four
eyes, a rule as data). Submitting needs a complete application (a guard); deciding stamps the
date, and approving issues the registry number (effects). Every step goes through
`REGISTRATION_WORKFLOW.transition()`; `orgs.services.transition_registration` adds the check of
the status the caller saw and the notifications.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.sequences import next_value
from tmhub.core.workflow import FourEyes, Transition, Workflow, stepped_by
from tmhub.orgs.choices import RegistrationEvent
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.policies import acts_for_institution


def _acts_for_applicant(scope, registration) -> bool:
    return acts_for_institution(scope, registration.organization_id)


def _is_municipal(scope, registration) -> bool:
    return scope.is_municipal


def complete_application(registration) -> None:
    """Guard of submission: a Beijing-based institution with premises, full-time staff,
    written rules and a business scope."""
    errors = {}
    if registration.organization.district_id is None:
        errors["premises_address"] = _(
            "Only Beijing-based institutions (with a district) can register."
        )
    if not registration.premises_address.strip():
        errors["premises_address"] = _("A fixed premises address is required.")
    if registration.fulltime_staff < 1:
        errors["fulltime_staff"] = _("The institution must have full-time staff.")
    if not registration.has_written_rules:
        errors["has_written_rules"] = _("Written management rules are required.")
    if not registration.business_scope.strip():
        errors["business_scope"] = _("The business scope is required.")
    if errors:
        raise ValidationError(errors, code="incomplete")


def stamp_submitted(step) -> None:
    step.obj.submitted_at = timezone.now()


def stamp_decided(step) -> None:
    step.obj.decided_at = timezone.now()


def issue_registry_number(step) -> None:
    """A number of the year that is never reused (a database sequence, not a count)."""
    year = timezone.localdate().year
    step.obj.registry_number = f"BJTTO-{year}-{next_value('tto-registry'):05d}"


_ARE_YOU_SURE = gettext_lazy("Are you sure?")

# Who wrote, changed or submitted the application does not approve it
# (core.FourEyesRule "orgs.registration.approve"): another municipal administrator does.
REGISTRATION_FOUR_EYES = FourEyes(
    "orgs.registration.approve",
    stepped_by(RegistrationEvent.SUBMITTED, edits=True,
               also=lambda registration: [registration.created_by_id]),
)

REGISTRATION_WORKFLOW = Workflow(
    [
        Transition(
            S.DRAFT,
            S.SUBMITTED,
            _acts_for_applicant,
            RegistrationEvent.SUBMITTED,
            label=gettext_lazy("Submit"),
            guards=(complete_application,),
            effects=(stamp_submitted,),
            style="success",
        ),
        Transition(
            S.RETURNED,
            S.SUBMITTED,
            _acts_for_applicant,
            RegistrationEvent.SUBMITTED,
            label=gettext_lazy("Resubmit"),
            guards=(complete_application,),
            effects=(stamp_submitted,),
            style="success",
        ),
        Transition(
            S.SUBMITTED,
            S.APPROVED,
            _is_municipal,
            RegistrationEvent.APPROVED,
            label=gettext_lazy("Approve"),
            effects=(stamp_decided, issue_registry_number),
            style="success",
            four_eyes=REGISTRATION_FOUR_EYES,
        ),
        Transition(
            S.SUBMITTED,
            S.RETURNED,
            _is_municipal,
            RegistrationEvent.RETURNED,
            needs_reason=True,
            label=gettext_lazy("Return for changes"),
            style="warning",
            confirm=_ARE_YOU_SURE,
        ),
        Transition(
            S.SUBMITTED,
            S.REJECTED,
            _is_municipal,
            RegistrationEvent.REJECTED,
            needs_reason=True,
            label=gettext_lazy("Reject"),
            effects=(stamp_decided,),
            style="warning",
            confirm=_ARE_YOU_SURE,
        ),
    ]
)
