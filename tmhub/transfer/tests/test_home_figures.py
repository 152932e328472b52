"""The transfer home's own figures (counts and totals of the signed-in user's scope) are
counted once per change of any record: a write is seen on the next visit, and one viewer's
figures are never shown to another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.transfer import services
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db


def _home(client):
    response = client.get(reverse("transfer:home"))
    assert response.status_code == 200
    return response.context


def _contract_this_year(personas, project, amount_fen=5_000_000):
    today = timezone.localdate()
    return services.create_contract(
        actor=personas.manager, institution=personas.university, project=project,
        title="本年度的许可合同", kind=ContractKind.LICENCE, amount_fen=amount_fen,
        signed_on=today.replace(day=1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def test_a_receipt_recorded_after_a_visit_shows_on_the_next_visit(personas):
    chain = make_chain(personas)
    contract = _contract_this_year(personas, chain.project)
    client = client_for(personas.manager)
    before = _home(client)
    assert before["contracts"]["value_fen"] >= 5_000_000
    received = before["income"]["received_fen"]

    services.record_receipt(contract, actor=personas.manager,
                            received_on=timezone.localdate(), amount_fen=1_234_500)

    after = _home(client)
    assert after["income"]["received_fen"] == received + 1_234_500
    assert after["mine"]["income_fen"] == before["mine"]["income_fen"] + 1_234_500


def test_a_second_visit_without_a_change_counts_nothing_again(personas):
    make_chain(personas)
    client = client_for(personas.manager)
    first = _home(client)
    with CaptureQueriesContext(connection) as queries:
        second = _home(client)
    aggregates = [q["sql"] for q in queries.captured_queries
                  if "transfer_receipt" in q["sql"] or "transfer_rewardsplit" in q["sql"]]
    assert aggregates == []
    assert second["income"] == first["income"]
    assert second["funnel"] == first["funnel"]
    # The recent projects are rows, read through the viewer's policy on every visit.
    assert list(second["recent_projects"]) == list(first["recent_projects"])


def test_each_viewer_sees_the_figures_of_their_own_scope(personas):
    chain = make_chain(personas)
    _contract_this_year(personas, chain.project, amount_fen=7_000_000)
    manager = _home(client_for(personas.manager))
    outsider = _home(client_for(personas.outsider))
    assert manager["project_count"] >= 1
    assert outsider["project_count"] == 0
    assert outsider["contracts"] == {"count": 0, "value_fen": 0}
    assert "mine" not in outsider
    # …and the manager's figures were not replaced by the outsider's visit.
    assert _home(client_for(personas.manager))["contracts"] == manager["contracts"]
