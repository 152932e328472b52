"""The transfer figures of the metrics registry (tmhub.transfer.metrics): one definition each,
the same answer one manager at a time or all at once, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core import metrics
from tmhub.core.actors import SYSTEM
from tmhub.core.metrics import FILING, Period
from tmhub.core.roles import Role
from tmhub.transfer import services
from tmhub.transfer.choices import ContractKind, Currency, PartyRole, Stage
from tmhub.transfer.tests.chain import make_chain, walk_to

pytestmark = pytest.mark.django_db

Y2025 = Period.year(2025)


def _value(key, user, period=Y2025):
    return metrics.get(key).values([user.pk], period)[user.pk]


def _contract(personas, project, signed_on, amount_fen=1_000_000, currency=Currency.CNY, **kw):
    return services.create_contract(
        actor=personas.institution_admin,
        institution=personas.university,
        project=project,
        title="许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=amount_fen,
        currency=currency,
        signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
        **kw,
    )


def _project(personas, title, lead=None):
    return services.create_project(
        actor=personas.institution_admin,
        institution=personas.university,
        title=title,
        lead=lead or personas.manager,
    )


def test_the_filing_keeps_its_four_transfer_figures():
    keys = [m.key for m in metrics.tagged(FILING) if m.key.startswith("transfer_")]
    assert keys == [
        "transfer_projects_served",
        "transfer_contracts_signed",
        "transfer_income_fen",
        "transfer_introductions",
    ]
    assert metrics.get("transfer_deals").definition and metrics.get("transfer_deals").label


def test_a_deal_is_a_project_with_a_contract_signed_in_the_period(personas):
    # Given a project that signed two contracts in 2025 (a licence, then a service contract)
    licensed = _project(personas, "两份合同的项目")
    _contract(personas, licensed, datetime.date(2025, 3, 1))
    _contract(personas, licensed, datetime.date(2025, 9, 1))
    # And a project another manager moved to the transaction stage, that never signed a contract
    # (past the stage gates by the city's override: without it the move is refused)
    (other,) = _managers(personas, 1)
    walk_to(
        _project(personas, "只改了阶段的项目", lead=other),
        Stage.TRANSACTION,
        other,
        override_by=personas.municipal_admin,
    )
    # And a project whose contract was signed the year before
    _contract(personas, _project(personas, "去年签约的项目"), datetime.date(2024, 12, 31))
    # Then the manager closed one deal in 2025, from two contracts signed
    assert _value("transfer_deals", personas.manager) == 1
    assert _value("transfer_contracts_signed", personas.manager) == 2
    assert _value("transfer_deals", personas.manager, Period.year(2024)) == 1
    # And a stage is not a deal; nor is anything outside the period
    assert _value("transfer_deals", other) == 0
    assert _value("transfer_deals", personas.manager, Period.year(2023)) == 0
    assert _value("transfer_deals", personas.institution_admin) == 0


def test_a_released_manager_keeps_the_credit_and_a_reassignment_counts_once(personas):
    project = _project(personas, "换人又回来的项目")
    _contract(personas, project, datetime.date(2025, 3, 1), amount_fen=500_000)
    services.release_manager(project.assignments.get(), actor=personas.institution_admin)
    services.assign_manager(project, actor=personas.institution_admin, user=personas.manager)
    assert project.assignments.filter(user=personas.manager).count() == 2
    assert _value("transfer_deals", personas.manager) == 1
    assert _value("transfer_contracts_signed", personas.manager) == 1
    assert _value("transfer_contract_value_fen", personas.manager) == 500_000


def test_contract_value_counts_renminbi_contracts_and_net_income_never_goes_negative(personas):
    project = _project(personas, "金额项目")
    cny = _contract(personas, project, datetime.date(2025, 3, 1), amount_fen=2_000_000)
    _contract(personas, project, datetime.date(2025, 4, 1), amount_fen=9_999, currency="USD")
    loss = _contract(personas, project, datetime.date(2025, 5, 1), amount_fen=100_000)
    services.record_receipt(
        cny, actor=personas.manager, received_on=datetime.date(2025, 6, 1), amount_fen=800_000
    )
    services.record_cost(
        cny,
        actor=personas.manager,
        incurred_on=datetime.date(2025, 6, 2),
        category="agency",
        amount_fen=50_000,
    )
    services.record_receipt(
        loss, actor=personas.manager, received_on=datetime.date(2025, 6, 1), amount_fen=10_000
    )
    services.record_cost(
        loss,
        actor=personas.manager,
        incurred_on=datetime.date(2025, 6, 1),
        category="tax",
        amount_fen=40_000,
    )
    assert _value("transfer_contract_value_fen", personas.manager) == 2_100_000
    assert _value("transfer_income_fen", personas.manager) == 810_000
    assert _value("transfer_net_income_fen", personas.manager) == 750_000  # the loss counts 0


def test_active_projects_are_the_current_workload(personas):
    chain = make_chain(personas)  # personas.manager leads one project, at transaction
    today = Period(timezone.localdate(), timezone.localdate())
    assert _value("transfer_active_projects", personas.manager, today) == 1
    walk_to(chain.project, Stage.LANDING, personas.manager)
    assert _value("transfer_active_projects", personas.manager, today) == 0
    assert _value("transfer_projects_served", personas.manager, Period.year(today.start.year)) == 1


KEYS = [
    "transfer_projects_served",
    "transfer_contracts_signed",
    "transfer_income_fen",
    "transfer_introductions",
    "transfer_deals",
    "transfer_active_projects",
    "transfer_contract_value_fen",
    "transfer_net_income_fen",
]


def _managers(personas, count):
    users = []
    for n in range(count):
        user = create_user(actor=SYSTEM, username=f"m_{n}", password="x-Pass-2025")
        grant_membership(
            actor=SYSTEM, user=user, role=Role.MANAGER, organization=personas.university
        )
        users.append(user)
    return users


@pytest.mark.parametrize("key", KEYS)
def test_one_manager_or_fifty_cost_the_same_queries(personas, key, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_chain(personas)
    crowd = _managers(personas, 50)
    for user in crowd[:3]:
        project = _project(personas, f"{user.username}的项目", lead=user)
        _contract(personas, project, datetime.date(2025, 3, 1))
    figure = metrics.get(key)
    with CaptureQueriesContext(connection) as one:
        alone = figure.values([personas.manager.pk], Y2025)
    ids = [personas.manager.pk] + [u.pk for u in crowd]
    with django_assert_num_queries(len(one.captured_queries)):
        together = figure.values(ids, Y2025)
    assert together[personas.manager.pk] == alone[personas.manager.pk]
    assert set(together) == set(ids)


def test_beyond_the_in_list_limit_the_figures_are_the_same(personas, monkeypatch):
    make_chain(personas)
    ids = [personas.manager.pk, personas.institution_admin.pk]
    expected = metrics.compute(KEYS, ids, Y2025)
    monkeypatch.setattr(metrics, "IN_LIST_LIMIT", 1)
    assert metrics.compute(KEYS, ids, Y2025) == expected
    assert expected["transfer_deals"][personas.manager.pk] == 1
