"""Records made through the services, for the network tests."""

from tmhub.network import services
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ServiceType


def given_service(personas, *, title="发明专利撰写", publish=False, **extra):
    data = {"service_type": ServiceType.objects.get(code="patent_drafting"), "title": title,
            "title_en": "Patent drafting", "price_min_fen": 500_000, "price_max_fen": 1_500_000}
    fields = extra.pop("fields", None)
    if fields is None:
        fields = list(personas.university.fields.all())
    data.update(extra)
    service = services.create_service(actor=personas.service_provider,
                                      provider=personas.provider_org, fields=fields, **data)
    if publish:
        services.step(service, ServiceStatus.SUBMITTED, actor=personas.service_provider)
        services.step(service, ServiceStatus.PUBLISHED, actor=personas.municipal_admin)
    return service


def given_project(personas, title="高通量筛选平台转化项目"):
    """A transfer project of the test university, led by the test manager."""
    from tmhub.transfer.services import create_project

    return create_project(actor=personas.manager, institution=personas.university, title=title)


def given_need(personas, *, project=None, **extra):
    import datetime

    from django.utils import timezone

    from tmhub.network import needs

    data = {"service_type": ServiceType.objects.get(code="patent_drafting"),
            "title": "核心算法专利布局", "budget_fen": 2_000_000,
            "deadline": timezone.localdate() + datetime.timedelta(days=30)}
    data.update(extra)
    return needs.post_need(actor=personas.manager, project=project or given_project(personas),
                           **data)


def given_introduction(personas, *, need=None, publish=True):
    from tmhub.network import needs

    if publish:
        given_service(personas, publish=True)
    need = need or given_need(personas)
    return needs.introduce(need, actor=personas.manager, provider=personas.provider_org,
                           message="请尽快联系")


def given_collaboration(personas, *, complete=False, **extra):
    """A collaboration from an accepted introduction of the test provider."""
    from django.utils import timezone

    from tmhub.network import collaborations, needs
    from tmhub.network.choices import CollaborationStatus, IntroductionStatus

    introduction = given_introduction(personas)
    needs.answer(introduction, IntroductionStatus.ACCEPTED, actor=personas.service_provider)
    data = {"scope": "专利检索与撰写", "started_on": timezone.localdate(), "fee_fen": 1_500_000}
    data.update(extra)
    collaboration = collaborations.start_collaboration(introduction, actor=personas.manager,
                                                       **data)
    if complete:
        collaborations.update_collaboration(collaboration, actor=personas.manager,
                                            outcome="提交两件发明专利申请")
        collaboration.refresh_from_db()
        collaborations.step(collaboration, CollaborationStatus.COMPLETED,
                            actor=personas.manager)
    return collaboration


CLIENT_SCORES = {"quality": 5, "timeliness": 4, "communication": 5, "value": 4}
PROVIDER_SCORES = {"clarity": 4, "cooperation": 5, "payment": 5}


def given_financing(personas, *, project=None, approve=True, **extra):
    """A round recorded by the project's manager and, unless `approve=False`, approved by
    the institution's administrator (the second person)."""
    import datetime

    from django.utils import timezone

    from tmhub.network import financing
    from tmhub.network.choices import FinancingStatus

    data = {"kind": "angel", "instrument": "equity", "investor_name": "天使投资人（个人）",
            "amount_fen": 300_000_000, "equity_share": 10,
            "financed_on": timezone.localdate() - datetime.timedelta(days=10)}
    data.update(extra)
    round_ = financing.record_financing(actor=personas.manager,
                                        project=project or given_project(personas), **data)
    if approve:
        financing.step(round_, FinancingStatus.APPROVED, actor=personas.institution_admin)
    return round_
