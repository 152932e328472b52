"""Panels, reviewers and scores of the title rounds (issue 16 item 5). Every write checks the
policy, validates and is audited. Assignments, conflicts and scores are audited on their own
rows, never in the application's history: the applicant reads that history and never learns who
reviewed them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.evaluation import notices
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import (
    ConflictDeclaration,
    PanelMember,
    ReviewAssignment,
    ReviewScore,
    ScoringCriterion,
    TitleApplication,
    TitleExpert,
    TitlePanel,
)
from tmhub.evaluation.policies import is_bureau
from tmhub.evaluation.services.results import level_name
from tmhub.evaluation.tally import Scored, weighted_score


def _bureau(actor):
    if not is_bureau(get_scope(actor_user(actor))):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")


def criteria_in_force(on=None):
    return list(ScoringCriterion.objects.in_force(on or timezone.localdate()))


def panel_for(application) -> TitlePanel | None:
    return TitlePanel.objects.filter(round_id=application.round_id, level_id=application.level_id,
                                     direction_id=application.direction_id).first()


# ---------------------------------------------------------------- the pool and the panels
@transaction.atomic
def add_expert(*, actor, user, full_name: str, institution, specialty: str = "") -> TitleExpert:
    """The bureau adds a platform user holding the reviewer role to the expert pool."""
    expert = TitleExpert(user=user, full_name=(full_name or "").strip(), institution=institution,
                         specialty=specialty or "")
    policies.require(actor, "create", expert)
    if not get_scope(user).has_role(Role.REVIEWER):
        raise field_error("user", _("Only a user holding the reviewer role can join the pool."),
                          "not_a_reviewer")
    if TitleExpert.objects.filter(user=user).exists():
        raise field_error("user", _("This user is already in the pool."), "already_in_pool")
    expert.full_clean(exclude=["user", "institution"])
    expert.save()
    record_change(actor=actor, obj=expert, action=ObjectChange.Action.CREATE, before=None)
    return expert


@transaction.atomic
def create_panel(*, actor, round, level, direction, name: str) -> TitlePanel:
    panel = TitlePanel(round=round, level=level, direction=direction,
                       name=(name or "").strip(), created_by=actor_user(actor))
    policies.require(actor, "create", panel)
    if TitlePanel.objects.filter(round=round, level=level, direction=direction).exists():
        raise field_error("level", _("This round already has a panel for that level and "
                                     "direction."), "panel_exists")
    panel.full_clean(exclude=["round", "level", "direction", "created_by"])
    panel.save()
    record_change(actor=actor, obj=panel, action=ObjectChange.Action.CREATE, before=None)
    return panel


@transaction.atomic
def add_member(panel, *, actor, expert, is_chair: bool = False) -> PanelMember:
    policies.require(actor, "manage", panel)
    if not expert.active:
        raise field_error("expert", _("This expert is no longer active in the pool."),
                          "inactive_expert")
    if panel.memberships.filter(expert=expert).exists():
        raise field_error("expert", _("Already a member of this panel."), "already_member")
    if is_chair and panel.memberships.filter(is_chair=True).exists():
        raise field_error("is_chair", _("The panel already has a chair."), "chair_exists")
    member = PanelMember.objects.create(panel=panel, expert=expert, is_chair=is_chair)
    record_change(actor=actor, obj=member, action=ObjectChange.Action.CREATE, before=None,
                  related=panel)
    return member


@transaction.atomic
def remove_member(member, *, actor) -> None:
    policies.require(actor, "manage", member.panel)
    if member.panel.assignments.filter(expert=member.expert).exists():
        raise ValidationError(_("This member has reviews assigned on the panel."),
                              code="member_has_reviews")
    record_change(actor=actor, obj=member, action=ObjectChange.Action.DELETE,
                  before=snapshot(member), related=member.panel)
    member.delete()


# ---------------------------------------------------------------- assignment and conflicts
def conflict_of(expert, application) -> str | None:
    """Why `expert` may not review `application` (a code), or None."""
    if expert.user_id == application.applicant.user_id:
        return "own_application"
    if expert.institution_id == application.institution_id:
        return "same_institution"
    if ConflictDeclaration.objects.filter(expert=expert, application=application).exists():
        return "declared_conflict"
    return None


CONFLICT_MESSAGES = {
    "own_application": _("An expert never reviews their own application."),
    "same_institution": _("The expert works for the applicant's institution and may not "
                          "review this application."),
    "declared_conflict": _("A conflict of interest of this expert with the application is "
                           "on record."),
}


@transaction.atomic
def assign_reviewer(application, *, actor, expert) -> ReviewAssignment:
    """The bureau assigns a member of the application's panel to review it; refused for an
    expert of the applicant's institution or with a declared conflict."""
    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().select_related("applicant").get(
        pk=application.pk)
    if not policies.allows(actor, "run_round", application):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")
    if application.status != S.PANEL_REVIEW:
        raise ValidationError(_("Reviewers are assigned while the application is under panel "
                                "review."), code="not_in_review")
    panel = panel_for(application)
    if panel is None:
        raise ValidationError(_("Form the panel of this level and direction first."),
                              code="no_panel")
    if not panel.memberships.filter(expert=expert).exists():
        raise field_error("expert", _("Choose a member of the panel."), "not_a_member")
    conflict = conflict_of(expert, application)
    if conflict:
        raise field_error("expert", str(CONFLICT_MESSAGES[conflict]), conflict)
    if application.assignments.filter(expert=expert).exists():
        raise field_error("expert", _("This expert is already assigned."), "already_assigned")
    assignment = ReviewAssignment.objects.create(application=application, panel=panel,
                                                 expert=expert, assigned_by=actor_user(actor))
    record_change(actor=actor, obj=assignment, action=ObjectChange.Action.CREATE, before=None)
    # The expert is told where to review and score (what the review page shows, no more: never
    # the applicant's ID number).
    notify([expert.user], kind=notices.REVIEW_ASSIGNED.key, about=assignment,
           url=assignment.get_absolute_url(),
           subject=gettext_lazy("A title application to review: %(name)s (%(level)s)"),
           params={"name": application.applicant.full_name,
                   "level": level_name(application), "panel": panel.name},
           body=gettext_lazy("You are assigned to review this application on the panel "
                             "%(panel)s. Declare a conflict of interest on the review page if "
                             "you have one."))
    return assignment


@transaction.atomic
def declare_conflict(application, *, actor, expert, reason: str) -> ConflictDeclaration:
    """A conflict of interest: declared by the expert on an application assigned to them (the
    assignment is then recused), or recorded by the bureau for any expert of the pool."""
    user = actor_user(actor)
    own = user is not None and expert.user_id == user.pk
    assignment = ReviewAssignment.objects.select_for_update().filter(
        application=application, expert=expert).first()
    if own:
        if assignment is None or not assignment.is_active:
            raise ValidationError(_("Declare a conflict on an application assigned to you."),
                                  code="not_assigned")
    else:
        _bureau(actor)
        policies.require(actor, "view", application)
    if not (reason or "").strip():
        raise field_error("reason", _("Say what the conflict of interest is."),
                          "reason_required")
    if ConflictDeclaration.objects.filter(expert=expert, application=application).exists():
        raise ValidationError(_("This conflict is already declared."), code="already_declared")
    declaration = ConflictDeclaration(expert=expert, application=application,
                                      reason=reason.strip(), declared_by=user)
    declaration.full_clean(exclude=["expert", "application", "declared_by"])
    declaration.save()
    record_change(actor=actor, obj=declaration, action=ObjectChange.Action.CREATE, before=None)
    if assignment is not None and assignment.is_active:
        before = snapshot(assignment)
        assignment.recused_at = timezone.now()
        assignment.save(update_fields=["recused_at"])
        record_change(actor=actor, obj=assignment, action=ObjectChange.Action.UPDATE,
                      before=before)
    return declaration


# ---------------------------------------------------------------- scores
@transaction.atomic
def submit_scores(assignment, *, actor, scores: dict[str, int],
                  comment: str = "") -> ReviewAssignment:
    """The assigned reviewer scores every criterion in force; the weighted total is kept. A
    later submission during the review corrects the scores (audited, before and after)."""
    policies.require(actor, "view", assignment)
    assignment = ReviewAssignment.objects.select_for_update().select_related(
        "application", "expert").get(pk=assignment.pk)
    if not policies.allows(actor, "score", assignment):
        raise ValidationError(_("You are not allowed to take this step."),
                              code="transition_forbidden")
    criteria = criteria_in_force()
    if not criteria:
        raise ValidationError(_("No scoring criterion is in force today."),
                              code="no_criteria")
    errors = {}
    items = []
    for criterion in criteria:
        value = scores.get(criterion.code)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            errors[f"score_{criterion.code}"] = _("Give a whole-number score.")
        elif not 0 <= value <= criterion.max_score:
            errors[f"score_{criterion.code}"] = _("Between 0 and %(max)s.") % {
                "max": criterion.max_score}
        else:
            items.append((criterion, value))
    unknown = set(scores) - {c.code for c in criteria}
    if unknown:
        errors["scores"] = _("Score the criteria in force only.")
    if errors:
        raise ValidationError(errors, code="bad_scores")
    before = snapshot(assignment)
    existing = {score.criterion_id: score for score in assignment.scores.all()}
    for criterion, value in items:
        score = existing.get(criterion.pk)
        if score is None:
            score = ReviewScore.objects.create(assignment=assignment, criterion=criterion,
                                               score=value)
            record_change(actor=actor, obj=score, action=ObjectChange.Action.CREATE,
                          before=None, related=assignment)
        elif score.score != value:
            score_before = snapshot(score)
            score.score = value
            score.save(update_fields=["score"])
            record_change(actor=actor, obj=score, action=ObjectChange.Action.UPDATE,
                          before=score_before, related=assignment)
    assignment.total = weighted_score(
        Scored(value, criterion.max_score, criterion.weight) for criterion, value in items)
    assignment.comment = (comment or "").strip()[:3000]
    assignment.submitted_at = timezone.now()
    assignment.save()
    record_change(actor=actor, obj=assignment, action=ObjectChange.Action.UPDATE,
                  before=before)
    return assignment


def reviews_complete(application) -> list[str]:
    """What is missing before the review can close (codes): a panel, one reviewer at least,
    every active reviewer's scores."""
    active = application.assignments.filter(recused_at__isnull=True)
    missing = []
    if panel_for(application) is None:
        missing.append("no_panel")
    if not active.exists():
        missing.append("no_reviewer")
    elif active.filter(submitted_at__isnull=True).exists():
        missing.append("scores_missing")
    return missing
