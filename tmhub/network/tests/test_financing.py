"""Financing rounds: linked to a project and/or company, positive amounts in fen, never in
the future, corrected by reversal; the metrics by district and field; the project's page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.core.models import IndustryField
from tmhub.network import financing
from tmhub.network.choices import FinancingStatus
from tmhub.network.models import Financing
from tmhub.network.tests.helpers import given_financing, given_project

pytestmark = pytest.mark.django_db


def test_negative_zero_or_future_rounds_are_refused(personas):
    for bad in ({"amount_fen": -100}, {"amount_fen": 0},
                {"financed_on": timezone.localdate() + datetime.timedelta(days=1)}):
        with pytest.raises(ValidationError) as exc:
            given_financing(personas, **bad)
        assert set(exc.value.error_dict) & {"amount_fen", "financed_on"}
    with pytest.raises(ValidationError) as exc:  # a loan takes no equity
        given_financing(personas, kind="loan", instrument="debt", equity_share=5)
    assert "equity_share" in exc.value.error_dict
    assert not Financing.objects.exists()


def test_only_who_works_the_project_records_and_sees(personas):
    project = given_project(personas)
    round_ = given_financing(personas, project=project, beijing_fund=True)
    assert round_.district == personas.university.district
    with pytest.raises(Http404):
        financing.record_financing(actor=personas.service_provider, project=project,
                                   kind="angel", instrument="equity", investor_name="x",
                                   amount_fen=100, financed_on=timezone.localdate())
    assert not Financing.objects.restrict(personas.enterprise).exists()
    assert Financing.objects.restrict(personas.district_officer).get() == round_


def test_reversal_and_metrics(personas):
    """Given two rounds, when one is reversed, then the district and field metrics count the
    other only, and the reversed round cannot be reversed twice."""
    field = IndustryField.objects.order_by("pk").first()
    project = given_project(personas)
    kept = given_financing(personas, project=project, field=field, beijing_fund=True)
    wrong = given_financing(personas, project=project, field=field, amount_fen=999)
    with pytest.raises(ValidationError):
        financing.reverse_financing(wrong, actor=personas.manager, reason="")
    reversal = financing.reverse_financing(wrong, actor=personas.manager, reason="金额录入错误")
    with pytest.raises(ValidationError):
        financing.reverse_financing(wrong, actor=personas.manager, reason="again")
    financing.step(reversal, FinancingStatus.APPROVED, actor=personas.institution_admin)
    period = Period.year(kept.financed_on.year)
    haidian = personas.university.district_id
    assert metrics.get("financing_amount_district").values([haidian], period) == {
        haidian: kept.amount_fen}
    assert metrics.get("financing_amount_field").values([field.pk], period) == {
        field.pk: kept.amount_fen}
    assert metrics.get("financing_amount_beijing_fund").values([haidian], period) == {
        haidian: kept.amount_fen}


def test_project_page_shows_the_history_and_the_form_refuses_a_negative(personas, client):
    project = given_project(personas)
    given_financing(personas, project=project)
    client.force_login(personas.manager)
    page = client.get(reverse("network:project", args=[project.pk])).content.decode()
    assert 'id="financing-history"' in page and "3,000,000" in page
    response = client.post(reverse("network:financing-create"), {
        "project": project.pk, "kind": "venture", "instrument": "equity",
        "investor_name": "某创业投资基金", "amount_fen": "-5",
        "financed_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and Financing.objects.count() == 1
    client.force_login(personas.service_provider)
    assert client.get(reverse("network:project", args=[project.pk])).status_code == 404


def test_the_year_filter_takes_a_year_and_refuses_what_is_not_one(personas):
    """Given a round of this year, when the financing API is asked for this year it lists it;
    year 0 (schemathesis sent 0.0, a 500) or a far year is a field error, not a server error."""
    from conftest import client_for

    given_financing(personas)
    client = client_for(personas.municipal_admin)
    url = "/api/v1/financings/"
    this_year = client.get(url, {"year": timezone.localdate().year})
    assert this_year.status_code == 200
    for bad in ("0.0", "0", "99999"):
        response = client.get(url, {"year": bad})
        assert response.status_code == 400 and "year" in response.json()["fields"], bad
