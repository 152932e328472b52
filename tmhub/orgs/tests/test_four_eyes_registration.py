"""Four-eyes approval of institution registrations (issue 11, item 3).

Given an application prepared and submitted by one person (here a superuser acting for an
institution nobody administers, as for a data fix), when that person approves it, then the step
is refused with code `same_person_approval` in the service, the page and the API, and the
button says why; the municipal administrator, a second person, approves it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.orgs import services
from tmhub.orgs.choices import RegistrationStatus as S
from tmhub.orgs.workflows import REGISTRATION_WORKFLOW

pytestmark = pytest.mark.django_db
RULE_NAME = "技术转移机构登记由提交人以外的人员审批"


@pytest.fixture
def root():
    return User.objects.create_superuser("root4", "root4@example.cn", "Root-pass-2025")


@pytest.fixture
def submitted(personas, root):
    registration = services.create_registration(
        actor=root,
        organization=personas.other_university,
        premises_address="朝阳区某路1号",
        fulltime_staff=3,
        has_written_rules=True,
        business_scope="技术转移",
    )
    return services.transition_registration(registration, S.SUBMITTED, actor=root)


def test_who_submitted_cannot_approve(submitted, root):
    with pytest.raises(ValidationError) as refused:
        services.transition_registration(submitted, S.APPROVED, actor=root)
    assert refused.value.code == "same_person_approval"
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and not submitted.registry_number


def test_the_rule_covers_approval_only(submitted, root):
    # Returning for changes is not an approval: the same person may still send it back.
    registration = services.transition_registration(
        submitted, S.RETURNED, actor=root, reason="补充材料"
    )
    assert registration.status == S.RETURNED


def test_a_second_person_approves(personas, submitted):
    registration = services.transition_registration(
        submitted, S.APPROVED, actor=personas.municipal_admin
    )
    assert registration.status == S.APPROVED and registration.registry_number


def test_the_page_shows_the_button_blocked_and_refuses_the_post(personas, submitted, root):
    (approve,) = [
        b for b in REGISTRATION_WORKFLOW.buttons(submitted, root) if b.target == S.APPROVED
    ]
    assert not approve.enabled and RULE_NAME in " ".join(map(str, approve.blocked))
    client = client_for(root)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert 'data-target="approved" disabled' in page and RULE_NAME in page
    url = reverse("orgs:registration-transition", args=[submitted.pk, S.APPROVED])
    client.post(url)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    (approve,) = [
        b
        for b in REGISTRATION_WORKFLOW.buttons(submitted, personas.municipal_admin)
        if b.target == S.APPROVED
    ]
    assert approve.enabled


def test_the_api_refuses_with_the_code(personas, submitted, root):
    url = f"/api/v1/institution-registrations/{submitted.pk}/transition/"
    response = client_for(root).post(url, {"target": "approved"}, content_type="application/json")
    assert response.status_code == 400
    (error,) = response.json()["fields"]["non_field_errors"]
    assert error["code"] == "same_person_approval"
    response = client_for(personas.municipal_admin).post(
        url, {"target": "approved"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
