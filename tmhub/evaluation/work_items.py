"""What awaits a person's action in the title round (My work, tmhub.core.work_items):

- the applicant: a returned application to change and submit again (by the round's close);
- the employer's administrators: submitted applications to review, notices ended to endorse;
- a reviewer: the applications assigned to them to score while the panel reviews;
- the 市人社局: endorsed applications to check, reviews to close, votes to record, objections
  to resolve and results whose notice has ended.

Rows are narrowed by the application's policy and the workflow's own rules (`steps_open_to`),
never by a rule of this module."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tmhub.core import work_items
from tmhub.core.access import Scope, get_scope
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.choices import ObjectionStatus
from tmhub.evaluation.models import Objection, TitleApplication
from tmhub.evaluation.workflows import APPLICATION_WORKFLOW

RELATED = ("applicant", "level", "round", "institution")


def _as_scope(actor) -> Scope:
    return actor if isinstance(actor, Scope) else get_scope(actor)


def _steps(application, scope):
    return {t.target for t in work_items.steps_open_to(APPLICATION_WORKFLOW, application,
                                                       scope)}


def _rows(scope, *statuses):
    return work_items.restrict(
        TitleApplication.objects.filter(status__in=statuses).select_related(*RELATED), scope)


def _ended(last_day) -> bool:
    """A notice period is over once its last day has passed (Beijing's day)."""
    return last_day is not None and timezone.localdate() > last_day


def _params(application):
    return {"name": application.applicant.full_name, "level": application.level.name}


@work_items.register("evaluation.application_returned", module="evaluation",
                     label=gettext_lazy("Title applications returned to you"))
def returned_to_applicant(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    for application in _rows(scope, S.RETURNED):
        if S.SUBMITTED in _steps(application, scope):
            yield work_items.WorkItem(
                title=_("Change and submit again: %(level)s") % _params(application),
                url=application.get_absolute_url(), action_label=pgettext("my work", "Open"),
                due_on=application.round.closes_on, record=application)


@work_items.register("evaluation.employer_review", module="evaluation",
                     label=gettext_lazy("Title applications for your institution's review"))
def employer_review(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    for application in _rows(scope, S.SUBMITTED, S.EMPLOYER_NOTICE):
        steps = _steps(application, scope)
        if application.status == S.SUBMITTED and S.EMPLOYER_NOTICE in steps:
            yield work_items.WorkItem(
                title=_("Review the title application of %(name)s (%(level)s)")
                % _params(application),
                url=application.get_absolute_url(), action_label=_("Review"),
                due_on=application.round.closes_on, record=application)
        elif (application.status == S.EMPLOYER_NOTICE and S.ENDORSED in steps
              and _ended(application.employer_notice_end)):
            # work once the notice has ended (endorsement is refused before): the notice's
            # last day is when it may start, not a deadline
            yield work_items.WorkItem(
                title=_("Endorse %(name)s (%(level)s) after the employer notice")
                % _params(application),
                url=application.get_absolute_url(), action_label=_("Endorse"),
                record=application)


ROUND_STEPS = {
    S.ENDORSED: (S.PANEL_REVIEW, gettext_lazy("Intake check of %(name)s (%(level)s)")),
    S.PANEL_REVIEW: (S.VOTE, gettext_lazy("Close the review of %(name)s (%(level)s)")),
    S.VOTE: (S.RESULT_NOTICE, gettext_lazy("Record the vote on %(name)s (%(level)s)")),
    S.RESULT_NOTICE: (S.APPROVED, gettext_lazy("Decide the title of %(name)s (%(level)s) "
                                               "after the public notice")),
}


@work_items.register("evaluation.run_round", module="evaluation",
                     label=gettext_lazy("Title applications awaiting the bureau"))
def bureau_steps(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    for application in _rows(scope, *ROUND_STEPS):
        target, title = ROUND_STEPS[application.status]
        if target not in _steps(application, scope):
            continue
        if application.status == S.RESULT_NOTICE and (
                not _ended(application.result_notice_end) or application.objections.filter(
                    status=ObjectionStatus.OPEN).exists()):
            continue  # decided once the notice has ended; an open objection is the work
        yield work_items.WorkItem(title=str(title) % _params(application),
                                  url=application.get_absolute_url(),
                                  action_label=pgettext("my work", "Open"),
                                  record=application)


@work_items.register("evaluation.objection", module="evaluation",
                     label=gettext_lazy("Objections to resolve"))
def objections_to_resolve(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = work_items.restrict(
        Objection.objects.filter(status=ObjectionStatus.OPEN).select_related(
            "application__applicant", "application__level"), scope, "change")
    for objection in rows:
        application = objection.application
        if S.APPROVED not in _steps(application, scope) and \
                S.NOT_APPROVED not in _steps(application, scope):
            continue
        yield work_items.WorkItem(
            title=_("Resolve the objection to %(name)s (%(level)s)") % _params(application),
            url=reverse("evaluation:objection-resolve", args=[objection.pk]),
            action_label=_("Resolve"), due_on=application.result_notice_end, record=objection)


@work_items.register("evaluation.review_to_score", module="evaluation",
                     label=gettext_lazy("Title reviews assigned"))
def reviews_to_score(scope):
    """A reviewer's own assignments still to score while the panel reviews (recused ones and
    those already scored are done)."""
    from tmhub.evaluation.models import ReviewAssignment

    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = work_items.restrict(ReviewAssignment.objects.filter(
        expert__user_id=scope.user_id, submitted_at__isnull=True, recused_at__isnull=True,
        application__status=S.PANEL_REVIEW).select_related(
        "application__applicant", "application__level"), scope)
    for assignment in rows:
        yield work_items.WorkItem(
            title=_("Score the application of %(name)s (%(level)s)") % _params(
                assignment.application),
            url=assignment.get_absolute_url(), action_label=_("Review and score"),
            record=assignment)
