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
