"""Writes to the catalogue and to cohorts' structure: providers, programmes, courses,
instructors, cohorts (and their workflow), sessions, assessments, mentors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_dates, validate_planned_date
from tmhub.training.choices import EnrolmentStatus as E
from tmhub.training.dashboard.figures import tracked, watch
from tmhub.training.models import (
    Assessment,
    Cohort,
    Course,
    Enrolment,
    Instructor,
    MentorAssignment,
    Programme,
    Session,
    TrainingProvider,
)
from tmhub.training.workflows import COHORT_WORKFLOW


def _forbidden():
    return ValidationError(_("You are not allowed to manage this provider."), code="forbidden")


def _require(actor, verb, obj):
    """The policy's answer, refused with this module's error code (the UI shows it)."""
    if not policies.allows(actor, verb, obj):
        raise _forbidden()


def _create(model, *, actor, m2m=None, **values):
    obj = model(**values)
    obj.full_clean()
    obj.save()
    for name, items in (m2m or {}).items():
        getattr(obj, name).set(items)
    record_change(actor=actor, obj=obj, action=ObjectChange.Action.CREATE, before=None)
    return obj


def _update(obj, *, actor, fields, m2m=None, **values):
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = snapshot(obj)
    for key, value in values.items():
        if key in fields:
            setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    for name, items in (m2m or {}).items():
        if items is not None:
            getattr(obj, name).set(items)
    record_change(actor=actor, obj=obj, action=ObjectChange.Action.UPDATE, before=before)
    return obj


@transaction.atomic
def create_provider(*, actor, **values) -> TrainingProvider:
    """Register a training provider (municipal administrators only)."""
    _require(actor, "create", TrainingProvider)
    return _create(TrainingProvider, actor=actor, **values)


PROGRAMME_FIELDS = ["code", "name_zh", "name_en", "kind", "level", "description_zh",
                    "description_en", "is_published"]


@transaction.atomic
def create_programme(*, actor, provider, **values) -> Programme:
    """Add a programme to a provider's catalogue."""
    _require(actor, "manage", provider)
    data = {k: v for k, v in values.items() if k in PROGRAMME_FIELDS}
    return _create(Programme, actor=actor, provider=provider, **data)


@transaction.atomic
@tracked
def update_programme(programme, *, actor, **values) -> Programme:
    _require(actor, "manage", programme)
    if "level" in values and values["level"] != programme.level:
        # the enrolment totals are kept per level
        watch(Enrolment.objects.filter(cohort__programme=programme)
              .values_list("trainee_id", flat=True))
    return _update(programme, actor=actor, fields=PROGRAMME_FIELDS, **values)


COURSE_FIELDS = ["code", "name_zh", "name_en", "module", "hours", "is_elective",
                 "description_zh", "description_en", "sort_order"]


@transaction.atomic
def create_course(*, actor, programme, instructors=(), **values) -> Course:
    """Add a course (module, class hours) to a programme."""
    _require(actor, "manage", programme)
    data = {k: v for k, v in values.items() if k in COURSE_FIELDS}
    _check_hours(data)
    return _create(Course, actor=actor, programme=programme,
                   m2m={"instructors": instructors}, **data)


@transaction.atomic
def update_course(course, *, actor, instructors=None, **values) -> Course:
    _require(actor, "manage", course.programme)
    _check_hours(values)
    return _update(course, actor=actor, fields=COURSE_FIELDS,
                   m2m={"instructors": instructors}, **values)


def _check_hours(data):
    if "hours" in data and (data["hours"] is None or data["hours"] <= 0):
        raise ValidationError({"hours": ValidationError(_("Class hours must be a positive number."),
                                                        code="min_value")})


INSTRUCTOR_FIELDS = ["name", "name_en", "kind", "organization", "organization_name", "title",
                     "bio", "user", "is_active"]


@transaction.atomic
def create_instructor(*, actor, provider, fields=(), **values) -> Instructor:
    """Add a full-time teacher or a part-time industry mentor to a provider."""
    _require(actor, "manage", provider)
    data = {k: v for k, v in values.items() if k in INSTRUCTOR_FIELDS}
    return _create(Instructor, actor=actor, provider=provider, m2m={"fields": fields}, **data)


COHORT_FIELDS = ["code", "title", "title_en", "start_date", "end_date", "enrolment_deadline",
                 "capacity", "mode", "location", "notes"]


@transaction.atomic
def create_cohort(*, actor, programme, **values) -> Cohort:
    """Plan a cohort of a programme (a draft until opened for enrolment)."""
    _require(actor, "manage", programme)
    data = {k: v for k, v in values.items() if k in COHORT_FIELDS}
    if data.get("capacity") is not None and data["capacity"] < 1:
        raise ValidationError({"capacity": _("The capacity must be at least 1.")},
                              code="min_value")
    _check_dates(data)
    return _create(Cohort, actor=actor, programme=programme, **data)


def _check_dates(data):
    validate_dates(data, start_date=validate_planned_date, end_date=validate_planned_date,
                   enrolment_deadline=validate_planned_date)
    start, end = data.get("start_date"), data.get("end_date")
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date is before the start date.")},
                              code="invalid_dates")


@transaction.atomic
@tracked
def update_cohort(cohort, *, actor, **values) -> Cohort:
    """Change a cohort; a larger capacity moves people up from the waiting list."""
    from tmhub.training.services.enrolment import promote_waitlist

    _require_open_structure(cohort, actor)
    locked = Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=cohort.pk)
    if "capacity" in values and values["capacity"] < locked.enrolments.filter(
        status=E.ENROLLED
    ).count():
        raise ValidationError(
            {"capacity": _("The capacity cannot be lower than the number already enrolled.")},
            code="below_enrolled",
        )
    _check_dates({"start_date": values.get("start_date", locked.start_date),
                  "end_date": values.get("end_date", locked.end_date),
                  "enrolment_deadline": values.get("enrolment_deadline")})
    cohort = _update(locked, actor=actor, fields=COHORT_FIELDS, **values)
    promote_waitlist(cohort)
    return cohort


@transaction.atomic
@tracked
def transition_cohort(cohort, target: str, *, actor, reason: str = "") -> Cohort:
    """The one way a cohort changes status (its rules and effects: workflows.py)."""
    cohort = Cohort.objects.select_for_update().select_related("programme__provider").get(
        pk=cohort.pk
    )
    COHORT_WORKFLOW.transition(cohort, target, actor=actor, reason=reason, locked=True)
    return cohort


def _require_open_structure(cohort, actor):
    _require(actor, "manage", cohort)
    if cohort.has_ended:
        raise ValidationError(_("A finished or cancelled cohort cannot be changed."),
                              code="not_editable")


SESSION_FIELDS = ["course", "date", "start_time", "end_time", "hours", "instructor"]


@transaction.atomic
def add_session(cohort, *, actor, **values) -> Session:
    """Schedule a class meeting; its hours default to the course's class hours."""
    _require_open_structure(cohort, actor)
    data = {k: v for k, v in values.items() if k in SESSION_FIELDS}
    course = data.get("course")
    if course is None or course.programme_id != cohort.programme_id:
        raise ValidationError({"course": _("Choose a course of this cohort's programme.")},
                              code="invalid_course")
    if not data.get("hours"):
        data["hours"] = course.hours
    date = data.get("date")
    if date and not (cohort.start_date <= date <= cohort.end_date):
        raise ValidationError({"date": _("The session must fall within the cohort's dates.")},
                              code="out_of_range")
    return _create(Session, actor=actor, cohort=cohort, **data)


ASSESSMENT_FIELDS = ["title", "course", "date", "max_score", "pass_score", "is_required"]


@transaction.atomic
def add_assessment(cohort, *, actor, **values) -> Assessment:
    """Add an examination or graded assignment to a cohort."""
    _require_open_structure(cohort, actor)
    data = {k: v for k, v in values.items() if k in ASSESSMENT_FIELDS}
    validate_dates(data, date=validate_planned_date)
    if data.get("pass_score") is not None and data.get("max_score") is not None and (
        data["pass_score"] > data["max_score"]
    ):
        raise ValidationError({"pass_score": _("The pass mark exceeds the maximum score.")},
                              code="invalid_pass_score")
    return _create(Assessment, actor=actor, cohort=cohort, **data)


@transaction.atomic
def assign_mentor(enrolment, *, actor, mentor, notes: str = "") -> MentorAssignment:
    """Assign a mentor of the cohort's provider to a trainee."""
    from tmhub.core.notifications import notify

    cohort = enrolment.cohort
    _require(actor, "manage", cohort)
    if mentor.provider_id != cohort.programme.provider_id:
        raise ValidationError({"mentor": _("Choose a mentor of this cohort's provider.")},
                              code="invalid_mentor")
    if MentorAssignment.objects.filter(mentor=mentor, enrolment=enrolment).exists():
        raise ValidationError({"mentor": _("This mentor is already assigned.")},
                              code="duplicate")
    assignment = _create(MentorAssignment, actor=actor, mentor=mentor, enrolment=enrolment,
                         notes=notes)
    notify([enrolment.trainee], kind="training.mentor", about=assignment,
           subject=gettext_lazy("A mentor has been assigned to you: %(name)s"),
           params={"name": mentor.name}, url=enrolment.get_absolute_url())
    return assignment
