"""Every list of the network exports (issue 14 item 7): exactly the rows the person may see,
as CSV and Excel — the directory, the catalogue entries, needs, introductions,
collaborations, financing rounds (with their approval status) and the city's coverage."""

import csv
import io

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.network.tests.helpers import given_collaboration, given_financing, given_need

pytestmark = pytest.mark.django_db


def _csv(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else
                    [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_every_list_exports_the_rows_the_person_sees(personas):
    collaboration = given_collaboration(personas)  # a public service, a need, an introduction
    unaddressed = given_need(personas, title="未介绍的需求")
    given_financing(personas, project=collaboration.project)
    manager = client_for(personas.manager)
    lists = {"network:home": 1, "network:service-list": 1, "network:need-list": 2,
             "network:introduction-list": 1, "network:collaboration-list": 1,
             "network:financing-list": 1}
    for name, count in lists.items():
        rows = _csv(manager.get(reverse(name), {"export": "csv"}))
        assert len(rows) == 1 + count, (name, rows)
        xlsx = manager.get(reverse(name), {"export": "xlsx"})
        assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"], name
    financing_rows = _csv(manager.get(reverse("network:financing-list"), {"export": "csv"}))
    assert financing_rows[1][-1] == "已审批" or financing_rows[1][-1] == "Approved"
    # The provider's export of needs holds the need addressed to it, not the other one.
    provider = client_for(personas.service_provider)
    titles = [r[0] for r in _csv(provider.get(reverse("network:need-list"),
                                              {"export": "csv"}))[1:]]
    assert unaddressed.title not in titles and collaboration.introduction.need.title in titles


def test_the_city_exports_the_coverage_and_no_one_else_can(personas):
    city = client_for(personas.municipal_admin)
    rows = _csv(city.get(reverse("network:coverage"), {"export": "csv"}))
    assert len(rows) > 1 and all(cell.isdigit() for cell in rows[1][1:])
    for person in (personas.manager, personas.service_provider):
        assert client_for(person).get(reverse("network:coverage"),
                                      {"export": "csv"}).status_code == 404
