"""Pages and API of the pilots: the city selects a pilot, assigns a manager, the manager files
the feasibility report, a linked contract moves the KPI; lists in few queries."""

import datetime

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.pilots.choices import ReportStatus
from tmhub.pilots.models import KpiType, Pilot, StageReport
from tmhub.pilots.tests.helpers import add_kpi, contract, make_pilot, programme, science_officer

pytestmark = pytest.mark.django_db


def test_the_main_journey_through_the_pages(personas):
    """Given the city, when it selects a pilot, sets a KPI and assigns a manager on the pages,
    and the manager files and submits the feasibility report, and the institution links a
    contract, then the KPI's actual value moves from 0 to 1."""
    city = client_for(personas.municipal_admin)
    response = city.post(reverse("pilots:create"), {
        "programme": programme(personas).pk, "code": "Z241100009", "title": "电解质中试",
        "institution": personas.university.pk, "principal_investigator": "王教授",
        "budget_yuan": "1500000.00", "starts_on": "2024-01-01", "ends_on": "2027-12-31",
        "selection_reason": "企业需求明确"})
    pilot = Pilot.objects.get(code="Z241100009")
    assert response.status_code == 302 and pilot.budget_fen == 150_000_000
    city.post(reverse("pilots:kpi-add", args=[pilot.pk]), {
        "k-kpi_type": KpiType.objects.get(code="contracts_signed").pk, "k-target": "2",
        "k-due_on": "2027-06-30", "k-weight": "1"})
    assert pilot.kpis.count() == 1
    page = city.get(reverse("pilots:assign", args=[pilot.pk]))
    assert page.status_code == 200 and b"candidate-table" in page.content
    city.post(reverse("pilots:assign", args=[pilot.pk]),
              {"manager": personas.manager.pk, "mode": "one_to_many"})
    assert pilot.active_assignments().get().manager == personas.manager
    manager = client_for(personas.manager)
    manager.post(reverse("pilots:report-create", args=[pilot.pk]), {"done": "完成可研"})
    report = StageReport.objects.get(pilot=pilot)
    manager.post(reverse("pilots:report-step", args=[report.pk]), {"target": "submitted"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    detail = reverse("pilots:detail", args=[pilot.pk])
    assert 'class="text-end kpi-actual">0<' in manager.get(detail).content.decode()
    signed = contract(personas)
    tto = client_for(personas.institution_admin)
    tto.post(reverse("pilots:contract-link", args=[pilot.pk]), {"c-contract": signed.pk})
    html = tto.get(detail).content.decode()
    assert 'class="text-end kpi-actual">1<' in html and "50.0%" in html


def test_the_list_reads_in_few_queries_and_exports(personas, django_assert_max_num_queries):
    for n in range(6):
        make_pilot(personas, code=f"Z24110000{n}")
    city = client_for(personas.municipal_admin)
    with django_assert_max_num_queries(15):
        response = city.get(reverse("pilots:home"))
    assert response.status_code == 200 and response.content.count(b"Z24110000") >= 6
    export = city.get(reverse("pilots:home") + "?export=csv")
    assert "Z241100005" in export.content.decode("utf-8-sig")


def test_officers_see_their_programme_and_district_only(personas):
    """Given a pilot at 测试大学 (海淀) and one at 另一所大学 (朝阳), then the Haidian officer
    lists only the first; the health officer (not the programme's officer) lists none."""
    make_pilot(personas)
    make_pilot(personas, code="Z249", institution=personas.other_university)
    haidian = client_for(personas.district_officer).get("/api/v1/pilots/").json()
    assert [p["code"] for p in haidian["results"]] == ["Z241100001"]
    science = client_for(science_officer()).get("/api/v1/pilots/").json()
    assert science["count"] == 2
    assert client_for(personas.health_officer).get("/api/v1/pilots/").json()["count"] == 0
    # An education officer is not the programme's officer, even if named on it by mistake:
    # the programme is the Science and Technology Commission's.
    assert client_for(personas.department_officer).get("/api/v1/pilots/").json()["count"] == 0


def test_programme_officer_sees_only_their_programmes_pilots(personas):
    """Given two science-commission officers, each named on one programme, then each lists,
    opens and steers only their programme's pilots; an officer who leaves the department
    loses them at once."""
    from tmhub.accounts.models import Membership
    from tmhub.core import policies

    mine, theirs = science_officer(), science_officer(username="p_science2")
    other = programme(personas, code="KJ-CX-2025", officers=[theirs])
    first = make_pilot(personas)
    second = make_pilot(personas, code="Z250", programme=other)
    for officer, own, foreign in ((mine, first, second), (theirs, second, first)):
        client = client_for(officer)
        codes = [p["code"] for p in client.get("/api/v1/pilots/").json()["results"]]
        assert codes == [own.code]
        assert client.get(reverse("pilots:detail", args=[own.pk])).status_code == 200
        assert client.get(reverse("pilots:detail", args=[foreign.pk])).status_code == 404
        assert client.get(reverse("pilots:home")).content.decode().count(foreign.code) == 0
        assert policies.allows(officer, "steer", own)
        assert not policies.allows(officer, "steer", foreign)
    Membership.objects.filter(user=mine).update(department="education")
    mine = type(mine).objects.get(pk=mine.pk)
    assert client_for(mine).get("/api/v1/pilots/").json()["count"] == 0


def test_a_programme_officer_must_be_of_the_funding_department(personas):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        programme(personas, code="KJ-X", officers=[personas.department_officer])


def test_api_kpis_give_actual_values(personas):
    pilot = make_pilot(personas)
    add_kpi(personas, pilot, "contract_value", "100", due=datetime.date(2027, 1, 1))
    from tmhub.pilots import services

    services.link_contract(pilot, actor=personas.municipal_admin, contract=contract(personas))
    rows = client_for(personas.institution_admin).get(f"/api/v1/pilots/{pilot.pk}/kpis/").json()
    assert rows[0]["actual"] == "50.00" and rows[0]["current_attainment"] == "50.0"
