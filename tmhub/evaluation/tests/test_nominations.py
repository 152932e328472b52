"""Talent-programme nominations (issue 17 item 6; plan task 3): evidence from records, the
programme's window, the 市人才工作局's review, and who sees and does what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from conftest import client_for
from tmhub.core.models import WorkflowEvent
from tmhub.core.roles import Role
from tmhub.evaluation.models import Nomination, TalentProgramme
from tmhub.evaluation.services import nominations
from tmhub.evaluation.spotlight_choices import NominationStatus as N
from tmhub.evaluation.spotlight_choices import SpotlightEvent
from tmhub.evaluation.tests.rating_helpers import registered_manager
from tmhub.evaluation.tests.spotlight_helpers import (
    person,
    programme,
    round_with_rating,
    talent_officer,
)
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ContractKind, Currency, PartyRole
from tmhub.transfer.models import Contract, ProjectAssignment, Receipt

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _contract(personas, project, signed_on, amount_fen, currency=Currency.CNY):
    return transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="许可合同", kind=ContractKind.LICENCE, amount_fen=amount_fen, currency=currency,
        signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def _records(personas):
    """Two projects of the manager with three contracts and receipts; one project of
    someone else with a contract that must not count."""
    admin = personas.institution_admin
    mine = transfer.create_project(actor=admin, institution=personas.university,
                                   title="专利许可项目", lead=personas.manager)
    also = transfer.create_project(actor=admin, institution=personas.university,
                                   title="作价入股项目", lead=personas.manager)
    other_user = person("p_other_manager", Role.MANAGER, organization=personas.university)
    theirs = transfer.create_project(actor=admin, institution=personas.university,
                                     title="别人的项目", lead=other_user)
    day = TODAY() - datetime.timedelta(days=40)
    c1 = _contract(personas, mine, day, 1_000_000)
    c2 = _contract(personas, mine, day + datetime.timedelta(days=1), 250_000)
    _contract(personas, also, day, 300_000, currency=Currency.USD)
    c4 = _contract(personas, theirs, day, 9_900_000)
    for contract, amount in ((c1, 400_000), (c2, 50_000), (c4, 700_000)):
        transfer.record_receipt(contract, actor=admin, received_on=day + datetime.timedelta(
            days=5), amount_fen=amount)


def _nominate(personas, prog, actor=None, statement="长期负责学校专利许可。"):
    registered_manager(personas)
    return nominations.create_nomination(actor=actor or personas.institution_admin,
                                         programme=prog, manager=personas.manager,
                                         statement=statement)


def test_the_evidence_equals_an_independent_count_over_the_records(personas):
    # Given a published rating of the manager and their contracts and receipts
    _round, rating = round_with_rating(personas)
    _records(personas)
    nomination = _nominate(personas, programme(personas.municipal_admin))
    # When the institution submits the nomination
    nomination = nominations.step_nomination(nomination, N.SUBMITTED,
                                             actor=personas.institution_admin)
    evidence = nomination.evidence
    # Then its figures are those of the records, counted here another way
    projects = ProjectAssignment.objects.filter(user=personas.manager).values("project_id")
    contracts = Contract.objects.filter(project_id__in=projects)
    assert evidence["contract_count"] == contracts.count() == 3
    assert evidence["contract_value_fen"] == contracts.filter(currency=Currency.CNY).aggregate(
        s=Sum("amount_fen"))["s"] == 1_250_000
    assert evidence["income_fen"] == Receipt.objects.filter(
        contract__in=contracts).aggregate(s=Sum("amount_fen"))["s"] == 450_000
    assert sorted(c["id"] for c in evidence["contracts"]) == sorted(
        contracts.values_list("pk", flat=True))
    assert evidence["rating"]["id"] == rating.pk == nomination.rating_id
    assert evidence["rating"]["total"] == str(rating.total)
    assert nomination.evidence_as_of == TODAY()


def test_the_programme_window_is_enforced(personas):
    city = personas.municipal_admin
    closed = programme(city, opens=-30, closes=-1, name="已截止的计划")
    future = programme(city, opens=5, closes=30, name="尚未开放的计划")
    for prog in (closed, future):
        with pytest.raises(ValidationError) as refused:
            _nominate(personas, prog)
        assert refused.value.error_dict["programme"][0].code == "programme_closed"
    # A draft made in the window cannot be submitted after it closed
    open_one = programme(city)
    nomination = _nominate(personas, open_one)
    TalentProgramme.objects.filter(pk=open_one.pk).update(closes_on=TODAY() -
                                                          datetime.timedelta(days=1))
    nomination = Nomination.objects.get(pk=nomination.pk)
    with pytest.raises(ValidationError) as refused:
        nominations.step_nomination(nomination, N.SUBMITTED, actor=personas.institution_admin)
    assert refused.value.code == "programme_closed"
    with pytest.raises(ValidationError) as reversed_dates:
        programme(city, opens=5, closes=1)
    assert reversed_dates.value.error_dict["closes_on"][0].code == "dates_reversed"


def test_the_talent_bureau_reviews_with_reasons(personas):
    officer = talent_officer()
    nomination = _nominate(personas, programme(personas.municipal_admin))
    admin = personas.institution_admin
    nomination = nominations.step_nomination(nomination, N.SUBMITTED, actor=admin)
    # The nominator does not review its own nomination; the city does not either
    for user in (admin, personas.municipal_admin):
        with pytest.raises(ValidationError) as refused:
            nominations.step_nomination(nomination, N.UNDER_REVIEW, actor=user)
        assert refused.value.code == "transition_forbidden"
    nomination = nominations.step_nomination(nomination, N.UNDER_REVIEW, actor=officer)
    nomination = nominations.step_nomination(nomination, N.RETURNED, actor=officer,
                                             reason="请补充代表性合同。")
    nominations.edit_nomination(nomination, actor=admin, statement="补充：主导三项专利许可。")
    nomination = nominations.step_nomination(nomination, N.SUBMITTED, actor=admin)
    nomination = nominations.step_nomination(nomination, N.UNDER_REVIEW, actor=officer)
    with pytest.raises(ValidationError) as no_reason:
        nominations.step_nomination(nomination, N.DECLINED, actor=officer)
    assert no_reason.value.code == "reason_required"
    nomination = nominations.step_nomination(nomination, N.DECLINED, actor=officer,
                                             reason="不符合申报条件。")
    assert nomination.decision_reason == "不符合申报条件。" and nomination.decided_at
    events = list(WorkflowEvent.objects.filter(object_id=str(nomination.pk)).order_by(
        "id").values_list("event_type", flat=True))
    assert events.count(SpotlightEvent.NOMINATION_SUBMITTED) == 2
    assert events[-1] == SpotlightEvent.NOMINATION_DECLINED


def test_an_institution_nominates_only_its_own_staff_and_the_city_anyone(personas):
    prog = programme(personas.municipal_admin)
    registered_manager(personas)
    other_admin = person("p_tto_other", Role.INSTITUTION_ADMIN,
                         organization=personas.other_university)
    with pytest.raises(ValidationError) as refused:
        _nominate(personas, prog, actor=other_admin)
    assert refused.value.error_dict["manager"][0].code == "not_nominable"
    by_city = _nominate(personas, prog, actor=personas.municipal_admin)
    assert by_city.by_city


def _status(user, url, method="get", data=None):
    client = client_for(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


def test_permission_matrix_of_a_nomination(personas):
    officer = talent_officer()
    other_admin = person("p_tto_other", Role.INSTITUTION_ADMIN,
                         organization=personas.other_university)
    nomination = _nominate(personas, programme(personas.municipal_admin))
    detail = nomination.get_absolute_url()
    who = {"anonymous": None, "manager": personas.manager, "tto_own": personas.institution_admin,
           "tto_other": other_admin, "municipal": personas.municipal_admin,
           "talent": officer, "reviewer": personas.reviewer}
    # A draft: its nominator and the city only
    draft = {name: _status(user, detail) for name, user in who.items()}
    assert draft == {"anonymous": 302, "manager": 404, "tto_own": 200, "tto_other": 404,
                     "municipal": 200, "talent": 404, "reviewer": 404}
    nominations.step_nomination(nomination, N.SUBMITTED, actor=personas.institution_admin)
    submitted = {name: _status(user, detail) for name, user in who.items()}
    assert submitted == {"anonymous": 302, "manager": 200, "tto_own": 200, "tto_other": 404,
                         "municipal": 200, "talent": 200, "reviewer": 404}
    # Only the bureau takes it up for review (a refused request changes nothing)
    step = f"/evaluation/nominations/{nomination.pk}/step/{N.UNDER_REVIEW}/"
    for name in ("manager", "tto_own", "tto_other", "municipal", "reviewer"):
        assert _status(who[name], step, "post") == 404, name
        assert Nomination.objects.get(pk=nomination.pk).status == N.SUBMITTED
    assert _status(officer, step, "post") == 302
    assert Nomination.objects.get(pk=nomination.pk).status == N.UNDER_REVIEW
    # Lists: each sees their own rows
    listed = {name: Nomination.objects.restrict(user).count() for name, user in who.items()
              if user is not None}
    assert listed == {"manager": 1, "tto_own": 1, "tto_other": 0, "municipal": 1, "talent": 1,
                      "reviewer": 0}
