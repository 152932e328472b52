"""Requests to change an organisation's identity (legal name, kind, credit code), reviewed by
the city.

An organisation's own administrators (and the department that oversees its kind) edit the
rest of its record themselves; its identity decides which department oversees it and what it
may register as, so they *request* a change: the request keeps the values it would replace and
the new ones, with the reason. The city approves it (the change is then applied through
`orgs.services.update_organization`, audited like any edit) or rejects it with an opinion that
the requester reads; the requester may withdraw it while it waits. One request per
organisation waits at a time.

The model, its status choices, its workflow and its policy live here; the writes are in
`orgs.services` (request_identity_change, decide_identity_change).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import VIEW, RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.core.workflow import Transition, Workflow, WorkflowModel
from tmhub.orgs.models import Organization

# The fields a change request carries, in the order they are shown.
REQUESTABLE_FIELDS = ("name", "kind", "credit_code")

# Roles whose holders edit their own organisation's record (as OrganizationPolicy's editors).
_REQUESTER_ROLES = (Role.INSTITUTION_ADMIN, Role.ENTERPRISE, Role.SERVICE_PROVIDER)


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Waiting for review")
    APPROVED = "approved", gettext_lazy("Approved and applied")
    REJECTED = "rejected", gettext_lazy("Rejected")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class ChangeRequestEvent(models.TextChoices):
    APPROVED = "orgs.identity_change.approved", gettext_lazy("Identity change approved")
    REJECTED = "orgs.identity_change.rejected", gettext_lazy("Identity change rejected")
    WITHDRAWN = "orgs.identity_change.withdrawn", gettext_lazy("Identity change withdrawn")


class IdentityChangeRequest(WorkflowModel, TimeStampedModel):
    """A request to change an organisation's legal name, kind or credit code."""

    WORKFLOW_FIELDS = ("status",)

    organization = models.ForeignKey(
        Organization,
        verbose_name=gettext_lazy("organisation"),
        on_delete=models.PROTECT,
        related_name="identity_change_requests",
    )
    status = models.CharField(
        gettext_lazy("status"),
        max_length=12,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
        db_index=True,
    )
    old_values = models.JSONField(gettext_lazy("values before"), default=dict)
    new_values = models.JSONField(gettext_lazy("requested values"), default=dict)
    reason = LimitedTextField(gettext_lazy("reason for the change"), max_length=1000)
    opinion = LimitedTextField(gettext_lazy("opinion of the city"), max_length=1000, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(gettext_lazy("decided at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = gettext_lazy("identity change request")
        verbose_name_plural = gettext_lazy("identity change requests")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("orgs:identity-change-detail", args=[self.pk])

    @property
    def is_waiting(self) -> bool:
        """Still waiting for the city's decision."""
        return self.status == ChangeRequestStatus.PENDING

    def changes(self) -> list[dict]:
        """Each requested field with its label and its old and new value, shown in words (the
        kind's label, not its code)."""
        rows = []
        for name in REQUESTABLE_FIELDS:
            if name not in self.new_values:
                continue
            field = Organization._meta.get_field(name)
            labels = dict(field.flatchoices) if field.choices else {}
            old, new = self.old_values.get(name), self.new_values[name]
            rows.append(
                {
                    "name": name,
                    "label": field.verbose_name,
                    "old": labels.get(old, old) or "—",
                    "new": labels.get(new, new) or "—",
                }
            )
        return rows


def requester_org_ids(scope) -> set:
    return set(scope.orgs(*_REQUESTER_ROLES))


# --- workflow -------------------------------------------------------------------------------


def _is_municipal(scope, request) -> bool:
    return scope.is_municipal


def _acts_for_requester(scope, request) -> bool:
    return request.organization_id in requester_org_ids(scope) or (
        request.organization.kind in scope.department_org_kinds
    )


def identity_unchanged(request) -> None:
    """Guard of approval: the organisation still holds the values the request would replace
    (someone else may have changed them since)."""
    organization = request.organization
    moved = [
        name
        for name in request.new_values
        if (getattr(organization, name) or "") != (request.old_values.get(name) or "")
    ]
    if moved:
        raise ValidationError(
            _(
                "The organisation's record has changed since this request was made; reject it "
                "and ask for a new one."
            ),
            code="request_outdated",
        )


def apply_change(step) -> None:
    """Effect of approval: the organisation takes the new values through its service (locked,
    validated and audited there), by the deciding city administrator."""
    from tmhub.orgs.services import update_organization

    update_organization(step.obj.organization, actor=step.actor, **step.obj.new_values)


def stamp_decision(step) -> None:
    from tmhub.core.actors import actor_user

    step.obj.opinion = step.reason
    step.obj.decided_by = actor_user(step.actor)
    step.obj.decided_at = timezone.now()


S = ChangeRequestStatus

CHANGE_REQUEST_WORKFLOW = Workflow(
    [
        Transition(
            S.PENDING,
            S.APPROVED,
            _is_municipal,
            ChangeRequestEvent.APPROVED,
            label=gettext_lazy("Approve and apply"),
            asks_reason=True,
            guards=(identity_unchanged,),
            effects=(stamp_decision, apply_change),
            style="success",
            confirm=gettext_lazy("The organisation's record will take the requested values."),
        ),
        Transition(
            S.PENDING,
            S.REJECTED,
            _is_municipal,
            ChangeRequestEvent.REJECTED,
            needs_reason=True,
            label=gettext_lazy("Reject"),
            effects=(stamp_decision,),
            style="warning",
        ),
        Transition(
            S.PENDING,
            S.WITHDRAWN,
            _acts_for_requester,
            ChangeRequestEvent.WITHDRAWN,
            label=gettext_lazy("Withdraw"),
            asks_reason=True,
            style="secondary",
        ),
    ]
)


# --- policy ---------------------------------------------------------------------------------


@policies.register
class IdentityChangeRequestPolicy(Policy):
    """Requests are read by whoever may edit the organisation's record (its administrators,
    the department overseeing its kind) and by the city, which decides them."""

    model = IdentityChangeRequest

    def scope_q(self, scope, action):
        if not scope.is_authenticated or action != VIEW:
            return None  # nobody edits a request: it is decided or withdrawn (the workflow)
        return Q(organization__in=requester_org_ids(scope)) | Q(
            organization__kind__in=scope.department_org_kinds
        )

    def can_create(self, scope, request) -> bool:
        """Ask for a change of `request.organization`'s identity: whoever edits the record but
        may not change its identity themselves (the city changes it directly)."""
        organization = request.organization
        if scope.is_municipal:
            return False
        return organization.pk in requester_org_ids(scope) or (
            organization.kind in scope.department_org_kinds
        )

    def can_view_queue(self, scope, model) -> bool:
        """The city's queue of requests waiting for review."""
        return scope.is_municipal
