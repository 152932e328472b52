"""The pilots' work items (My work): the stage report an assigned manager must file, and the
reports the institution and then the programme officer must review."""

import datetime

import pytest

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.pilots import services
from tmhub.pilots.choices import ReportStatus
from tmhub.pilots.tests.helpers import assign, make_pilot, science_officer

pytestmark = pytest.mark.django_db


def _kinds(user, kind):
    return [i for i in work_items.items_for(get_scope(user), module="pilots") if i.kind == kind]


def test_report_due_then_review_by_the_institution_then_the_officer(personas):
    pilot = make_pilot(personas)
    pilot = services.set_stage_due(pilot, actor=personas.municipal_admin,
                                   due_on=datetime.date(2027, 3, 31))
    assign(personas, pilot)
    due = _kinds(personas.manager, "pilots.report_due")
    assert [(i.due_on, i.url) for i in due] == [
        (datetime.date(2027, 3, 31), f"/pilots/{pilot.pk}/reports/new/")]
    assert _kinds(personas.institution_admin, "pilots.report_due") == []
    report = services.create_report(pilot, actor=personas.manager, done="完成调研")
    assert _kinds(personas.manager, "pilots.report_due")[0].record == report
    services.step_report(report, ReportStatus.SUBMITTED, actor=personas.manager)
    assert _kinds(personas.manager, "pilots.report_due") == []
    assert [i.record for i in _kinds(personas.institution_admin, "pilots.review_report")] \
        == [report]
    officer = science_officer()
    assert _kinds(officer, "pilots.review_report") == []
    services.step_report(report, ReportStatus.INSTITUTION_REVIEWED,
                         actor=personas.institution_admin)
    assert _kinds(personas.institution_admin, "pilots.review_report") == []
    assert [i.record for i in _kinds(officer, "pilots.review_report")] == [report]
    for stranger in (personas.department_officer, personas.district_officer,
                     personas.enterprise):
        assert _kinds(stranger, "pilots.review_report") == []
