"""Attendance and assessment scores, and the completion they lead to.

Every recording re-evaluates the affected enrolments against the completion rule: an
enrolment becomes *completed* (and its certificate is issued) the moment the rule is met,
never because someone typed "completed".
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.actors import SYSTEM, actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.training.choices import CREDITED_ATTENDANCE, AttendanceStatus
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.completion import verdict_for
from tmhub.training.dashboard.cache import changed as dashboard_changed
from tmhub.training.dashboard.figures import tracked, watch
from tmhub.training.models import (
    Assessment,
    AssessmentResult,
    Attendance,
    Enrolment,
    Session,
)
from tmhub.training.workflows import ENROLMENT_WORKFLOW

# Who can attend a session: enrolled trainees, and those already complete (hours still count).
ATTENDING = (E.ENROLLED, E.COMPLETED)


def _require_recording(cohort, actor, verb):
    """The cohort policy's `mark_attendance` / `record_scores`, with the reason in the code."""
    if policies.allows(actor, verb, cohort):
        return
    if not policies.allows(actor, "manage", cohort):
        raise ValidationError(_("You are not allowed to manage this provider."),
                              code="forbidden")
    raise ValidationError(_("Attendance and scores are recorded while the cohort runs."),
                          code="not_running")


@transaction.atomic
@tracked
def record_attendance(session, entries: dict[int, str], *, actor) -> list[Attendance]:
    """Record (or correct) attendance for many trainees of one session in one go.

    `entries` maps enrolment id → attendance status. Credited statuses earn the session's
    class hours; the enrolment's and the session's running totals move by the difference.
    """
    session = Session.objects.select_for_update().select_related(
        "cohort__programme__provider", "course").get(pk=session.pk)
    _require_recording(session.cohort, actor, "mark_attendance")
    dashboard_changed()
    valid = set(AttendanceStatus.values)
    enrolments = {
        e.pk: e for e in Enrolment.objects.select_for_update().filter(
            cohort=session.cohort, pk__in=list(entries), status__in=ATTENDING)
    }
    watch(e.trainee_id for e in enrolments.values())
    errors = {}
    for enrolment_id, status in entries.items():
        if status not in valid:
            errors[str(enrolment_id)] = _("Unknown attendance status.")
        elif enrolment_id not in enrolments:
            errors[str(enrolment_id)] = _("This trainee is not enrolled in the cohort.")
    if errors:
        raise ValidationError({"entries": list(errors.values())}, code="invalid_entries")
    existing = {a.enrolment_id: a for a in Attendance.objects.select_for_update().filter(
        session=session, enrolment_id__in=list(entries))}
    changed, session_delta = [], Decimal("0")
    for enrolment_id, status in entries.items():
        hours = session.hours if status in CREDITED_ATTENDANCE else Decimal("0")
        row = existing.get(enrolment_id)
        if row is not None and row.status == status and row.hours == hours:
            continue
        before = snapshot(row) if row else None
        delta = hours - (row.hours if row else Decimal("0"))
        if row is None:
            row = Attendance(enrolment_id=enrolment_id, session=session)
        row.status, row.hours = status, hours
        row.recorded_by, row.recorded_at = actor_user(actor), timezone.now()
        row.save()
        record_change(actor=actor, obj=row, action=(
            ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE), before=before)
        if delta:
            Enrolment.objects.filter(pk=enrolment_id).update(
                hours_attended=F("hours_attended") + delta)
            session_delta += delta
        changed.append(row)
    if session_delta:
        Session.objects.filter(pk=session.pk).update(
            credited_hours_total=F("credited_hours_total") + session_delta)
    for row in changed:
        refresh_completion(enrolments[row.enrolment_id])
    return changed


def _parse_score(value, assessment):
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter a number."), code="invalid_score")
    if score < 0 or score > assessment.max_score:
        raise ValidationError(
            _("The score must be between 0 and %(max)s.") % {"max": assessment.max_score},
            code="out_of_range",
        )
    return score


@transaction.atomic
@tracked
def record_scores(assessment, scores: dict[int, object], *, actor) -> list[AssessmentResult]:
    """Record (or correct) scores of one assessment; blank values are left unrecorded."""
    assessment = Assessment.objects.select_for_update().select_related(
        "cohort__programme__provider").get(pk=assessment.pk)
    _require_recording(assessment.cohort, actor, "record_scores")
    enrolments = {
        e.pk: e for e in Enrolment.objects.select_for_update().filter(
            cohort=assessment.cohort, pk__in=list(scores), status__in=ATTENDING)
    }
    errors, parsed = [], {}
    for enrolment_id, value in scores.items():
        if value in (None, ""):
            continue
        if enrolment_id not in enrolments:
            errors.append(_("This trainee is not enrolled in the cohort."))
            continue
        try:
            parsed[enrolment_id] = _parse_score(value, assessment)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"scores": errors}, code="invalid_scores")
    existing = {r.enrolment_id: r for r in AssessmentResult.objects.select_for_update().filter(
        assessment=assessment, enrolment_id__in=list(parsed))}
    changed = []
    for enrolment_id, score in parsed.items():
        row = existing.get(enrolment_id)
        if row is not None and row.score == score:
            continue
        before = snapshot(row) if row else None
        row = row or AssessmentResult(assessment=assessment, enrolment_id=enrolment_id)
        row.score, row.recorded_by, row.recorded_at = score, actor_user(actor), timezone.now()
        row.save()
        record_change(actor=actor, obj=row, action=(
            ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE), before=before)
        changed.append(row)
    for row in changed:
        refresh_completion(enrolments[row.enrolment_id])
    return changed


def refresh_completion(enrolment) -> bool:
    """Complete an enrolled trainee whose record now meets the rule (the certificate is
    issued with it): the platform's step, taken the moment the rule is met (the caller holds
    the enrolment's lock)."""
    enrolment = Enrolment.objects.select_related("cohort__programme__provider",
                                                 "cohort__completion_rule").get(pk=enrolment.pk)
    if enrolment.status != E.ENROLLED or not enrolment.cohort.programme.level:
        return False
    verdict = verdict_for(enrolment)
    if verdict is None or not verdict.complete:
        return False
    watch([enrolment.trainee_id])
    ENROLMENT_WORKFLOW.transition(enrolment, E.COMPLETED, actor=SYSTEM, locked=True)
    return True


def close_enrolments(cohort) -> None:
    """At the end of a cohort (the platform's steps, part of finishing it): enrolled trainees
    who met the rule complete, the others do not; requests still pending or waiting are
    withdrawn. Non-level cohorts just close."""
    from tmhub.core.notifications import notify

    dashboard_changed()
    mine = Enrolment.objects.select_for_update().filter(cohort_id=cohort.pk)
    watch(mine.values_list("trainee_id", flat=True))
    for enrolment in mine.filter(status=E.ENROLLED):
        if cohort.programme.level and refresh_completion(enrolment):
            continue
        closing = E.NOT_COMPLETED if cohort.programme.level else E.ATTENDED
        ENROLMENT_WORKFLOW.transition(enrolment, closing, actor=SYSTEM, locked=True)
    for enrolment in mine.filter(status__in=(E.PENDING, E.WAITLISTED)):
        ENROLMENT_WORKFLOW.transition(enrolment, E.WITHDRAWN, actor=SYSTEM, locked=True,
                                      reason=_("The cohort has finished."))
        notify([enrolment.trainee], kind="training.enrolment_status", about=enrolment,
               subject=gettext_lazy("The cohort has finished: %(cohort)s"),
               params={"cohort": cohort.title}, url=enrolment.get_absolute_url())
