"""The employer's endorsement and the city's decisions carry an opinion the applicant reads
(required to return, reject, suspend or revoke; optional to endorse or approve); each step's
confirmation says what happened."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from tmhub.core.models import Notification
from tmhub.core.workflow import TransitionError
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db


def _submitted(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    return reg.apply_for_registration(actor=personas.manager, profile=profile)


def test_endorsement_and_approval_take_an_optional_opinion_the_applicant_reads(personas):
    registration = _submitted(personas)
    registration = reg.transition_registration(
        registration, S.ENDORSED, actor=personas.institution_admin, reason="同意推荐，业绩突出。"
    )
    registration = reg.transition_registration(
        registration, S.UNDER_REVIEW, actor=personas.municipal_admin
    )
    registration = reg.transition_registration(
        registration, S.REGISTERED, actor=personas.municipal_admin
    )  # no opinion
    texts = [o["text"] for o in reg.opinions(registration)]
    assert texts == ["同意推荐，业绩突出。"]
    # The applicant reads it on their registration page and in their notification
    page = client_for(personas.manager).get(registration.get_absolute_url()).content.decode()
    assert 'id="opinions"' in page and "同意推荐，业绩突出。" in page
    assert Notification.objects.filter(
        recipient=personas.manager, body__contains="同意推荐，业绩突出。"
    ).exists()
    # The endorse and approve buttons offer the opinion box
    buttons = reg.REGISTRATION_WORKFLOW.buttons(
        _in_review(personas, "另一人"), personas.municipal_admin
    )
    approve = next(b for b in buttons if b.target == S.REGISTERED)
    assert approve.asks_reason and not approve.needs_reason


def _in_review(personas, name):
    from tmhub.accounts.services import create_user
    from tmhub.core.actors import SYSTEM

    user = create_user(actor=SYSTEM, username=f"t_{abs(hash(name)) % 10000}", password=None)
    profile = make_profile(user, employer=personas.university, district=personas.haidian, name=name)
    registration = reg.apply_for_registration(actor=user, profile=profile)
    registration = reg.transition_registration(
        registration, S.ENDORSED, actor=personas.institution_admin
    )
    return reg.transition_registration(registration, S.UNDER_REVIEW, actor=personas.municipal_admin)


@pytest.mark.parametrize("target", [S.RETURNED, S.REJECTED])
def test_return_and_reject_need_an_opinion(personas, target):
    registration = _in_review(personas, "李雷")
    with pytest.raises(TransitionError) as exc:
        reg.transition_registration(registration, target, actor=personas.municipal_admin)
    assert exc.value.code == "reason_required"
    registration = reg.transition_registration(
        registration, target, actor=personas.municipal_admin, reason="学历证明不清晰"
    )
    assert reg.opinions(registration)[-1]["text"] == "学历证明不清晰"


def test_suspend_and_revoke_need_an_opinion(personas):
    registration = _in_review(personas, "韩梅")
    registration = reg.transition_registration(
        registration, S.REGISTERED, actor=personas.municipal_admin
    )
    for target in (S.SUSPENDED, S.REVOKED):
        with pytest.raises(TransitionError) as exc:
            reg.transition_registration(registration, target, actor=personas.municipal_admin)
        assert exc.value.code == "reason_required"
        registration = reg.transition_registration(
            registration, target, actor=personas.municipal_admin, reason=f"{target}：未按期备案"
        )
    assert [o["to_state"] for o in reg.opinions(registration)] == [S.SUSPENDED, S.REVOKED]


def test_an_overlong_opinion_is_refused_at_its_field(personas):
    registration = _in_review(personas, "王强")
    with pytest.raises(ValidationError) as exc:
        reg.transition_registration(
            registration,
            S.REJECTED,
            actor=personas.municipal_admin,
            reason="长" * (reg.MAX_OPINION_CHARS + 1),
        )
    assert exc.value.error_dict["reason"][0].code == "max_length"
    registration.refresh_from_db()
    assert registration.status == S.UNDER_REVIEW


@pytest.mark.parametrize(
    "target, words",
    [
        (S.ENDORSED, "已推荐，等待市级审核"),
    ],
)
def test_ui_step_says_what_happened(personas, target, words):
    registration = _submitted(personas)
    response = client_for(personas.institution_admin).post(
        reverse("talent:registration-transition", args=[registration.pk, target]),
        {"reason": "同意"},
        follow=True,
    )
    assert words in response.content.decode()


def test_ui_approval_names_the_registry_number(personas):
    registration = _in_review(personas, "赵六")
    response = client_for(personas.municipal_admin).post(
        reverse("talent:registration-transition", args=[registration.pk, S.REGISTERED]),
        {"reason": "材料齐全，同意入库。"},
        follow=True,
    )
    registration.refresh_from_db()
    page = response.content.decode()
    assert f"已发放入库编号 {registration.registry_number}" in page
    assert "材料齐全，同意入库。" in page


def test_api_opinion_reaches_the_applicant(personas):
    registration = _in_review(personas, "孙七")
    city = APIClient()
    city.force_authenticate(personas.municipal_admin)
    response = city.post(
        reverse("registration-transition", args=[registration.pk]),
        {"target": "rejected"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["non_field_errors"][0]["code"] == "reason_required"
    response = city.post(
        reverse("registration-transition", args=[registration.pk]),
        {"target": "rejected", "reason": "不符合条件"},
        format="json",
    )
    assert response.status_code == 200
    applicant = APIClient()
    applicant.force_authenticate(registration.profile.user)
    body = applicant.get(reverse("registration-detail", args=[registration.pk])).json()
    assert body["opinions"][-1]["text"] == "不符合条件"
    assert body["opinions"][-1]["to_state"] == "rejected"
