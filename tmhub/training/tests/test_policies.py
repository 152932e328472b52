"""The training policies: each rule once, asked alike by the pages, the API and the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import policies
from tmhub.training import services
from tmhub.training.models import DashboardFigure, ExternalHours, TrainingProvider
from tmhub.training.tests.helpers import (
    given_cohort,
    given_manager,
    given_programme,
    given_provider,
    given_running_cohort,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(personas):
    return given_programme(personas, given_provider(personas))  # run by the university


def test_attendance_is_the_providers_while_the_cohort_runs(personas, programme):
    # Given an open cohort of the university's provider
    cohort = given_cohort(personas, programme)
    # Then nobody marks attendance before it runs: the page offers no sheet
    assert not policies.allows(personas.institution_admin, "mark_attendance", cohort)
    running, (enrolment,), sessions, _exam = given_running_cohort(
        personas, [personas.manager], code="run", provider=programme.provider
    )
    # and once it runs, only the provider (and the city) does
    allowed = {
        name
        for name, user in personas.signed_in()
        if policies.allows(user, "mark_attendance", running)
    }
    assert allowed == {"municipal_admin", "institution_admin"}
    page = client_for(personas.institution_admin).get(running.get_absolute_url()).content.decode()
    assert f'data-session="{sessions[0].pk}"' in page
    open_page = client_for(personas.institution_admin).get(cohort.get_absolute_url())
    assert "data-session=" not in open_page.content.decode()


def test_the_enrol_button_and_the_service_follow_one_rule(personas, programme):
    cohort = given_cohort(personas, programme)
    url = cohort.get_absolute_url()
    # Given an open cohort: the manager is offered the button, the enterprise user is not
    assert 'id="enrol-button"' in client_for(personas.manager).get(url).content.decode()
    assert 'id="enrol-button"' not in client_for(personas.enterprise).get(url).content.decode()
    with pytest.raises(ValidationError) as refused:
        services.request_enrolment(cohort, actor=personas.enterprise)
    assert refused.value.error_dict["trainee"][0].code == "not_a_manager"
    # When the manager has asked, the button goes and a second request is refused
    services.request_enrolment(cohort, actor=personas.manager)
    assert 'id="enrol-button"' not in client_for(personas.manager).get(url).content.decode()
    assert not policies.allows(personas.manager, "enrol", cohort)
    # After the deadline nobody may ask, for themselves or for others
    late = services.create_cohort(
        actor=personas.municipal_admin,
        programme=programme,
        code="late",
        title="截止",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=40),
        enrolment_deadline=timezone.localdate() + datetime.timedelta(days=1),
        capacity=5,
    )
    late = services.transition_cohort(late, "open", actor=personas.municipal_admin)
    late.enrolment_deadline = timezone.localdate() - datetime.timedelta(days=1)
    assert not policies.allows(personas.manager, "enrol", late)
    assert not policies.allows(personas.institution_admin, "enrol_others", late)


def test_putting_others_forward(personas, programme):
    cohort = given_cohort(personas, programme)
    others = {
        name for name, user in personas.signed_in() if policies.allows(user, "enrol_others", cohort)
    }
    assert others == {"municipal_admin", "institution_admin"}
    assert (
        client_for(personas.manager)
        .get(reverse("training:cohort-bulk-enrol", args=[cohort.pk]))
        .status_code
        == 404
    )
    # an institution administrator puts forward their own managers only
    elsewhere = given_manager(personas, "elsewhere", organization=personas.other_university)
    foreign = given_provider(personas, organization=personas.other_university, name="外校学院")
    foreign_cohort = given_cohort(personas, given_programme(personas, foreign, code="f"), code="f")
    with pytest.raises(ValidationError) as refused:
        services.bulk_enrol(foreign_cohort, [elsewhere], actor=personas.institution_admin)
    assert refused.value.error_dict["trainees"][0].code == "forbidden"


def test_revocation_is_offered_to_the_provider_of_a_valid_certificate(personas):
    from decimal import Decimal

    from tmhub.training.models import Certificate
    from tmhub.training.tests.helpers import attend_all, revoke

    _cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("75")}, actor=personas.municipal_admin)
    certificate = Certificate.objects.get(enrolment=enrolment)
    revokers = {
        name for name, user in personas.signed_in() if policies.allows(user, "revoke", certificate)
    }
    assert revokers == {"municipal_admin", "institution_admin"}
    revoke(personas, certificate, "错误")
    certificate.refresh_from_db()
    assert not policies.allows(personas.institution_admin, "revoke", certificate)
    with pytest.raises(ValidationError) as again:
        services.request_revocation(certificate, actor=personas.institution_admin, reason="再次")
    assert again.value.code == "already_revoked"


def test_providers_hours_and_the_dashboard(personas):
    def who(verb, obj):
        return {name for name, user in personas.signed_in() if policies.allows(user, verb, obj)}

    assert who("create", TrainingProvider) == {"municipal_admin"}
    assert who("create", ExternalHours) == {"institution_admin"}
    other = given_manager(personas, "other", organization=personas.hospital)
    assert not policies.allows(
        personas.institution_admin,
        "create",
        ExternalHours(trainee=other, organization=personas.hospital),
    )
    assert who("view_dashboard", DashboardFigure) == {
        "municipal_admin",
        "department_officer",
        "health_officer",
        "district_officer",
        "institution_admin",
    }
