"""Selecting pilots, their KPIs, managers, stage reports and reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.pilots import notices
from tmhub.pilots.choices import REPORTING_STAGES, AssignmentMode, ReportStatus, Stage
from tmhub.pilots.models import Assignment, Pilot, PilotKpi, StageReport
from tmhub.pilots.workflows import PILOT_WORKFLOW, REPORT_WORKFLOW

CREATE, UPDATE = ObjectChange.Action.CREATE, ObjectChange.Action.UPDATE
REMIND_DAYS = 30  # reminders go out this many days before a due date


def _locked(obj):
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _open(pilot) -> None:
    if pilot.stage == Stage.CLOSED:
        raise ValidationError(_("The pilot is closed."), code="pilot_closed")


@transaction.atomic
def select_pilot(*, actor, programme, code, title, institution, principal_investigator,
                 budget_fen, starts_on, ends_on, selection_reason, field=None,
                 district=None) -> Pilot:
    """The city selects a funded project as a pilot, saying why."""
    policies.require(actor, "create", Pilot)
    pilot = Pilot(
        programme=programme, code=(code or "").strip(), title=(title or "").strip(),
        institution=institution, principal_investigator=principal_investigator,
        budget_fen=budget_fen, starts_on=starts_on, ends_on=ends_on, field=field,
        district=district if district is not None else institution.district,
        selection_reason=(selection_reason or "").strip(), selected_by=actor_user(actor),
        selected_on=timezone.localdate(),
    )
    PILOT_WORKFLOW.set_initial(pilot, Stage.FEASIBILITY)
    errors = {}
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The project cannot end before it starts.")
    if not pilot.selection_reason:
        errors["selection_reason"] = _("Say why the city selects this project.")
    if errors:
        raise ValidationError(errors)
    pilot.full_clean()
    pilot.save()
    record_change(actor=actor, obj=pilot, action=CREATE, before=None)
    return pilot


@transaction.atomic
def add_kpi(pilot, *, actor, kpi_type, target, due_on, weight=1) -> PilotKpi:
    """A transfer KPI of the pilot, set by the city or the programme officer."""
    policies.require(actor, "steer", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    if pilot.kpis.filter(kpi_type=kpi_type).exists():
        raise ValidationError({"kpi_type": _("The pilot already has a KPI of this type.")})
    kpi = PilotKpi(pilot=pilot, kpi_type=kpi_type, target=target, due_on=due_on, weight=weight)
    kpi.full_clean()
    kpi.save()
    record_change(actor=actor, obj=kpi, action=CREATE, before=None, related=pilot)
    return kpi


@transaction.atomic
def report_kpi(kpi, *, actor, value, evidence) -> PilotKpi:
    """The value of a KPI the platform cannot count, with its evidence."""
    policies.require(actor, "report_kpi", kpi.pilot)
    kpi = PilotKpi.objects.select_for_update().select_related("kpi_type", "pilot").get(pk=kpi.pk)
    _open(kpi.pilot)
    if kpi.kpi_type.is_linked:
        raise ValidationError(
            _("This KPI is counted from the contracts linked to the pilot: link them instead."),
            code="kpi_counted")
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Say what proves the value (a document, a "
                                             "registration number, a link).")})
    before = snapshot(kpi)
    kpi.reported_value, kpi.evidence = Decimal(value), evidence
    kpi.reported_on, kpi.reported_by = timezone.localdate(), actor_user(actor)
    kpi.full_clean()
    kpi.save()
    record_change(actor=actor, obj=kpi, action=UPDATE, before=before, related=kpi.pilot)
    return kpi


def _check_contract(pilot, contract, actor) -> None:
    from tmhub.transfer.models import Contract

    if not Contract.objects.restrict(actor, VIEW).filter(pk=contract.pk).exists():
        raise ValidationError({"contract": _("No such contract.")})
    if contract.institution_id != pilot.institution_id:
        raise ValidationError(
            {"contract": _("Only contracts of the undertaking institution count for its pilot.")})


@transaction.atomic
def link_contract(pilot, *, actor, contract) -> Pilot:
    """Link a technology contract of the undertaking institution: it counts toward the KPIs."""
    policies.require(actor, "link", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    _check_contract(pilot, contract, actor)
    if pilot.contracts.filter(pk=contract.pk).exists():
        return pilot
    before = snapshot(pilot)
    pilot.contracts.add(contract)
    record_change(actor=actor, obj=pilot, action=UPDATE, before=before)
    return pilot


@transaction.atomic
def link_project(pilot, *, actor, project) -> Pilot:
    """Link a transfer project of the undertaking institution (its managers' recommendation
    and its contracts follow the pilot)."""
    from tmhub.transfer.models import Project

    policies.require(actor, "link", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    if not Project.objects.restrict(actor, VIEW).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("No such project.")})
    if project.institution_id != pilot.institution_id:
        raise ValidationError({"project": _("Only projects of the undertaking institution can "
                                            "be linked to its pilot.")})
    if pilot.projects.filter(pk=project.pk).exists():
        return pilot
    before = snapshot(pilot)
    pilot.projects.add(project)
    record_change(actor=actor, obj=pilot, action=UPDATE, before=before)
    return pilot


@transaction.atomic
def unlink_contract(pilot, *, actor, contract) -> Pilot:
    policies.require(actor, "link", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    if not pilot.contracts.filter(pk=contract.pk).exists():
        return pilot
    before = snapshot(pilot)
    pilot.contracts.remove(contract)
    record_change(actor=actor, obj=pilot, action=UPDATE, before=before)
    return pilot


def _is_registered_manager(user) -> bool:
    return user.is_active and user.memberships.filter(role=Role.MANAGER, is_active=True).exists()


@transaction.atomic
def assign_manager(pilot, *, actor, manager, mode, replaces: Assignment | None = None,
                   reason: str = "") -> Assignment:
    """Assign a manager one-to-one (they manage only this pilot) or one-to-many (one of
    several); with `replaces`, the replaced assignment ends the same day."""
    policies.require(actor, "steer", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    if not _is_registered_manager(manager):
        raise ValidationError({"manager": _("Only a registered technology manager can be "
                                            "assigned.")})
    # Lock the manager's open assignments: two pilots assigning the same person race here.
    others = list(Assignment.objects.select_for_update()
                  .filter(manager=manager, ended_on__isnull=True).exclude(pilot=pilot)
                  .exclude(pk=getattr(replaces, "pk", None)))
    if pilot.assignments.filter(manager=manager, ended_on__isnull=True).exists():
        raise ValidationError({"manager": _("This manager is already assigned to the pilot.")})
    if mode == AssignmentMode.ONE_TO_ONE and others:
        raise ValidationError({"mode": _("One to one: this manager already manages another "
                                         "pilot (%(code)s).") % {"code": others[0].pilot.code}})
    if any(a.mode == AssignmentMode.ONE_TO_ONE for a in others):
        raise ValidationError({"manager": _("This manager is assigned one to one to another "
                                            "pilot.")})
    today = timezone.localdate()
    assignment = Assignment(pilot=pilot, manager=manager, mode=mode, assigned_on=today,
                            assigned_by=actor_user(actor))
    assignment.full_clean()
    if replaces is not None:
        if replaces.pilot_id != pilot.pk:
            raise ValidationError(_("The replaced assignment is not this pilot's."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the manager is replaced.")})
    assignment.save()
    record_change(actor=actor, obj=assignment, action=CREATE, before=None, related=pilot)
    if replaces is not None:
        _end(replaces, actor=actor, reason=reason, replaced_by=assignment, on=today)
    notify([manager], kind=notices.ASSIGNED.key, about=pilot, url=pilot.get_absolute_url(),
           subject=gettext_lazy("You are assigned to the pilot %(code)s %(title)s"),
           params={"code": pilot.code, "title": pilot.title})
    return assignment


def _end(assignment, *, actor, reason, on, replaced_by=None) -> Assignment:
    assignment = _locked(assignment)
    if assignment.ended_on is not None:
        raise ValidationError(_("This assignment has already ended."), code="already_ended")
    before = snapshot(assignment)
    assignment.ended_on, assignment.end_reason = on, reason.strip()
    assignment.replaced_by = replaced_by
    assignment.save()
    record_change(actor=actor, obj=assignment, action=UPDATE, before=before,
                  related=assignment.pilot)
    return assignment


@transaction.atomic
def end_assignment(assignment, *, actor, reason) -> Assignment:
    policies.require(actor, "steer", assignment.pilot)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the assignment ends.")})
    return _end(assignment, actor=actor, reason=reason, on=timezone.localdate())


def _report_fields(done, risks, next_steps, kpi_progress) -> dict:
    values = {"done": (done or "").strip(), "risks": (risks or "").strip(),
              "next_steps": (next_steps or "").strip(),
              "kpi_progress": (kpi_progress or "").strip()}
    if not values["done"]:
        raise ValidationError({"done": _("Say what was done in this stage.")})
    return values


@transaction.atomic
def create_report(pilot, *, actor, done, risks="", next_steps="", kpi_progress="",
                  stage=None) -> StageReport:
    """The manager's report on the stage the pilot is in (never a later or an earlier one)."""
    policies.require(actor, "file_report", pilot)
    pilot = _locked(pilot)
    stage = stage or pilot.stage
    if stage not in REPORTING_STAGES or stage != pilot.stage:
        raise ValidationError(
            {"stage": _("A report can only be filed for the stage the pilot is in.")},
            code="stage_mismatch")
    if pilot.reports.filter(stage=stage).exists():
        raise ValidationError(_("This stage already has a report: open it to continue."),
                              code="report_exists")
    report = StageReport(pilot=pilot, stage=stage, author=actor_user(actor),
                         **_report_fields(done, risks, next_steps, kpi_progress))
    REPORT_WORKFLOW.set_initial(report, ReportStatus.DRAFT)
    report.full_clean()
    report.save()
    record_change(actor=actor, obj=report, action=CREATE, before=None, related=pilot)
    return report


@transaction.atomic
def edit_report(report, *, actor, done, risks="", next_steps="", kpi_progress="") -> StageReport:
    policies.require(actor, "edit", report)
    report = _locked(report)
    before = snapshot(report)
    for name, value in _report_fields(done, risks, next_steps, kpi_progress).items():
        setattr(report, name, value)
    report.full_clean()
    report.save()
    record_change(actor=actor, obj=report, action=UPDATE, before=before, related=report.pilot)
    return report


@transaction.atomic
def step_report(report, target, *, actor, reason="") -> StageReport:
    policies.require(actor, VIEW, report)
    report = _locked(report)
    REPORT_WORKFLOW.transition(report, target, actor=actor, reason=reason, locked=True)
    if target == ReportStatus.SUBMITTED:
        report.submitted_on = timezone.localdate()
        report.save(update_fields=["submitted_on"])
    pilot = report.pilot
    if target == ReportStatus.SUBMITTED:
        reviewers = [m.user for m in pilot.institution.memberships.filter(
            role=Role.INSTITUTION_ADMIN, is_active=True).select_related("user")]
    elif target == ReportStatus.INSTITUTION_REVIEWED:
        reviewers = list(pilot.programme.officers.all())
    else:
        reviewers = [report.author]
    notify(reviewers, kind=notices.REPORT.key, about=report, url=report.get_absolute_url(),
           subject=gettext_lazy("Pilot %(code)s: the report on “%(stage)s” is now “%(status)s”"),
           params={"code": pilot.code, "stage": report.get_stage_display(),
                   "status": report.get_status_display()})
    return report


@transaction.atomic
def set_stage_due(pilot, *, actor, due_on) -> Pilot:
    """When the manager's report on the current stage is due (reminders and My work read it);
    set by the city or the programme officer."""
    policies.require(actor, "steer", pilot)
    pilot = _locked(pilot)
    _open(pilot)
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The report cannot be due in the past.")})
    before = snapshot(pilot)
    pilot.stage_due_on = due_on
    pilot.save(update_fields=["stage_due_on", "updated_at"])
    record_change(actor=actor, obj=pilot, action=UPDATE, before=before)
    return pilot


@transaction.atomic
def step_pilot(pilot, target, *, actor, reason="") -> Pilot:
    policies.require(actor, VIEW, pilot)
    pilot = _locked(pilot)
    PILOT_WORKFLOW.transition(pilot, target, actor=actor, reason=reason, locked=True)
    return pilot


def send_due_reminders(*, actor, today: datetime.date | None = None) -> int:
    """Remind the active managers and the institution's administrators of KPIs and stage
    reports due within REMIND_DAYS; each due date is reminded of once. Returns how many."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMIND_DAYS)
    sent = 0
    kpis = (PilotKpi.objects.filter(due_on__range=(today, horizon), pilot__closed_on__isnull=True)
            .exclude(reminded_for=models_F("due_on")).select_related("pilot", "kpi_type"))
    for kpi in kpis:
        with transaction.atomic():
            locked = PilotKpi.objects.select_for_update().get(pk=kpi.pk)
            if locked.reminded_for == locked.due_on:
                continue
            before = snapshot(locked)
            locked.reminded_for = locked.due_on
            locked.save(update_fields=["reminded_for"])
            record_change(actor=actor, obj=locked, action=UPDATE, before=before,
                          related=kpi.pilot)
            notify(_pilot_people(kpi.pilot), kind=notices.REMINDER.key, about=locked,
                   url=kpi.pilot.get_absolute_url(),
                   subject=gettext_lazy("Pilot %(code)s: the KPI “%(kpi)s” is due on %(due)s"),
                   params={"code": kpi.pilot.code, "kpi": kpi.kpi_type.name_zh,
                           "due": kpi.due_on.isoformat()})
            sent += 1
    pilots = (Pilot.objects.filter(stage_due_on__range=(today, horizon))
              .exclude(stage=Stage.CLOSED).exclude(stage_reminded_for=models_F("stage_due_on")))
    for pilot in pilots:
        with transaction.atomic():
            locked = _locked(pilot)
            if locked.stage_reminded_for == locked.stage_due_on:
                continue
            before = snapshot(locked)
            locked.stage_reminded_for = locked.stage_due_on
            locked.save(update_fields=["stage_reminded_for"])
            record_change(actor=actor, obj=locked, action=UPDATE, before=before)
            notify(_pilot_people(locked), kind=notices.REMINDER.key, about=locked,
                   url=locked.get_absolute_url(),
                   subject=gettext_lazy("Pilot %(code)s: the report on “%(stage)s” is due on "
                                        "%(due)s"),
                   params={"code": locked.code, "stage": locked.get_stage_display(),
                           "due": locked.stage_due_on.isoformat()})
            sent += 1
    return sent


def models_F(name):
    from django.db.models import F

    return F(name)


def _pilot_people(pilot) -> list:
    managers = [a.manager for a in pilot.active_assignments().select_related("manager")]
    admins = [m.user for m in pilot.institution.memberships.filter(
        role=Role.INSTITUTION_ADMIN, is_active=True).select_related("user")]
    return managers + admins
