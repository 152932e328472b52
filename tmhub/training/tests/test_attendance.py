"""Attendance, scores and the completion they lead to; certificates issued automatically."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tmhub.core import metrics
from tmhub.core.models import ObjectChange
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.training import selectors, services
from tmhub.training.models import Certificate, Enrolment, Session
from tmhub.training.tests.helpers import attend_all, given_manager, given_running_cohort

pytestmark = pytest.mark.django_db


def test_attendance_credits_hours_and_keeps_running_totals(personas):
    # Given a running cohort with two trainees
    other = given_manager(personas, "m2")
    cohort, (mine, theirs), sessions, _exam = given_running_cohort(
        personas, [personas.manager, other])
    # When the provider records the first session: one present, one absent
    services.record_attendance(sessions[0], {mine.pk: "present", theirs.pk: "absent"},
                               actor=personas.institution_admin)
    # Then only the present trainee earns its class hours
    assert Enrolment.objects.get(pk=mine.pk).hours_attended == Decimal("12")
    assert Enrolment.objects.get(pk=theirs.pk).hours_attended == 0
    assert Session.objects.get(pk=sessions[0].pk).credited_hours_total == Decimal("12")
    # When the absence is corrected to late
    services.record_attendance(sessions[0], {theirs.pk: "late"}, actor=personas.municipal_admin)
    # Then totals move by the difference and the correction is audited
    assert Enrolment.objects.get(pk=theirs.pk).hours_attended == Decimal("12")
    assert Session.objects.get(pk=sessions[0].pk).credited_hours_total == Decimal("24")
    assert ObjectChange.objects.filter(action="update",
                                       content_type__model="attendance").count() == 1


def test_completion_is_computed_and_the_certificate_issued_automatically(personas):
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions, [enrolment])
    # All hours, but the exam is still pending: not complete yet
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    services.record_scores(exam, {enrolment.pk: "59"}, actor=personas.institution_admin)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    # When a passing score is recorded
    services.record_scores(exam, {enrolment.pk: "82.5"}, actor=personas.institution_admin)
    # Then the enrolment completes and exactly one certificate is issued
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_at
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert (certificate.level, certificate.hours, certificate.status) == ("junior", 48, "valid")
    assert certificate.number.startswith("BJTM-")
    assert certificate.holder_name == personas.manager.display_name


def test_missing_module_hours_block_completion_and_finishing_closes_the_rest(personas):
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    # Attends everything except the policy module (8 hours)
    attend_all(personas, [s for s in sessions if s.course.module != "policy"], [enrolment])
    services.record_scores(exam, {enrolment.pk: "90"}, actor=personas.institution_admin)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    services.transition_cohort(cohort, "finished", actor=personas.institution_admin)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "not_completed"
    assert not Certificate.objects.exists()


def test_attendance_only_for_enrolled_trainees_of_a_running_cohort(personas):
    cohort, (enrolment,), sessions, _exam = given_running_cohort(personas, [personas.manager])
    with pytest.raises(ValidationError):
        services.record_attendance(sessions[0], {enrolment.pk: "sleeping"},
                                   actor=personas.institution_admin)
    with pytest.raises(ValidationError):
        services.record_attendance(sessions[0], {999999: "present"},
                                   actor=personas.institution_admin)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(sessions[0], {enrolment.pk: "present"},
                                   actor=personas.district_officer)
    assert exc.value.code == "forbidden"


def test_scores_are_validated(personas):
    cohort, (enrolment,), _sessions, exam = given_running_cohort(personas, [personas.manager])
    for bad in ("abc", "101", "-1"):
        with pytest.raises(ValidationError):
            services.record_scores(exam, {enrolment.pk: bad}, actor=personas.institution_admin)


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("attendance.xlsx", out.getvalue())


def test_attendance_imported_from_a_spreadsheet(personas):
    other = given_manager(personas, "m2")
    cohort, (mine, theirs), sessions, _exam = given_running_cohort(
        personas, [personas.manager, other])
    spec = REGISTRY["training-attendance"]
    date = sessions[0].date.isoformat()
    # A file with one bad row is refused as a whole
    bad = _xlsx([["班次代码", "日期", "课程代码", "用户名", "出勤"],
                 [cohort.code, date, "G1", "p_manager", "出勤"],
                 [cohort.code, date, "G1", "nobody", "present"]])
    job = start_import(spec, bad, actor=personas.institution_admin)
    assert job.status == "invalid" and job.error_rows == 1
    # A clean file (Chinese and English status labels) lands whole
    good = _xlsx([["班次代码", "日期", "课程代码", "用户名", "出勤"],
                  [cohort.code, date, "G1", "p_manager", "Present"],
                  [cohort.code, date, "G1", "m2", "缺勤"]])
    job = start_import(spec, good, actor=personas.institution_admin)
    assert job.status == "validated", job.report
    commit_import(job, actor=personas.institution_admin)
    assert Enrolment.objects.get(pk=mine.pk).hours_attended == 12
    assert Enrolment.objects.get(pk=theirs.pk).hours_attended == 0


def test_hours_per_year_feed_the_annual_filing(personas):
    cohort, (enrolment,), sessions, _exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions[:2], [enrolment])
    services.record_external_hours(actor=personas.institution_admin, trainee=personas.manager,
                                   date=sessions[0].date, title="技术转移国际研讨会",
                                   hours=Decimal("3.5"))
    year, me = sessions[0].date.year, personas.manager.pk
    assert selectors.training_hours_exact(personas.manager, year) == Decimal("23.5")
    filed = metrics.get("training_hours")
    assert filed in metrics.tagged(metrics.FILING)
    assert filed.values([me], metrics.Period.year(year)) == {me: 24}
    assert filed.values([me], metrics.Period.year(year + 1)) == {me: 0}
