"""Every write to title rounds and applications (SPEC §6, issue 16 item 4).

Each write checks the policy, locks the row, validates, saves and audits in one transaction:
`record_change` for fields, the workflow's `record_event` for steps. The applicant is told when
their application is returned and when its result is decided (tmhub.evaluation.notices; the
e-mail goes once the transaction commits)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.evaluation import notices
from tmhub.evaluation.choices import RETURNABLE_FIELDS, ObjectionStatus, ReturnStage
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import Objection, ReturnComment, TitleApplication, TitleRound
from tmhub.evaluation.services.results import level_name, tell_decision
from tmhub.evaluation.workflows import APPLICATION_WORKFLOW

APPLICATION_FIELDS = list(RETURNABLE_FIELDS)


# ---------------------------------------------------------------- rounds
@transaction.atomic
def open_round(*, actor, year: int, opens_on, closes_on) -> TitleRound:
    """The bureau opens a year's round (who may: `TitleRoundPolicy.can_create`)."""
    round_ = TitleRound(year=year, opens_on=opens_on, closes_on=closes_on,
                        created_by=actor_user(actor))
    policies.require(actor, "create", round_)
    if closes_on < opens_on:
        raise field_error("closes_on", _("The round closes before it opens."), "dates_reversed")
    round_.full_clean()
    round_.save()
    record_change(actor=actor, obj=round_, action=ObjectChange.Action.CREATE, before=None)
    return round_


def open_rounds(on=None):
    on = on or timezone.localdate()
    return TitleRound.objects.filter(opens_on__lte=on, closes_on__gte=on)


# ---------------------------------------------------------------- applications
def _validate(application) -> None:
    application.full_clean(exclude=["applicant", "institution", "round", "created_by"])
    if application.current_title_id is None and application.years_in_current_title:
        raise field_error("years_in_current_title",
                          _("Without a current title the years in it are 0."), "no_title_years")
    if application.current_title_id and \
            application.current_title.rank >= application.level.rank:
        raise field_error("level", _("Apply for a level above your current title."),
                          "level_not_higher")


@transaction.atomic
def create_application(*, actor, round, **values) -> TitleApplication:
    """A technology manager starts a draft in an open round (for themself only)."""
    user = actor_user(actor)
    profile = getattr(user, "manager_profile", None) if user is not None else None
    probe = TitleApplication(round=round, created_by=user)
    policies.require(actor, "create", TitleApplication)
    if profile is None:
        raise ValidationError(_("Create your technology-manager profile first."),
                              code="no_profile")
    if profile.employer_id is None:
        raise ValidationError(_("Your profile names no employer: the employer reviews and "
                                "endorses the application."), code="no_employer")
    if not round.is_open(timezone.localdate()):
        raise field_error("round", _("This round does not accept applications today."),
                          "round_closed")
    if TitleApplication.objects.filter(round=round, applicant=profile).exclude(
            status=S.WITHDRAWN).exists():
        raise field_error("round", _("You already have an application in this round."),
                          "already_applied")
    probe.applicant = profile
    probe.institution_id = profile.employer_id
    for key in APPLICATION_FIELDS:
        if key in values:
            setattr(probe, key, values[key])
    _validate(probe)
    probe.save()
    record_change(actor=actor, obj=probe, action=ObjectChange.Action.CREATE, before=None)
    return probe


@transaction.atomic
def update_application(application, *, actor, **values) -> TitleApplication:
    """The applicant changes a draft or a returned application."""
    policies.require(actor, "change", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    before = snapshot(application)
    for key in APPLICATION_FIELDS:
        if key in values:
            setattr(application, key, values[key])
    _validate(application)
    application.save()
    record_change(actor=actor, obj=application, action=ObjectChange.Action.UPDATE,
                  before=before)
    return application


@transaction.atomic
def step_application(application, target: str, *, actor, reason: str = "") -> TitleApplication:
    """Take one plain step of APPLICATION_WORKFLOW (those with their own form are refused
    here: a return needs its comments, a vote its tally)."""
    from tmhub.evaluation.workflows import FORM_STEPS

    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    if (application.status, target) in FORM_STEPS:
        raise ValidationError(_("This step is taken on its own form."), code="needs_form")
    APPLICATION_WORKFLOW.transition(application, target, actor=actor, reason=reason or "",
                                    locked=True)
    tell_decision(application, reason=(reason or "").strip())
    return application


@transaction.atomic
def return_application(application, *, actor, comments: dict[str, str],
                       reason: str = "") -> TitleApplication:
    """Return the application for changes with a comment on each field to change: by the
    employer (on review) or by the bureau (at the intake check)."""
    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    given = {k: (v or "").strip() for k, v in comments.items() if (v or "").strip()}
    unknown = set(given) - set(RETURNABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Comments can be given on the application's fields only."),
                              code="unknown_field")
    if not given:
        raise ValidationError(_("Say which fields to change: write at least one comment."),
                              code="comments_required")
    stage = ReturnStage.EMPLOYER if application.status == S.SUBMITTED else ReturnStage.INTAKE
    APPLICATION_WORKFLOW.transition(
        application, S.RETURNED, actor=actor, locked=True,
        reason=reason or _("Returned for changes"),
        data={"stage": str(stage), "fields": sorted(given)})
    for name, text in given.items():
        comment = ReturnComment(application=application, stage=stage, field=name,
                                text=text[:1000], created_by=actor_user(actor))
        comment.full_clean(exclude=["application", "created_by"])
        comment.save()
        record_change(actor=actor, obj=comment, action=ObjectChange.Action.CREATE,
                      before=None, related=application)
    _tell_returned(application, reason=(reason or "").strip())
    return application


def _tell_returned(application, *, reason: str) -> None:
    """The applicant learns their application came back, with the reason and a link to it
    (the comments are read beside the fields there)."""
    notify([application.applicant.user], kind=notices.RETURNED.key, about=application,
           url=application.get_absolute_url(),
           subject=gettext_lazy("Your application for the title %(level)s was returned for "
                                "changes"),
           params={"level": level_name(application)},
           body=reason or gettext_lazy("Read the comments beside the fields, change them and "
                                       "submit the application again."))


@transaction.atomic
def record_vote(application, *, actor, panel_size: int, members_present: int, votes_for: int,
                votes_against: int, votes_abstain: int) -> TitleApplication:
    """The bureau records the panel's vote; the application then moves to the public notice
    of the result (threshold reached) or to not approved. Without a quorum no vote is held:
    the tally is refused."""
    from tmhub.evaluation.tally import outcome
    from tmhub.evaluation.workflows import _procedure

    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != S.VOTE:
        raise ValidationError(_("The application is not awaiting a vote."),
                              code="illegal_transition")
    if not policies.allows(actor, "run_round", application):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")
    from tmhub.evaluation.services.panels import panel_for

    panel = panel_for(application)
    if panel is not None and panel.memberships.count() != panel_size:
        raise field_error("panel_size", _("The panel of this level and direction has %(n)s "
                                          "members.") % {"n": panel.memberships.count()},
                          "panel_size_mismatch")
    if members_present > panel_size:
        raise field_error("members_present", _("More members present than the panel has."),
                          "too_many_present")
    if votes_for + votes_against + votes_abstain != members_present:
        raise field_error("votes_for", _("Votes for, against and abstentions must add up to "
                                         "the members present."), "tally_mismatch")
    before = snapshot(application)
    application.panel_size, application.members_present = panel_size, members_present
    application.votes_for, application.votes_against = votes_for, votes_against
    application.votes_abstain = votes_abstain
    result = outcome(application, _procedure())
    if not result.quorum_met:
        raise field_error(
            "members_present",
            _("No quorum: at least %(n)s of %(size)s members must be present.")
            % {"n": result.needed_present, "size": panel_size}, "no_quorum")
    application.save()
    record_change(actor=actor, obj=application, action=ObjectChange.Action.UPDATE,
                  before=before)
    target = S.RESULT_NOTICE if result.passed else S.NOT_APPROVED
    APPLICATION_WORKFLOW.transition(
        application, target, actor=actor, locked=True,
        reason=_("%(for)s for, %(against)s against, %(abstain)s abstaining of %(present)s "
                 "present (%(needed)s needed)") % {
            "for": votes_for, "against": votes_against, "abstain": votes_abstain,
            "present": members_present, "needed": result.needed_for},
        data={"panel_size": panel_size, "present": members_present, "for": votes_for,
              "against": votes_against, "abstain": votes_abstain})
    tell_decision(application)  # not approved: told now; passed: told after the notice
    return application


# ---------------------------------------------------------------- objections
@transaction.atomic
def record_objection(application, *, actor, received_on, text: str,
                     objector: str = "") -> Objection:
    """The bureau records an objection received during the public notice of the result."""
    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().get(pk=application.pk)
    if not policies.allows(actor, "run_round", application):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")
    if application.status != S.RESULT_NOTICE:
        raise ValidationError(_("Objections are received during the public notice of the "
                                "result."), code="not_in_notice")
    if received_on < application.result_notice_start or \
            received_on > application.result_notice_end:
        raise field_error("received_on", _("The notice ran from %(start)s to %(end)s.") % {
            "start": application.result_notice_start, "end": application.result_notice_end},
            "outside_notice")
    objection = Objection(application=application, received_on=received_on, text=text,
                          objector=objector, recorded_by=actor_user(actor))
    objection.full_clean(exclude=["application", "recorded_by"])
    objection.save()
    # Audited on the objection alone, not in the application's history: the applicant reads
    # that history, and the objector's name is kept from them.
    record_change(actor=actor, obj=objection, action=ObjectChange.Action.CREATE, before=None)
    return objection


@transaction.atomic
def resolve_objection(objection, *, actor, upheld: bool, resolution: str) -> Objection:
    """The bureau upholds or dismisses an objection, saying why (a second officer need not:
    the decision on the title follows as its own step)."""
    policies.require(actor, "change", objection)
    objection = Objection.objects.select_for_update().select_related("application").get(
        pk=objection.pk)
    if not policies.allows(actor, "run_round", objection.application):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection is already resolved."), code="resolved")
    if not (resolution or "").strip():
        raise field_error("resolution", _("Say how the objection was resolved."),
                          "resolution_required")
    before = snapshot(objection)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = actor_user(actor)
    objection.resolved_at = timezone.now()
    objection.full_clean(exclude=["application", "recorded_by", "resolved_by"])
    objection.save()
    record_change(actor=actor, obj=objection, action=ObjectChange.Action.UPDATE,
                  before=before)
    return objection
