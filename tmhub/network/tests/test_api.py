"""The providers API: public services only, the directory's filters."""

import pytest

from tmhub.network.tests.helpers import given_service

pytestmark = pytest.mark.django_db


def test_providers_api_lists_public_services_only(personas, client):
    """Given one public and one draft entry, when anyone reads /api/v1/providers/, then the
    provider is listed with its public entry only, and the service filter narrows the list."""
    public = given_service(personas, title="公开专利服务", publish=True)
    given_service(personas, title="草稿服务")
    rows = client.get("/api/v1/providers/").json()
    rows = rows.get("results", rows)
    assert [r["id"] for r in rows] == [personas.provider_org.pk]
    assert [s["id"] for s in rows[0]["services"]] == [public.pk]
    assert rows[0]["services"][0]["service_type"] == "patent_drafting"
    other = client.get("/api/v1/providers/", {"service": "audit"}).json()
    assert other.get("results", other) == []
    assert client.get("/api/v1/providers/", {"service": "nonsense"}).status_code == 400


def test_needs_collaborations_and_financing_by_api(personas):
    """Given the manager, when they post a need and introduce the provider by the API, then
    the provider reads it; a rating out of range and a negative amount are 400s."""
    import datetime

    from django.utils import timezone

    from conftest import client_for
    from tmhub.network.tests.helpers import CLIENT_SCORES, given_collaboration, given_project

    given_service(personas, publish=True)
    project = given_project(personas)
    manager = client_for(personas.manager)
    deadline = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    created = manager.post("/api/v1/service-needs/", {
        "project": project.pk, "service_type": "patent_drafting", "title": "专利布局",
        "budget_fen": 1_000_000, "deadline": deadline}, content_type="application/json")
    assert created.status_code == 201, created.content
    need_id = created.json()["id"]
    answer = manager.post(f"/api/v1/service-needs/{need_id}/introduce/",
                          {"provider": personas.provider_org.pk},
                          content_type="application/json")
    assert answer.status_code == 201 and answer.json()["reasons"]["zh"]
    provider = client_for(personas.service_provider)
    assert provider.get(f"/api/v1/service-needs/{need_id}/").status_code == 200
    collaboration = given_collaboration(personas, complete=True)
    url = f"/api/v1/collaborations/{collaboration.pk}/rate/"
    bad = manager.post(url, {"scores": {**CLIENT_SCORES, "quality": 0}},
                       content_type="application/json")
    assert bad.status_code == 400
    good = manager.post(url, {"scores": CLIENT_SCORES, "comment": "好"},
                        content_type="application/json")
    assert good.status_code == 201
    # the provider has not rated: it reads no rating yet
    assert provider.get(f"/api/v1/collaborations/{collaboration.pk}/").json()["ratings"] == []
    negative = manager.post("/api/v1/financings/", {
        "project": project.pk, "kind": "angel", "instrument": "equity",
        "investor_name": "个人投资者", "amount_fen": -1,
        "financed_on": timezone.localdate().isoformat()}, content_type="application/json")
    assert negative.status_code == 400 and "amount_fen" in negative.content.decode()


def test_financing_is_approved_by_api_by_a_second_person_only(personas):
    """Given a round the manager recorded by the API, it is pending; the manager's own
    approval is refused (400), the provider gets 404, the institution's administrator approves
    it and the round then counts."""
    import datetime

    from django.utils import timezone

    from conftest import client_for
    from tmhub.network.models import Financing
    from tmhub.network.tests.helpers import given_project

    project = given_project(personas)
    manager = client_for(personas.manager)
    created = manager.post("/api/v1/financings/", {
        "project": project.pk, "kind": "angel", "instrument": "equity",
        "investor_name": "个人投资者", "amount_fen": 100_000_00,
        "financed_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
        content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    url = f"/api/v1/financings/{created.json()['id']}/transition/"
    refused = manager.post(url, {"target": "approved"}, content_type="application/json")
    assert refused.status_code == 400
    outsider = client_for(personas.service_provider)
    assert outsider.post(url, {"target": "approved"},
                         content_type="application/json").status_code == 404
    admin = client_for(personas.institution_admin)
    approved = admin.post(url, {"target": "approved"}, content_type="application/json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] == personas.institution_admin.pk
    assert Financing.objects.effective().count() == 1
