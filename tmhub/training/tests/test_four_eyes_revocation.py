"""Certificate revocation in two steps by two people (issue 11, item 3).

Given a valid certificate, when an administrator asks for its revocation, then it stays valid;
the same administrator cannot approve the request (`same_person_approval`, in the service, the
page and the API, the button saying why); a second administrator approves it and only then is
the certificate revoked, which the public verification page says; a request may be declined
with a reason. Every step is audited.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import WorkflowEvent
from tmhub.training import services
from tmhub.training.models import Certificate, CertificateRevocation
from tmhub.training.tests.helpers import attend_all, given_running_cohort
from tmhub.training.workflows import REVOCATION_WORKFLOW

pytestmark = pytest.mark.django_db
RULE_NAME = "证书撤销由申请人以外的管理员批准"


@pytest.fixture
def certificate(personas):
    _cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("90")}, actor=personas.municipal_admin)
    return Certificate.objects.get(enrolment=enrolment)


@pytest.fixture
def requested(personas, certificate):
    return services.request_revocation(
        certificate, actor=personas.institution_admin, reason="培训记录造假"
    )


def test_a_request_leaves_the_certificate_valid_and_is_audited(personas, certificate, requested):
    certificate.refresh_from_db()
    assert certificate.is_valid and requested.status == "requested"
    assert requested.requested_by == personas.institution_admin
    assert WorkflowEvent.objects.filter(
        event_type="training.revocation.requested", reason="培训记录造假"
    ).exists()
    with pytest.raises(ValidationError) as again:
        services.request_revocation(certificate, actor=personas.municipal_admin, reason="再次")
    assert again.value.code == "revocation_pending"


def test_who_asked_cannot_approve(personas, certificate, requested):
    with pytest.raises(ValidationError) as refused:
        services.decide_revocation(requested, "approved", actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_a_second_administrator_approves_and_the_public_page_says_revoked(
    personas, certificate, requested
):
    services.decide_revocation(requested, "approved", actor=personas.municipal_admin)
    certificate.refresh_from_db()
    requested.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revocation_reason == "培训记录造假"
    assert requested.status == "approved" and requested.decided_by == personas.municipal_admin
    event = WorkflowEvent.objects.get(event_type="training.certificate.revoked")
    assert event.actor == personas.municipal_admin
    assert event.data["requested_by"] == personas.institution_admin.pk
    page = (
        client_for(None)
        .get(reverse("training:certificate-verify", args=[certificate.number]))
        .content.decode()
    )
    assert 'data-result="revoked"' in page and "培训记录造假" not in page


def test_a_request_can_be_declined_with_a_reason(personas, certificate, requested):
    with pytest.raises(ValidationError) as no_reason:
        services.decide_revocation(requested, "declined", actor=personas.municipal_admin)
    assert no_reason.value.code == "reason_required"
    services.decide_revocation(
        requested, "declined", actor=personas.municipal_admin, reason="记录无误"
    )
    certificate.refresh_from_db()
    assert certificate.is_valid
    assert CertificateRevocation.objects.get(pk=requested.pk).decision_note == "记录无误"
    # a new request may follow
    services.request_revocation(certificate, actor=personas.municipal_admin, reason="新线索")


def test_the_page_asks_then_shows_the_approval_blocked_for_the_asker(personas, certificate):
    asker = client_for(personas.institution_admin)
    asker.post(
        reverse("training:certificate-revoke", args=[certificate.pk]), {"reason": "重复发证"}
    )
    certificate.refresh_from_db()
    assert certificate.is_valid
    revocation = services.open_revocation(certificate)
    (approve,) = [
        b
        for b in REVOCATION_WORKFLOW.buttons(revocation, personas.institution_admin)
        if b.target == "approved"
    ]
    assert not approve.enabled and RULE_NAME in " ".join(map(str, approve.blocked))
    page = asker.get(certificate.get_absolute_url()).content.decode()
    assert 'id="pending-revocation"' in page and 'data-target="approved" disabled' in page
    asker.post(reverse("training:revocation-approve", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert certificate.is_valid
    other = client_for(personas.municipal_admin)
    other.post(reverse("training:revocation-approve", args=[certificate.pk]))
    certificate.refresh_from_db()
    assert not certificate.is_valid


def test_the_api_asks_refuses_the_asker_and_lets_a_second_person_approve(personas, certificate):
    base = f"/api/v1/certificates/{certificate.pk}"
    asker = client_for(personas.institution_admin)
    response = asker.post(
        f"{base}/revoke/", {"reason": "重复发证"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["status"] == "requested"
    response = asker.post(f"{base}/approve-revocation/", content_type="application/json")
    assert response.status_code == 400
    (error,) = response.json()["fields"]["non_field_errors"]
    assert error["code"] == "same_person_approval"
    response = client_for(personas.municipal_admin).post(
        f"{base}/approve-revocation/", content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
