"""The service catalogue: drafted by the provider's own users, public after city review."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from tmhub.core.models import WorkflowEvent
from tmhub.core.workflow import TransitionError
from tmhub.network import services
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ProviderService, ServiceType
from tmhub.network.tests.helpers import given_service

pytestmark = pytest.mark.django_db


def test_service_types_are_seeded_data():
    """Given the migrations, then the catalogue's service types are rows, in both languages."""
    assert ServiceType.objects.filter(code="fto_search", name_en__icontains="freedom").exists()
    assert ServiceType.objects.filter(category="financing").count() >= 4


def test_a_draft_is_not_public_until_the_city_publishes_it(personas, client):
    """Given a provider's draft, when it is submitted, then only the provider and the city
    see it; when the city publishes it, then anonymous visitors find it in the directory."""
    service = given_service(personas)
    services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
    assert not ProviderService.objects.restrict(personas.outsider).filter(pk=service.pk)
    assert ProviderService.objects.restrict(personas.municipal_admin).filter(pk=service.pk)
    assert personas.provider_org.name not in client.get(reverse("network:home")).content.decode()
    services.step(service, ServiceStatus.PUBLISHED, actor=personas.municipal_admin)
    page = client.get(reverse("network:home")).content.decode()
    assert personas.provider_org.name in page
    detail = client.get(reverse("network:provider-detail", args=[personas.provider_org.pk]))
    assert "发明专利撰写" in detail.content.decode()
    assert WorkflowEvent.objects.filter(event_type="network.service.published").count() == 1


def test_the_provider_cannot_publish_its_own_entry(personas):
    """Given a submitted entry, when its provider tries to publish it, then it is refused."""
    service = given_service(personas)
    services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
    with pytest.raises(TransitionError):
        services.step(service, ServiceStatus.PUBLISHED, actor=personas.service_provider)


def test_returning_needs_a_reason(personas):
    """Given a submitted entry, when the city returns it without a reason, then it is refused;
    with a reason the provider can edit it again."""
    service = given_service(personas)
    services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
    with pytest.raises(TransitionError):
        services.step(service, ServiceStatus.REJECTED, actor=personas.municipal_admin)
    services.step(service, ServiceStatus.REJECTED, actor=personas.municipal_admin,
                  reason="价格区间不清楚")
    services.update_service(service, actor=personas.service_provider, title="专利申请代理")
    service.refresh_from_db()
    assert service.title == "专利申请代理"


def test_only_the_providers_own_users_create_and_edit(personas):
    """Given the provider's draft, when another persona edits it or adds to the provider's
    catalogue, then it is refused as if missing."""
    service = given_service(personas)
    kind = ServiceType.objects.get(code="audit")
    with pytest.raises(Http404):
        services.create_service(actor=personas.manager, provider=personas.provider_org,
                                service_type=kind, title="x", price_on_request=True)
    with pytest.raises(Http404):
        services.update_service(service, actor=personas.enterprise, title="x")
    services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
    with pytest.raises(Http404):  # submitted: no longer editable, even by its provider
        services.update_service(service, actor=personas.service_provider, title="x")


def test_price_range_must_be_ordered_or_on_request(personas):
    """Given a new entry, when the upper price is below the lower, or no price and not 'on
    request', then the field is refused."""
    with pytest.raises(ValidationError) as exc:
        given_service(personas, price_min_fen=2_000_00, price_max_fen=1_000_00)
    assert "price_max_fen" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        given_service(personas, price_min_fen=None, price_max_fen=None)
    assert "price_on_request" in exc.value.error_dict
    on_request = given_service(personas, price_min_fen=None, price_max_fen=None,
                               price_on_request=True)
    assert on_request.price_text == "on request" or on_request.price_text == "面议"


def test_directory_filters_by_service_field_and_district(personas, client):
    """Given a published patent service in the university's fields, when the directory is
    filtered by another service type, then the provider is not listed; by its own, it is."""
    given_service(personas, publish=True)
    url = reverse("network:home")
    assert personas.provider_org.name in client.get(url, {"service": "patent_drafting"}
                                                    ).content.decode()
    assert personas.provider_org.name not in client.get(url, {"service": "audit"}
                                                        ).content.decode()
    assert personas.provider_org.name not in client.get(url, {"financing": "angel"}
                                                        ).content.decode()
    assert client.get(url, {"q": "专利"}).status_code == 200


def test_directory_query_count(personas, client, django_assert_max_num_queries):
    """Given several public entries, the directory reads a bounded number of queries."""
    for n in range(3):
        given_service(personas, title=f"专利服务{n}", publish=True)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("network:home")).status_code == 200


def test_provider_pages_by_form(personas, client):
    """Given the provider's user, when they post the new-service form, then a draft is
    saved; a posted price range in the wrong order is shown next to the field."""
    client.force_login(personas.service_provider)
    url = reverse("network:service-create")
    base = {"provider": personas.provider_org.pk,
            "service_type": ServiceType.objects.get(code="fto_search").pk,
            "title": "FTO检索", "price_min_fen": "3000", "price_max_fen": "1000"}
    response = client.post(url, base)
    assert response.status_code == 200 and not ProviderService.objects.exists()
    response = client.post(url, {**base, "price_max_fen": "8000"})
    service = ProviderService.objects.get()
    assert response.status_code == 302 and service.price_max_fen == 800_000
    assert client.get(service.get_absolute_url()).status_code == 200


def test_coverage_gaps_for_the_city(personas):
    """Given one public patent service in a priority field, the city's coverage page counts
    it, and the cell is still a gap (fewer than two providers)."""
    from tmhub.core.models import IndustryField

    field = IndustryField.objects.filter(is_priority=True).first()
    given_service(personas, publish=True, fields=[field])
    from conftest import client_for

    response = client_for(personas.municipal_admin).get(reverse("network:coverage"))
    assert response.status_code == 200
    row = next(r for r in response.context["table"] if r["type"].code == "patent_drafting")
    cell = row["cells"][response.context["fields"].index(field)]
    assert cell == {"n": 1, "gap": True}
