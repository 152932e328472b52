"""Four-eyes approval of reward splits (issue 11, item 3), and the legal-minimum message whole.

Given a draft split, when the person who drafted (or changed) it approves it, then the step is
refused with code `same_person_approval` in the service, the page and the API, and the button
says why; a second institution administrator or the municipal administrator approves it, after
a confirmation page that shows what will be frozen.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.models import FourEyesRule
from tmhub.core.roles import Role
from tmhub.transfer import services
from tmhub.transfer.models import RewardSplit
from tmhub.transfer.rewards_engine import Person, Shares, format_fen
from tmhub.transfer.tests.chain import make_chain
from tmhub.transfer.workflows import SPLIT_WORKFLOW

PEOPLE = [Person("王教授", Decimal(60)), Person("李博士", Decimal(40))]
INCOME_DATE = datetime.date(2025, 4, 1)
RULE_NAME = "奖励分配方案由起草人以外的人员审批"


@pytest.fixture
def chain(personas):
    return make_chain(personas)


@pytest.fixture
def own_draft(personas, chain):
    """A split the institution's (only) administrator drafted herself."""
    return services.create_split(
        actor=personas.institution_admin,
        institution=personas.university,
        contract=chain.contract,
        income_date=INCOME_DATE,
        amount_fen=1_000_00,
        people=PEOPLE,
    )


@pytest.fixture
def second_admin(personas):
    user = create_user(actor=SYSTEM, username="p_tto2", password="Second-pass-2025")
    grant_membership(
        actor=SYSTEM, user=user, role=Role.INSTITUTION_ADMIN, organization=personas.university
    )
    return user


def _approve_button(split, user):
    return next(b for b in SPLIT_WORKFLOW.buttons(split, user) if b.target == "approved")


# ---------------------------------------------------------------- the rule is data
@pytest.mark.django_db
def test_the_rule_is_seeded_with_its_legal_basis_for_each_workflow():
    rules = {r.step: r for r in FourEyesRule.objects.in_force()}
    assert {
        "transfer.split.approve",
        "orgs.registration.approve",
        "training.certificate.revoke",
    } <= set(rules)
    assert all(
        r.second_person_required and "不相容岗位相互分离" in r.legal_basis for r in rules.values()
    )


# ---------------------------------------------------------------- the service
@pytest.mark.django_db
def test_the_drafter_cannot_approve_and_the_split_stays_a_draft(personas, own_draft):
    with pytest.raises(ValidationError) as refused:
        services.approve_split(own_draft, actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"
    own_draft.refresh_from_db()
    assert own_draft.status == "draft" and own_draft.number is None


@pytest.mark.django_db
def test_a_second_institution_administrator_approves(personas, own_draft, second_admin):
    split = services.approve_split(own_draft, actor=second_admin)
    assert split.status == "approved" and split.approved_by == second_admin


@pytest.mark.django_db
def test_the_municipal_administrator_approves_as_the_second_person(personas, own_draft):
    split = services.approve_split(own_draft, actor=personas.municipal_admin)
    assert split.status == "approved" and split.approved_by == personas.municipal_admin


@pytest.mark.django_db
def test_who_changed_the_draft_prepared_it_too(personas, chain):
    # Given the manager's draft, changed by the institution's administrator,
    draft = services.update_split(
        chain.split_draft, actor=personas.institution_admin, notes="已核对到账"
    )
    # then the administrator does not approve the figures she changed; the city does.
    with pytest.raises(ValidationError) as refused:
        services.approve_split(draft, actor=personas.institution_admin)
    assert refused.value.code == "same_person_approval"
    assert services.approve_split(draft, actor=personas.municipal_admin).status == "approved"


@pytest.mark.django_db
def test_a_later_rule_row_lifts_the_rule_from_its_date(personas, own_draft):
    FourEyesRule.objects.create(
        step="transfer.split.approve",
        name="试点：单人审批",
        second_person_required=False,
        effective_from=timezone.localdate(),
        legal_basis="测试",
    )
    split = services.approve_split(own_draft, actor=personas.institution_admin)
    assert split.status == "approved"


# ---------------------------------------------------------------- the page
@pytest.mark.django_db
def test_the_button_is_shown_blocked_with_the_reason(personas, own_draft):
    button = _approve_button(own_draft, personas.institution_admin)
    assert not button.enabled
    assert RULE_NAME in " ".join(map(str, button.blocked))
    page = client_for(personas.institution_admin).get(own_draft.get_absolute_url())
    html = page.content.decode()
    assert 'id="approve-split" data-target="approved" disabled' in html
    assert "step-blocked" in html
    assert _approve_button(own_draft, personas.municipal_admin).enabled


@pytest.mark.django_db
def test_the_confirmation_page_shows_what_will_be_frozen(personas, chain):
    split = chain.split_draft  # drafted by the manager
    client = client_for(personas.institution_admin)
    page = client.get(reverse("transfer:split-approve", args=[split.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    net = chain.contract.net_income_fen(until=split.income_date)
    assert format_fen(net) in html  # the contract's net income
    assert format_fen(split.amount_fen) in html
    for allocation in split.allocations.all():
        assert allocation.name in html and format_fen(allocation.amount_fen) in html
    assert split.rule.name in html
    assert split.rule.legal_basis[-40:] in html  # the legal basis, whole
    assert 'id="approve-blocked"' not in html


@pytest.mark.django_db
def test_posting_without_the_confirmation_approves_nothing(personas, chain):
    split = chain.split_draft
    client = client_for(personas.institution_admin)
    url = reverse("transfer:split-approve", args=[split.pk])
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == url
    split.refresh_from_db()
    assert split.status == "draft"
    response = client.post(url, {"confirmed": "1"})
    split.refresh_from_db()
    assert split.status == "approved" and split.approved_by == personas.institution_admin


@pytest.mark.django_db
def test_the_drafter_confirming_on_the_page_is_refused_with_the_reason(personas, own_draft):
    client = client_for(personas.institution_admin)
    url = reverse("transfer:split-approve", args=[own_draft.pk])
    page = client.get(url)
    assert 'id="approve-blocked"' in page.content.decode()
    response = client.post(url, {"confirmed": "1"}, follow=True)
    own_draft.refresh_from_db()
    assert own_draft.status == "draft"
    assert RULE_NAME in response.content.decode()  # the flashed refusal names the rule


@pytest.mark.django_db
def test_only_those_who_may_approve_see_the_confirmation_page(personas, chain):
    url = reverse("transfer:split-approve", args=[chain.split_draft.pk])
    assert client_for(personas.manager).get(url).status_code == 404
    assert client_for(personas.enterprise).get(url).status_code == 404


# ---------------------------------------------------------------- the API
@pytest.mark.django_db
def test_the_api_refuses_the_drafter_with_the_code(personas, own_draft):
    url = f"/api/v1/reward-splits/{own_draft.pk}/approve/"
    response = client_for(personas.institution_admin).post(url, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["fields"]["non_field_errors"]
    assert errors[0]["code"] == "same_person_approval"
    response = client_for(personas.municipal_admin).post(url, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


# ---------------------------------------------------------------- the legal minimum, whole
@pytest.mark.django_db
def test_the_legal_minimum_message_carries_the_whole_legal_basis(personas, chain):
    basis = services.select_rule(personas.university.pk, "licence", INCOME_DATE).legal_basis
    assert len(basis) > 80  # the text that used to be cut at 80 characters
    with pytest.raises(ValidationError) as caught:
        services.create_split(
            actor=personas.institution_admin,
            institution=personas.university,
            contract=chain.contract,
            income_date=INCOME_DATE,
            amount_fen=1000,
            people=PEOPLE,
            shares=Shares(Decimal(60), Decimal(10), Decimal(30)),
        )
    (message,) = caught.value.message_dict["team_share"]
    assert basis in message
    assert message.endswith((f"({basis}).", f"（{basis}）。"))  # nothing cut after it


@pytest.mark.django_db
def test_the_legal_minimum_message_is_whole_in_the_page_and_the_api(personas, chain):
    basis = services.select_rule(personas.university.pk, "licence", INCOME_DATE).legal_basis
    client = client_for(personas.institution_admin)
    client.cookies["django_language"] = "zh-hans"
    page = client.post(
        reverse("transfer:split-create"),
        {
            "contract": chain.contract.pk,
            "transfer_mode": "licence",
            "income_date": "2025-04-01",
            "amount": "10.00",
            "team_share": "60",
            "office_share": "10",
            "institution_share": "30",
            "alloc-TOTAL_FORMS": "1",
            "alloc-INITIAL_FORMS": "0",
            "alloc-0-name": "王教授",
            "alloc-0-contribution": "100",
        },
    )
    assert page.status_code == 200
    from html import unescape

    html = unescape(page.content.decode())
    assert f"（{basis}）。" in html  # the zh message ends after the whole basis
    count = RewardSplit.objects.count()
    response = client.post(
        "/api/v1/reward-splits/",
        {
            "contract": chain.contract.pk,
            "income_date": "2025-04-01",
            "amount_fen": 1000,
            "team_share": "60",
            "office_share": "10",
            "institution_share": "30",
            "allocations": [{"name": "王教授", "contribution": "100"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    (error,) = response.json()["fields"]["team_share"]
    assert error["code"] == "below_minimum" and basis in error["message"]
    assert RewardSplit.objects.count() == count
