"""Every write to the case library (issue 17 item 5): drafting a case from a transfer project
(its figures read from the records into a snapshot, see tmhub.evaluation.models.cases), editing
its narrative and withheld figures, reading the records again, recording the parties' consent
and taking the workflow's steps. Each write is audited in its transaction.

`published_cases_for_manager(user)` is what the spotlight page lists for a manager."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.evaluation.case_choices import CaseEvent, CaseStatus
from tmhub.evaluation.case_facts import consenting_parties, read_facts
from tmhub.evaluation.case_workflows import CASE_WORKFLOW
from tmhub.evaluation.models import CaseConsent, TransferCase
from tmhub.evaluation.models.cases import NARRATIVE, WITHHOLD_FLAGS
from tmhub.transfer.choices import CONTRACT_KIND_MODE, SplitStatus, Stage

# A case tells a deal that was done: the project reached one of these stages.
CONCLUDED = (Stage.TRANSACTION, Stage.LANDING)
TEXT_FIELDS = tuple(f"{name}_{lang}" for name in NARRATIVE for lang in ("zh", "en"))
EDITABLE_FIELDS = (*TEXT_FIELDS, *WITHHOLD_FLAGS.values())


def draftable_projects(actor):
    """The projects at 交易 or 落地 that `actor` may draft a case from."""
    from tmhub.core.access import get_scope
    from tmhub.transfer.models import Project, ProjectAssignment

    scope = get_scope(actor)
    projects = Project.objects.restrict(actor, VIEW).filter(stage__in=CONCLUDED)
    if scope.is_municipal:
        return projects
    from tmhub.core.roles import Role

    condition = Q(pk__in=ProjectAssignment.objects.filter(
        user_id=scope.user_id, released_on__isnull=True).values("project_id"))
    condition |= Q(institution_id__in=scope.orgs(Role.INSTITUTION_ADMIN))
    return projects.filter(condition)


def _classify(case: TransferCase, project) -> None:
    """The field, discipline, transfer mode and contract kind the public lists filter by, as
    the project and its records give them."""
    from tmhub.transfer.models import RewardSplit

    achievements = list(project.achievements.order_by("id"))
    case.field_id = project.field_id or next(
        (a.field_id for a in achievements if a.field_id), None)
    case.discipline_id = next((a.discipline_id for a in achievements if a.discipline_id),
                              None)
    main = project.contracts.order_by("-amount_fen", "signed_on", "id").first()
    case.contract_kind = main.kind if main else ""
    split = RewardSplit.objects.filter(
        Q(project=project) | Q(contract__project=project),
        status=SplitStatus.APPROVED).order_by("-amount_fen", "id").first()
    mode = split.transfer_mode if split else ""
    if not mode and achievements and achievements[0].transfer_mode:
        mode = achievements[0].transfer_mode
    if not mode and main:
        mode = CONTRACT_KIND_MODE.get(main.kind, "")
    case.transfer_mode = mode or ""


def _pull(case: TransferCase, project) -> None:
    case.facts = read_facts(project)
    case.facts_as_of = timezone.now()
    _classify(case, project)


def _check_concluded(project) -> None:
    if project.stage not in CONCLUDED:
        raise field_error(
            "project",
            _("A case is drafted from a project that reached the transaction or landing stage; "
              "this project is at “%(stage)s”.") % {"stage": project.get_stage_display()},
            "project_not_concluded")


def _clean_text(values: dict) -> dict:
    return {k: (values[k] or "").strip() if isinstance(values[k], str) else values[k]
            for k in values if k in EDITABLE_FIELDS}


@transaction.atomic
def draft_case(*, actor, project, **values) -> TransferCase:
    """Draft a case from `project` (at 交易 or 落地), its figures read from the records now.
    `values`: the narrative (`title_zh`, `background_zh`, `actions_zh`, `lessons_zh`
    required; the `_en` ones optional) and the withholding flags."""
    from tmhub.transfer.models import Project

    project = Project.objects.select_for_update().get(pk=project.pk)
    case = TransferCase(project=project, institution_id=project.institution_id,
                        created_by=actor_user(actor), **_clean_text(values))
    if not Project.objects.restrict(actor, VIEW).filter(pk=project.pk).exists() or \
            not policies.allows(actor, "create", case):
        raise field_error("project", _("You cannot draft a case from this project."),
                          "project_not_yours")
    _check_concluded(project)
    _pull(case, project)
    case.full_clean(exclude=["created_by"])
    CASE_WORKFLOW.set_initial(case, CaseStatus.DRAFT)
    case.save()
    record_change(actor=actor, obj=case, action=ObjectChange.Action.CREATE, before=None)
    return case


def _locked(case: TransferCase, actor, verb: str) -> TransferCase:
    policies.require(actor, VIEW, case)
    case = TransferCase.objects.select_for_update().select_related("project").get(pk=case.pk)
    policies.require(actor, verb, case)
    return case


@transaction.atomic
def update_case(case: TransferCase, *, actor, **values) -> TransferCase:
    """Change the narrative or the withheld figures of a draft or returned case."""
    case = _locked(case, actor, "edit")
    before = snapshot(case)
    for name, value in _clean_text(values).items():
        setattr(case, name, value)
    case.full_clean(exclude=["created_by"])
    case.save()
    record_change(actor=actor, obj=case, action=ObjectChange.Action.UPDATE, before=before)
    return case


@transaction.atomic
def refresh_facts(case: TransferCase, *, actor) -> TransferCase:
    """Read the figures from the records again (draft or returned cases only): an explicit,
    audited step, the figures before and after kept in the change log."""
    case = _locked(case, actor, "edit")
    from tmhub.transfer.models import Project

    project = Project.objects.get(pk=case.project_id)
    _check_concluded(project)
    before = snapshot(case)
    _pull(case, project)
    case.save()
    record_change(actor=actor, obj=case, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=case, event_type=CaseEvent.FACTS_REFRESHED,
                 data={"facts_as_of": case.facts_as_of.isoformat()})
    return case


@transaction.atomic
def step_case(case: TransferCase, target: str, *, actor, reason: str = "") -> TransferCase:
    """Take one step of the case's workflow (submit, review, return, publish, withdraw,
    unpublish, reopen); the map's guards and four-eyes rule decide."""
    policies.require(actor, VIEW, case)
    case = TransferCase.objects.select_for_update().get(pk=case.pk)
    CASE_WORKFLOW.transition(case, target, actor=actor, reason=reason, locked=True)
    return case


@transaction.atomic
def record_consent(case: TransferCase, *, actor, party, consented_by: str, consented_on,
                   note: str = "", upload=None) -> CaseConsent:
    """Record one party's consent to publication, with who gave it, when, and the evidence:
    a document uploaded or a note of how it was given (one of them at least)."""
    from tmhub.transfer.services.achievements import check_attachment

    case = _locked(case, actor, "record_consent")
    parties = {p["organization"] for p in consenting_parties(case.facts)}
    if party is None or party.pk not in parties:
        raise field_error("party", _("Choose a party of this case."), "party_not_in_case")
    if case.consents.filter(party=party).exists():
        raise field_error("party", _("This party's consent is already recorded."),
                          "consent_exists")
    note = (note or "").strip()
    if upload is None and not note:
        raise field_error("note", _("Upload the consent document or say how the consent was "
                                    "given."), "consent_evidence_missing")
    consent = CaseConsent(case=case, party=party, consented_by=(consented_by or "").strip(),
                          consented_on=consented_on, note=note, recorded_by=actor_user(actor))
    if upload is not None:
        try:
            consent.evidence_name = check_attachment(upload)
        except Exception as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise field_error("evidence", messages[0], "bad_file") from exc
    consent.full_clean(exclude=["case", "party", "evidence"])
    if upload is not None:
        consent.evidence.save(consent.evidence_name, upload, save=False)
    consent.save()
    record_change(actor=actor, obj=consent, action=ObjectChange.Action.CREATE, before=None,
                  related=case)
    record_event(actor=actor, obj=case, event_type=CaseEvent.CONSENT_RECORDED,
                 data={"party": party.name, "consented_on": consented_on.isoformat()})
    return consent


def published_cases_for_manager(user):
    """The published cases of projects `user` was assigned to as a manager (at any time)."""
    from tmhub.transfer.models import ProjectAssignment

    projects = ProjectAssignment.objects.filter(user=user).values("project_id")
    return TransferCase.objects.filter(status=CaseStatus.PUBLISHED, project_id__in=projects)
