"""Representative works of a title application (issue 16 item 3): picked from the platform's
records the applicant took part in, or uploaded with evidence; each write checks the
application's policy (only its applicant, while it is a draft or returned) and is audited in the
application's history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.evaluation.choices import WorkKind, WorkRole
from tmhub.evaluation.models import RepresentativeWork, TitleApplication

MAX_WORKS = 20

# The kinds a picked record may be listed as (the first is the default).
RECORD_KINDS = {
    "contract": (WorkKind.CONTRACT,),
    "project": (WorkKind.TRANSFER_PROJECT, WorkKind.CASE_REPORT),
    "reward_split": (WorkKind.TRANSFER_PROJECT, WorkKind.AWARD),
}


def _user_of(application):
    return application.applicant.user


def pickable(application) -> dict:
    """The records the applicant took part in, by source: projects they were assigned to, the
    contracts of those projects, and approved reward statements that name them."""
    from tmhub.transfer.choices import SplitStatus
    from tmhub.transfer.models import Contract, Project, RewardSplit

    user = _user_of(application)
    return {
        "contract": Contract.objects.filter(project__assignments__user=user).distinct()
        .select_related("institution").order_by("-signed_on", "-id"),
        "project": Project.objects.filter(assignments__user=user).distinct()
        .select_related("institution").order_by("-started_on", "-id"),
        "reward_split": RewardSplit.objects.filter(
            allocations__user=user, status=SplitStatus.APPROVED).distinct()
        .select_related("institution", "contract").order_by("-income_date", "-id"),
    }


def _editable(application, actor):
    policies.require(actor, "change", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    if not policies.allows(actor, "change", application):
        raise ValidationError(_("Only a draft or a returned application can be changed."),
                              code="not_editable")
    if application.works.count() >= MAX_WORKS:
        raise ValidationError(_("At most %(n)s representative works.") % {"n": MAX_WORKS},
                              code="too_many_works")
    return application


def _check_role(role):
    if role not in WorkRole.values:
        raise field_error("role", _("Choose your role in the work."), "role_required")


def _next_position(application) -> int:
    last = application.works.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_work_from_record(application, *, actor, source: str, record_id: int, role: str,
                         role_detail: str = "", kind: str = "") -> RepresentativeWork:
    """List a platform record as a representative work; its title and figures come from the
    record. Only records the applicant took part in can be picked (others: not found)."""
    application = _editable(application, actor)
    if source not in RECORD_KINDS:
        raise field_error("source", _("Choose a contract, a project or a reward statement."),
                          "bad_source")
    record = pickable(application)[source].filter(pk=record_id).first()
    if record is None:
        raise field_error("record", _("Pick one of the records you took part in."),
                          "not_your_record")
    kinds = RECORD_KINDS[source]
    kind = kind or kinds[0]
    if kind not in kinds:
        raise field_error("kind", _("This record cannot be listed as that kind of work."),
                          "bad_kind")
    if application.works.filter(**{f"{source}_id": record.pk}).exists():
        raise field_error("record", _("This record is already listed."), "already_listed")
    _check_role(role)
    title = getattr(record, "title", "") or str(record)
    if source == "reward_split":
        title = _("Reward statement %(number)s") % {"number": record.number}
    work = RepresentativeWork(application=application, kind=kind, title=title[:200], role=role,
                              role_detail=role_detail or "", created_by=actor_user(actor),
                              position=_next_position(application),
                              happened_on=_record_date(source, record),
                              **{source: record})
    work.full_clean(exclude=["application", "created_by", "contract", "project",
                             "reward_split"])
    work.save()
    record_change(actor=actor, obj=work, action=ObjectChange.Action.CREATE, before=None,
                  related=application)
    return work


def _record_date(source, record):
    if source == "contract":
        return record.signed_on
    if source == "project":
        return record.landed_on or record.started_on
    return record.income_date


@transaction.atomic
def add_uploaded_work(application, *, actor, kind: str, title: str, role: str, upload,
                      role_detail: str = "", happened_on=None) -> RepresentativeWork:
    """A work the platform holds no record of (a paper, a standard, an award …), with its
    evidence file (size and type limited as every upload)."""
    from tmhub.transfer.services.achievements import check_attachment

    application = _editable(application, actor)
    if upload is None:
        raise field_error("evidence", _("Upload the evidence of this work."),
                          "evidence_required")
    if happened_on and happened_on > timezone.localdate():
        raise field_error("happened_on", _("The date cannot be in the future."), "future")
    _check_role(role)
    try:
        name = check_attachment(upload)
    except ValidationError as exc:
        raise field_error("evidence", exc.messages[0] if hasattr(exc, "messages") else str(exc),
                          "bad_file") from exc
    work = RepresentativeWork(application=application, kind=kind, title=(title or "").strip(),
                              role=role, role_detail=role_detail or "", happened_on=happened_on,
                              evidence_name=name, created_by=actor_user(actor),
                              position=_next_position(application))
    work.full_clean(exclude=["application", "created_by", "evidence"])
    work.evidence.save(name, upload, save=False)
    work.save()
    record_change(actor=actor, obj=work, action=ObjectChange.Action.CREATE, before=None,
                  related=application)
    return work


@transaction.atomic
def remove_work(work, *, actor) -> None:
    application = TitleApplication.objects.select_for_update().get(pk=work.application_id)
    if not policies.allows(actor, "change", application):
        raise ValidationError(_("Only a draft or a returned application can be changed."),
                              code="not_editable")
    record_change(actor=actor, obj=work, action=ObjectChange.Action.DELETE,
                  before=snapshot(work), related=application)
    storage, path = work.evidence.storage, work.evidence.name
    work.delete()
    if path:
        transaction.on_commit(lambda: storage.delete(path))


# ---------------------------------------------------------------- figures from the records
def _yuan(fen) -> str:
    from tmhub.transfer.rewards_engine import format_fen

    return format_fen(fen or 0)


def _project_stages(project) -> list[tuple[str, str]]:
    from tmhub.transfer.choices import Stage
    from tmhub.transfer.models import Project

    labels = dict(Stage.choices)
    events = WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk)
    ).exclude(to_state="").order_by("time", "id")
    return [(str(labels.get(e.to_state, e.to_state)),
             timezone.localtime(e.time).date().isoformat()) for e in events
            if e.to_state in labels]


def figures(work) -> list[tuple[str, str]]:
    """(label, value) read from the record the work was picked from, as it stands now; an
    uploaded work has its date and evidence file only."""
    rows: list[tuple[str, str]] = []
    if work.contract_id:
        c = work.contract
        rows += [(_("Contract number"), c.number), (_("Contract kind"), c.get_kind_display()),
                 (_("Institution"), c.institution.name),
                 (_("Contract amount (yuan)"), _yuan(c.amount_fen)),
                 (_("Received so far (yuan)"), _yuan(c.received_fen())),
                 (_("Signing date"), c.signed_on.isoformat())]
        if c.registration_number:
            rows.append((_("Technology-contract registration number"),
                         c.registration_number))
    elif work.project_id:
        p = work.project
        rows += [(_("Institution"), p.institution.name), (_("Stage"), p.get_stage_display()),
                 (_("Start date"), p.started_on.isoformat())]
        if p.landed_on:
            rows.append((_("Landing date"), p.landed_on.isoformat()))
        stages = _project_stages(p)
        if stages:
            rows.append((_("Stages reached"), "; ".join(f"{label} {day}"
                                                        for label, day in stages)))
        contracts = list(p.contracts.all())
        if contracts:
            rows.append((_("Contracts (yuan)"), "; ".join(
                f"{c.number} {_yuan(c.amount_fen)}" for c in contracts)))
    elif work.reward_split_id:
        s = work.reward_split
        mine = s.allocations.filter(user_id=_user_of(work.application).pk).first()
        rows += [(_("Statement number"), s.number or ""),
                 (_("Institution"), s.institution.name),
                 (_("Transfer mode"), s.get_transfer_mode_display()),
                 (_("Income date"), s.income_date.isoformat()),
                 (_("Amount to split (yuan)"), _yuan(s.amount_fen))]
        if s.contract_id:
            rows.append((_("Contract"), str(s.contract)))
        if mine is not None:
            rows.append((_("Your share of the team reward (yuan)"),
                         f"{_yuan(mine.amount_fen)} ({mine.contribution}%)"))
    else:
        if work.happened_on:
            rows.append((_("Date"), work.happened_on.isoformat()))
        if work.evidence_name:
            rows.append((_("Evidence"), work.evidence_name))
    return rows
