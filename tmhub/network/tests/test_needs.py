"""Service needs and introductions: posted for a project, ranked providers with reasons,
introductions answered by the provider, every step attributed and told."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tmhub.core.models import Notification, ObjectChange, WorkflowEvent
from tmhub.core.workflow import TransitionError
from tmhub.network import needs
from tmhub.network.choices import IntroductionStatus, NeedStatus
from tmhub.network.models import Introduction, ServiceNeed, ServiceType
from tmhub.network.tests.helpers import (
    given_introduction,
    given_need,
    given_project,
    given_service,
)
from tmhub.orgs.services import create_organization

pytestmark = pytest.mark.django_db


def test_a_need_is_posted_by_who_works_the_project(personas):
    """Given a project led by the manager, when the manager posts a need, then it is open,
    attributed and audited, with the institution's district by default; the enterprise and
    the provider may not post one."""
    project = given_project(personas)
    need = given_need(personas, project=project)
    assert need.status == NeedStatus.OPEN and need.posted_by == personas.manager
    assert need.district == personas.university.district
    assert ObjectChange.objects.filter(object_id=str(need.pk), action="create").exists()
    for outsider in (personas.enterprise, personas.service_provider, personas.outsider):
        with pytest.raises(Http404):
            needs.post_need(actor=outsider, project=project, service_type=need.service_type,
                            title="x", deadline=need.deadline)


def test_a_deadline_in_the_past_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        given_need(personas, deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert "deadline" in exc.value.error_dict


def test_ranking_prefers_the_catalogue_and_gives_reasons(personas):
    """Given a public patent-drafting service in the need's field and one provider without
    it, when providers are ranked for a patent need, then the catalogue's provider comes
    first with its reasons (service, field, price against budget)."""
    given_service(personas, publish=True, price_min_fen=3_000_000, price_max_fen=5_000_000)
    need = given_need(personas, field=personas.university.fields.first())
    ranked = needs.rank_providers(need, user=personas.manager)
    assert ranked and ranked[0].provider == personas.provider_org
    sentence = ranked[0].sentence
    assert ("专利撰写" in sentence or "Patent drafting" in sentence)
    assert ranked[0].service is not None
    # the budget (20,000 yuan) is below the service's lowest price: said, and scored down
    assert any("budget" in r or "预算" in r for r in ranked[0].reasons)


def test_introduction_accept_is_told_and_timestamped(personas):
    """Given an introduction, when the provider accepts it, then the answer is attributed
    and timestamped, the manager is told, and the provider was told of the introduction."""
    introduction = given_introduction(personas)
    assert Notification.objects.filter(recipient=personas.service_provider,
                                       kind="network.introduction").count() == 1
    assert introduction.reasons["zh"] and introduction.reasons["en"]
    needs.answer(introduction, IntroductionStatus.ACCEPTED, actor=personas.service_provider)
    introduction.refresh_from_db()
    assert introduction.answered_by == personas.service_provider
    assert introduction.answered_at is not None
    assert Notification.objects.filter(recipient=personas.manager,
                                       kind="network.answer").count() == 1
    assert WorkflowEvent.objects.filter(event_type="network.introduction.accepted").exists()


def test_only_the_introduced_provider_answers(personas):
    """Given an introduction, the manager cannot accept it on the provider's behalf, and a
    decline needs a reason."""
    introduction = given_introduction(personas)
    with pytest.raises(TransitionError):
        needs.answer(introduction, IntroductionStatus.ACCEPTED, actor=personas.manager)
    with pytest.raises(TransitionError):
        needs.answer(introduction, IntroductionStatus.DECLINED,
                     actor=personas.service_provider)
    needs.answer(introduction, IntroductionStatus.DECLINED, actor=personas.service_provider,
                 reason="本季度排期已满")
    assert Introduction.objects.get().status == IntroductionStatus.DECLINED


def test_a_provider_is_introduced_once_and_only_to_an_open_need(personas):
    introduction = given_introduction(personas)
    with pytest.raises(ValidationError) as exc:
        needs.introduce(introduction.need, actor=personas.manager,
                        provider=personas.provider_org)
    assert "provider" in exc.value.error_dict
    with pytest.raises(ValidationError):  # a university is not a service provider
        needs.introduce(introduction.need, actor=personas.manager,
                        provider=personas.other_university)
    needs.step_need(introduction.need, NeedStatus.CANCELLED, actor=personas.manager,
                    reason="项目暂停")
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.WITHDRAWN  # waiting ones go with it


def test_another_provider_sees_neither_the_need_nor_the_introduction(personas):
    """Given a need introduced to the test provider, then a user of another provider sees
    neither the need nor its introduction; the introduced provider sees both."""
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    introduction = given_introduction(personas)
    rival = create_organization(actor=SYSTEM, name="另一家律师事务所", kind="law_firm",
                                district=personas.chaoyang)
    user = create_user(actor=SYSTEM, username="p_rival", password="x-Very-long-pass-1",
                       email="rival@example.cn", display_name="rival")
    grant_membership(actor=SYSTEM, user=user, role=Role.SERVICE_PROVIDER, organization=rival)
    assert not ServiceNeed.objects.restrict(user).exists()
    assert not Introduction.objects.restrict(user).exists()
    assert ServiceNeed.objects.restrict(personas.service_provider).get() == introduction.need
    assert Introduction.objects.restrict(personas.service_provider).get() == introduction


def test_the_journey_by_pages(personas, client):
    """Given a public service, when the manager posts a need by form, introduces the ranked
    provider and the provider accepts by its page, then the need page shows the answer."""
    given_service(personas, publish=True)
    project = given_project(personas)
    client.force_login(personas.manager)
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    form = {"project": project.pk, "title": "专利布局",
            "service_type": ServiceType.objects.get(code="patent_drafting").pk,
            "budget_fen": "20000", "deadline": "2020-01-01"}
    response = client.post(reverse("network:need-create"), form)
    assert response.status_code == 200 and not ServiceNeed.objects.exists()  # past deadline
    response = client.post(reverse("network:need-create"), {**form, "deadline": deadline})
    need = ServiceNeed.objects.get()
    assert response.status_code == 302 and need.budget_fen == 2_000_000
    page = client.get(need.get_absolute_url()).content.decode()
    assert personas.provider_org.name in page and 'id="ranked-providers"' in page
    client.post(reverse("network:need-introduce", args=[need.pk]),
                {"provider": personas.provider_org.pk, "message": "您好"})
    introduction = Introduction.objects.get()
    client.force_login(personas.service_provider)
    assert client.get(reverse("network:introduction-list")).status_code == 200
    client.post(reverse("network:introduction-step",
                        args=[introduction.pk, IntroductionStatus.ACCEPTED]))
    introduction.refresh_from_db()
    assert introduction.status == IntroductionStatus.ACCEPTED
    client.force_login(personas.manager)
    assert "p_provider" in client.get(need.get_absolute_url()).content.decode()
