"""Every write to transfer projects: creation, edits, stage moves, managers, activities."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import holds_role
from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.actors import actor_user, is_system
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.conflicts import ConflictError
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import choice_label, notify
from tmhub.core.roles import Role
from tmhub.core.validators import validate_dates, validate_happened_date
from tmhub.transfer.choices import ActivityKind, ManagerRole
from tmhub.transfer.choices import TransferEvent as E
from tmhub.transfer.models import Achievement, Activity, Demand, Project, ProjectAssignment
from tmhub.transfer.services.common import require_manager
from tmhub.transfer.workflows import STAGE_OVERRIDE_WORKFLOW, STAGE_WORKFLOW

PROJECT_FIELDS = ["title", "description", "field", "started_on"]


def _locked(project, expected_version=None) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and int(expected_version) != project.version:
        raise ConflictError(
            _("Someone else changed this project after you opened it. Reload and try again."),
            code="stale",
        )
    return project


def _bump(project, *, edited: bool = False) -> None:
    """Grow the version a stale page is checked against. Alone (a manager assigned, an
    activity logged) it is bookkeeping of the project; with `edited` the project's own fields
    are saved too (their change row is the caller's)."""
    project.version = F("version") + 1
    project.save(update_fields=None if edited else ["version", "updated_at"])
    project.refresh_from_db(fields=["version"])


@transaction.atomic
def create_project(
    *, actor, institution, lead=None, achievements=(), demands=(), partners=(), **values
) -> Project:
    """Open a project at the discovery stage; the lead manager (or the acting manager) leads."""
    project = Project(
        institution=institution,
        created_by=actor_user(actor),
        **{k: v for k, v in values.items() if k in PROJECT_FIELDS},
    )
    if not policies.allows(actor, "create", project):
        raise field_error(
            "institution", _("You cannot record work for this institution."), "not_your_institution"
        )
    project.full_clean()
    project.save()
    _set_links(project, achievements, demands, partners, actor=actor)
    record_change(actor=actor, obj=project, action=ObjectChange.Action.CREATE, before=None)
    lead = lead or (actor if holds_role(actor, Role.MANAGER) else None)
    if lead is not None:
        # The lead has led since the project started, not since the day it was typed in:
        # a project entered late still counts in its manager's year (annual filing).
        since = min(project.started_on, timezone.localdate()) if project.started_on else None
        _assign(project, actor=actor, user=lead, role=ManagerRole.LEAD, assigned_on=since)
    return project


# Django's own message for a choice outside a form field's queryset: a hidden record is
# refused in the same words as a missing one.
NOT_AVAILABLE = gettext_lazy(
    "Select a valid choice. That choice is not one of the available choices."
)


def _hidden(model, actor, chosen, already_linked):
    """Records among `chosen` that the actor may not see and that were not linked before:
    linking must never reach (and so reveal) another party's confidential record."""
    ids = {obj.pk for obj in chosen} - set(already_linked)
    if not ids or is_system(actor):
        return set()
    visible = set(
        model.objects.restrict(actor, VIEW).filter(pk__in=ids).values_list("pk", flat=True)
    )
    return ids - visible


def _set_links(project, achievements, demands, partners, *, actor) -> None:
    # Hidden first: a confidential record is refused like a missing one, before any other rule
    # could tell that it exists.
    if achievements is not None and _hidden(
        Achievement, actor, achievements, project.achievements.values_list("pk", flat=True)
    ):
        raise field_error("achievements", NOT_AVAILABLE, "invalid_choice")
    if demands is not None and _hidden(
        Demand, actor, demands, project.demands.values_list("pk", flat=True)
    ):
        raise field_error("demands", NOT_AVAILABLE, "invalid_choice")
    foreign = [a for a in achievements or () if a.owner_id != project.institution_id]
    if foreign:
        raise field_error(
            "achievements",
            _("A project can only carry its own institution's achievements."),
            "foreign_achievement",
        )
    if achievements is not None:
        project.achievements.set(achievements)
    if demands is not None:
        project.demands.set(demands)
    if partners is not None:
        project.partners.set(partners)


@transaction.atomic
def update_project(
    project,
    *,
    actor,
    expected_version=None,
    achievements=None,
    demands=None,
    partners=None,
    **values,
) -> Project:
    """Edit a project. Only the fields passed change (re-read under the row lock), so two people
    editing different fields both keep their change; a stale `expected_version` is refused."""
    policies.require(actor, "change", project)
    project = _locked(project, expected_version)
    before = snapshot(project)
    for key, value in values.items():
        if key in PROJECT_FIELDS:
            setattr(project, key, value)
    project.full_clean(exclude=["version"])
    _set_links(project, achievements, demands, partners, actor=actor)
    _bump(project, edited=True)
    record_change(actor=actor, obj=project, action=ObjectChange.Action.UPDATE, before=before)
    return project


@transaction.atomic
def move_project(
    project, target: str, *, actor, reason: str = "", expected_version=None, override=False
):
    """Move a project to another stage along STAGE_WORKFLOW (backward moves need a reason;
    a forward move needs the evidence its stage gate asks for); a stale `expected_version`
    (the page was read before another move) is refused.

    `override=True` is the municipal override (STAGE_OVERRIDE_WORKFLOW): past a gate whose
    evidence is missing, with a mandatory reason, recorded as its own event type."""
    project = _locked(project, expected_version)
    workflow = STAGE_OVERRIDE_WORKFLOW if override else STAGE_WORKFLOW
    workflow.transition(project, target, actor=actor, reason=reason, locked=True)
    others = [
        a.user
        for a in project.assignments.filter(released_on__isnull=True).select_related("user")
        if a.user_id != getattr(actor, "pk", None)
    ]
    notify(
        others, kind="transfer.project_stage", about=project,
        subject=gettext_lazy("Project “%(title)s” is now at stage %(stage)s"),
        params={"title": project.title,
                "stage": choice_label(project, "stage")},
        body=reason,
        url=project.get_absolute_url(),
    )
    return project


def _assign(project, *, actor, user, role, assigned_on=None) -> ProjectAssignment:
    require_manager(user)
    if project.assignments.filter(user=user, released_on__isnull=True).exists():
        raise field_error("user", _("This manager is already on the project."), "already_assigned")
    if (
        role == ManagerRole.LEAD
        and project.assignments.filter(role=ManagerRole.LEAD, released_on__isnull=True).exists()
    ):
        raise field_error("role", _("The project already has a lead manager."), "lead_exists")
    assignment = ProjectAssignment.objects.create(
        project=project, user=user, role=role, assigned_on=assigned_on or timezone.localdate()
    )
    record_change(
        actor=actor, obj=assignment, action=ObjectChange.Action.CREATE, before=None, related=project
    )
    record_event(
        actor=actor,
        obj=project,
        event_type=E.MANAGER_ASSIGNED,
        data={"user": user.pk, "role": role},
    )
    if user.pk != getattr(actor, "pk", None):
        notify(
            [user], kind="transfer.project_assigned", about=project,
            subject=gettext_lazy("You were assigned to the project “%(title)s”"),
            params={"title": project.title}, url=project.get_absolute_url(),
        )
    return assignment


@transaction.atomic
def assign_manager(project, *, actor, user, role=ManagerRole.SUPPORTING) -> ProjectAssignment:
    """Put a technology manager on the project (one lead at a time)."""
    project = _locked(project)
    policies.require(actor, "assign_manager", project)
    assignment = _assign(project, actor=actor, user=user, role=role)
    _bump(project)
    return assignment


@transaction.atomic
def release_manager(assignment, *, actor) -> ProjectAssignment:
    """End a manager's assignment; their past activities keep their attribution."""
    project = _locked(assignment.project)
    assignment = ProjectAssignment.objects.select_for_update().get(pk=assignment.pk)
    policies.require(actor, "release", assignment)  # a supporting manager cannot release the lead
    if assignment.released_on is not None:
        return assignment
    before = snapshot(assignment)
    assignment.released_on = timezone.localdate()
    assignment.save()
    record_change(
        actor=actor,
        obj=assignment,
        action=ObjectChange.Action.UPDATE,
        before=before,
        related=project,
    )
    record_event(
        actor=actor, obj=project, event_type=E.MANAGER_RELEASED, data={"user": assignment.user_id}
    )
    _bump(project)
    return assignment


@transaction.atomic
def record_activity(
    project,
    *,
    actor,
    kind,
    summary,
    manager=None,
    occurred_at=None,
    details="",
    counterpart=None,
    counterpart_person="",
) -> Activity:
    """Log what a manager did. An introduction is attributed to exactly one assigned manager
    and timestamped, which is how credit for a deal is traced later."""
    project = _locked(project)
    policies.require(actor, "record_activity", project)
    manager = manager or actor
    if not project.assignments.filter(user=manager, released_on__isnull=True).exists():
        raise field_error(
            "manager",
            _("Activities are attributed to a manager assigned to the project."),
            "not_assigned",
        )
    occurred_at = occurred_at or timezone.now()
    validate_dates({"occurred_at": occurred_at}, occurred_at=validate_happened_date)
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise field_error("occurred_at", _("An activity cannot be in the future."), "future")
    if kind == ActivityKind.INTRODUCTION and counterpart is None:
        raise field_error(
            "counterpart", _("Name the organisation that was introduced."), "counterpart_required"
        )
    activity = Activity(
        project=project,
        kind=kind,
        summary=summary,
        manager=manager,
        occurred_at=occurred_at,
        details=details,
        counterpart=counterpart,
        counterpart_person=counterpart_person,
        recorded_by=actor_user(actor),
    )
    activity.full_clean()
    activity.save()
    record_change(
        actor=actor, obj=activity, action=ObjectChange.Action.CREATE, before=None, related=project
    )
    if kind == ActivityKind.INTRODUCTION:
        record_event(
            actor=actor,
            obj=project,
            event_type=E.INTRODUCTION,
            data={
                "manager": manager.pk,
                "counterpart": counterpart.pk,
                "activity": activity.pk,
                "at": occurred_at.isoformat(),
            },
        )
        if counterpart is not None:
            project.partners.add(counterpart)
    _bump(project)
    return activity
