"""Records made through the services, for the network tests."""

from tmhub.network import services
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ServiceType


def given_service(personas, *, title="发明专利撰写", publish=False, **extra):
    data = {"service_type": ServiceType.objects.get(code="patent_drafting"), "title": title,
            "title_en": "Patent drafting", "price_min_fen": 500_000, "price_max_fen": 1_500_000}
    data.update(extra)
    service = services.create_service(actor=personas.service_provider,
                                      provider=personas.provider_org,
                                      fields=list(personas.university.fields.all()), **data)
    if publish:
        services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
        services.step(service, ServiceStatus.PUBLISHED, actor=personas.municipal_admin)
    return service
