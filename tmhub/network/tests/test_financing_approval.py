"""Four-eyes on financing rounds (issue 14 item 4, SPEC quality bar): a round counts only once
a second person with the approver's role has approved it; who recorded it is refused; a
returned round counts nothing; a correction is a reversal approved the same way, never an
edit; every step is audited and told."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.core.models import FourEyesRule, Notification, ObjectChange, WorkflowEvent
from tmhub.core.work_items import items_for
from tmhub.core.workflow import TransitionError
from tmhub.network import financing
from tmhub.network.choices import FinancingStatus as F
from tmhub.network.models import Financing
from tmhub.network.tests.helpers import given_financing, given_project

pytestmark = pytest.mark.django_db


def _district_total(personas, round_):
    haidian = personas.university.district_id
    period = Period.year(round_.financed_on.year)
    return metrics.get("financing_amount_district").values([haidian], period).get(haidian, 0)


def test_a_round_counts_only_once_a_second_person_approves_it(personas):
    round_ = given_financing(personas, approve=False)
    assert round_.status == F.PENDING and not round_.counts
    assert _district_total(personas, round_) == 0
    assert not Financing.objects.effective().exists()
    # The approvers (the institution's administrators) are told; the recorder is not.
    told = Notification.objects.filter(kind="network.financing_approval")
    assert set(told.values_list("recipient", flat=True)) == {personas.institution_admin.pk}
    financing.step(round_, F.APPROVED, actor=personas.institution_admin)
    round_.refresh_from_db()
    assert round_.status == F.APPROVED and round_.decided_by == personas.institution_admin
    assert round_.decided_at is not None and round_.counts
    assert _district_total(personas, round_) == round_.amount_fen
    event = WorkflowEvent.objects.get(object_id=str(round_.pk),
                                      event_type="network.financing.approved")
    assert event.actor == personas.institution_admin and event.from_state == F.PENDING


def test_who_recorded_a_round_cannot_approve_it_even_with_the_approvers_role(personas):
    """Given the institution's administrator records a round, when the same person approves
    it, then it is refused (same_person_approval) and the round stays pending; another
    administrator of the institution approves it."""
    project = given_project(personas)
    round_ = financing.record_financing(
        actor=personas.institution_admin, project=project, kind="venture",
        instrument="equity", investor_name="某创业投资基金", amount_fen=500_000_000,
        financed_on=round_date())
    assert FourEyesRule.objects.filter(step="network.financing.approve").exists()
    with pytest.raises(TransitionError) as refused:
        financing.step(round_, F.APPROVED, actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"
    round_.refresh_from_db()
    assert round_.status == F.PENDING and round_.decided_by is None
    # The page shows the button disabled, with the reason.
    page = client_for(personas.institution_admin).get(round_.get_absolute_url())
    html = page.content.decode()
    assert 'data-target="approved" disabled' in html
    second = _second_admin(personas)
    financing.step(round_, F.APPROVED, actor=second)
    round_.refresh_from_db()
    assert round_.status == F.APPROVED and round_.decided_by == second


def round_date():
    import datetime

    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=3)


def _second_admin(personas):
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    user = create_user(actor=SYSTEM, username="p_second_admin", password=None)
    grant_membership(actor=SYSTEM, user=user, role=Role.INSTITUTION_ADMIN,
                     organization=personas.university)
    return user


def test_the_rule_holds_when_its_row_is_missing(personas):
    """The rule fails closed: with no FourEyesRule row (a flushed table), who recorded the
    round is still refused."""
    round_ = financing.record_financing(
        actor=personas.institution_admin, project=given_project(personas), kind="angel",
        instrument="equity", investor_name="天使投资人（个人）", amount_fen=100_000,
        financed_on=round_date())
    FourEyesRule.objects.filter(step="network.financing.approve").delete()
    with pytest.raises(TransitionError) as refused:
        financing.step(round_, F.APPROVED, actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"


def test_managers_record_but_do_not_approve_and_outsiders_get_404(personas):
    round_ = given_financing(personas, approve=False)
    with pytest.raises(TransitionError) as refused:  # the recorder, not an approver anyway
        financing.step(round_, F.APPROVED, actor=personas.manager)
    assert refused.value.code == "transition_forbidden"
    for viewer in (personas.district_officer, personas.municipal_admin):
        with pytest.raises(TransitionError):  # they see it, they do not approve it
            financing.step(round_, F.APPROVED, actor=viewer)
    for outsider in (personas.service_provider, personas.enterprise, personas.outsider):
        with pytest.raises(Http404):
            financing.step(round_, F.APPROVED, actor=outsider)
        response = client_for(outsider).post(
            reverse("network:financing-step", args=[round_.pk, F.APPROVED]))
        assert response.status_code == 404
    round_.refresh_from_db()
    assert round_.status == F.PENDING


def test_a_returned_round_counts_nothing_and_needs_a_reason(personas):
    round_ = given_financing(personas, approve=False)
    with pytest.raises(ValidationError):
        financing.step(round_, F.RETURNED, actor=personas.institution_admin, reason="")
    financing.step(round_, F.RETURNED, actor=personas.institution_admin, reason="金额有误")
    round_.refresh_from_db()
    assert round_.status == F.RETURNED and not round_.counts
    with pytest.raises(ValidationError):  # final: neither approved later nor reversed
        financing.step(round_, F.APPROVED, actor=personas.institution_admin)
    with pytest.raises(ValidationError):
        financing.reverse_financing(round_, actor=personas.manager, reason="x")


def test_a_correction_is_a_reversal_approved_by_a_second_person(personas):
    """Given an approved round, when the manager reverses it, then it still counts until the
    institution's administrator approves the reversal; the manager cannot approve their own
    reversal; a returned reversal leaves the round counting and it may be reversed again;
    the amount itself is never edited."""
    round_ = given_financing(personas)
    amount = round_.amount_fen
    reversal = financing.reverse_financing(round_, actor=personas.manager, reason="录入重复")
    assert reversal.status == F.PENDING and round_.counts
    assert _district_total(personas, round_) == amount
    with pytest.raises(TransitionError) as refused:
        financing.step(reversal, F.APPROVED, actor=personas.manager)
    assert refused.value.code == "transition_forbidden"
    financing.step(reversal, F.RETURNED, actor=personas.institution_admin, reason="并非重复")
    assert round_.counts and _district_total(personas, round_) == amount
    again = financing.reverse_financing(round_, actor=personas.manager, reason="确认重复")
    with pytest.raises(ValidationError):  # one open reversal at a time
        financing.reverse_financing(round_, actor=personas.manager, reason="third")
    financing.step(again, F.APPROVED, actor=personas.institution_admin)
    round_.refresh_from_db()
    assert not round_.counts and _district_total(personas, round_) == 0
    assert round_.amount_fen == amount and round_.status == F.APPROVED
    assert not ObjectChange.objects.filter(object_id=str(round_.pk),
                                           action=ObjectChange.Action.UPDATE).exists()


def test_a_companys_own_round_is_approved_by_the_city(personas):
    company = personas.company
    round_ = financing.record_financing(
        actor=personas.enterprise, company=company, kind="angel", instrument="equity",
        investor_name="天使投资人（个人）", amount_fen=100_000_000, financed_on=round_date())
    with pytest.raises((TransitionError, Http404)):
        financing.step(round_, F.APPROVED, actor=personas.enterprise)
    financing.step(round_, F.APPROVED, actor=personas.municipal_admin)
    round_.refresh_from_db()
    assert round_.status == F.APPROVED


def test_the_approver_finds_the_round_in_my_work_and_approves_on_the_page(personas):
    round_ = given_financing(personas, approve=False)
    assert any(item.record == round_ for item in items_for(personas.institution_admin))
    assert not any(getattr(item, "record", None) == round_
                   for item in items_for(personas.manager))
    client = client_for(personas.institution_admin)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert 'id="awaiting-approval"' in page and 'data-target="approved"' in page
    response = client.post(reverse("network:financing-step", args=[round_.pk, F.APPROVED]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == F.APPROVED
    manager = client_for(personas.manager)
    mine = given_financing(personas, approve=False)
    manager.post(reverse("network:financing-step", args=[mine.pk, F.APPROVED]))
    mine.refresh_from_db()
    assert mine.status == F.PENDING

