"""Excel/CSV imports of courses and of attendance through the shared import framework."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import User
from tmhub.core import policies
from tmhub.core.tabular.importing import ImportColumn, ImportSpec, RowErrors
from tmhub.training import services
from tmhub.training.choices import AttendanceStatus, Module
from tmhub.training.models import Cohort, Course, Enrolment, Programme, Session, TrainingProvider
from tmhub.training.services.attendance import ATTENDING

TRUE_WORDS = {"1", "yes", "true", "y", "是"}


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code, its Chinese label or its English label."""
    lookup = {}
    for value, _label in choices.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choices(value).label).lower()] = value
    return lookup


def _date(text: str):
    text = (text or "").strip()[:10].replace("/", "-").replace(".", "-")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _add(errors, key, message, code):
    errors.setdefault(key, []).append((message, code))


def _may_import(scope) -> bool:
    return policies.allows(scope, "import", TrainingProvider)


class CourseImport(ImportSpec):
    kind = "training-courses"
    label = gettext_lazy("Training courses")
    columns = [
        ImportColumn("programme", ("项目代码", "programme"), required=True),
        ImportColumn("code", ("课程代码", "code"), required=True),
        ImportColumn("name_zh", ("课程名称", "name"), required=True),
        ImportColumn("name_en", ("英文名称", "name_en", "english name")),
        ImportColumn("module", ("模块", "module"), required=True),
        ImportColumn("hours", ("学时", "hours"), required=True),
        ImportColumn("is_elective", ("选修", "elective")),
    ]

    def can_import(self, scope):
        return _may_import(scope)

    def new_context(self):
        return {"modules": _choice_lookup(Module), "programmes": {}, "keys": set()}

    def clean_row(self, raw, context, *, actor):
        errors: dict = {}
        code = raw.get("programme", "").strip()
        programme = context["programmes"].get(code)
        if programme is None:
            programme = Programme.objects.select_related("provider").filter(code=code).first()
            context["programmes"][code] = programme
        if programme is None or not policies.allows(actor, "manage", programme):
            _add(errors, "programme", _("Unknown programme (or not one of yours)."),
                 "invalid_choice")
        course_code = raw.get("code", "").strip()
        if not course_code:
            _add(errors, "code", _("The course code is required."), "required")
        elif (code, course_code) in context["keys"]:
            _add(errors, "code", _("This course appears twice in the file."),
                 "duplicate_in_file")
        elif programme and Course.objects.filter(programme=programme, code=course_code).exists():
            _add(errors, "code", _("This programme already has a course with this code."),
                 "duplicate")
        context["keys"].add((code, course_code))
        name = raw.get("name_zh", "").strip()
        if not name:
            _add(errors, "name_zh", _("The name is required."), "required")
        module = context["modules"].get(raw.get("module", "").strip().lower())
        if module is None:
            _add(errors, "module", _("Unknown module."), "invalid_choice")
        try:
            hours = Decimal(raw.get("hours", "").strip())
            if hours <= 0 or hours > 999:
                raise InvalidOperation
        except InvalidOperation:
            hours = None
            _add(errors, "hours", _("Class hours must be a positive number."), "invalid")
        if errors:
            raise RowErrors(errors)
        return {
            "programme": programme, "code": course_code, "name_zh": name,
            "name_en": raw.get("name_en", "").strip(), "module": module, "hours": hours,
            "is_elective": raw.get("is_elective", "").strip().lower() in TRUE_WORDS,
        }

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        services.create_course(actor=actor, programme=data.pop("programme"), **data)


class AttendanceImport(ImportSpec):
    kind = "training-attendance"
    label = gettext_lazy("Training attendance")
    columns = [
        ImportColumn("cohort", ("班次代码", "cohort"), required=True),
        ImportColumn("date", ("日期", "date"), required=True),
        ImportColumn("course", ("课程代码", "course"), required=True),
        ImportColumn("username", ("用户名", "username"), required=True),
        ImportColumn("status", ("出勤", "attendance", "status"), required=True),
    ]

    def can_import(self, scope):
        return _may_import(scope)

    def new_context(self):
        return {"statuses": _choice_lookup(AttendanceStatus), "cohorts": {}, "keys": set()}

    def _cohort(self, code, context, actor):
        if code not in context["cohorts"]:
            cohort = Cohort.objects.select_related("programme__provider").filter(
                code=code).first()
            context["cohorts"][code] = (
                cohort if cohort and policies.allows(actor, "manage", cohort) else None)
        return context["cohorts"][code]

    def clean_row(self, raw, context, *, actor):
        errors: dict = {}
        cohort = self._cohort(raw.get("cohort", "").strip(), context, actor)
        if cohort is None:
            _add(errors, "cohort", _("Unknown cohort (or not one of yours)."), "invalid_choice")
        elif not cohort.is_running:
            _add(errors, "cohort", _("Attendance and scores are recorded while the cohort runs."),
                 "not_running")
        date = _date(raw.get("date", ""))
        if date is None:
            _add(errors, "date", _("Enter a date as YYYY-MM-DD."), "invalid_date")
        session = enrolment = None
        if cohort and date:
            sessions = list(Session.objects.filter(
                cohort=cohort, date=date, course__code=raw.get("course", "").strip())[:2])
            if len(sessions) != 1:
                _add(errors, "course", _("No single session of this course on this date."),
                     "invalid_choice")
            else:
                session = sessions[0]
        username = raw.get("username", "").strip()
        user = User.objects.filter(username=username).first() if username else None
        if cohort and user:
            enrolment = Enrolment.objects.filter(
                cohort=cohort, trainee=user, status__in=ATTENDING).first()
        if enrolment is None:
            _add(errors, "username", _("This person is not enrolled in the cohort."),
                 "not_enrolled")
        status = context["statuses"].get(raw.get("status", "").strip().lower())
        if status is None:
            _add(errors, "status", _("Unknown attendance status."), "invalid_choice")
        key = (session and session.pk, enrolment and enrolment.pk)
        if session and enrolment and key in context["keys"]:
            _add(errors, "username", _("This person appears twice for the session."),
                 "duplicate_in_file")
        context["keys"].add(key)
        if errors:
            raise RowErrors(errors)
        return {"session": session.pk, "enrolment": enrolment.pk, "status": status}

    def save_row(self, cleaned, *, actor):
        session = Session.objects.get(pk=cleaned["session"])
        services.record_attendance(session, {cleaned["enrolment"]: cleaned["status"]},
                                   actor=actor)
