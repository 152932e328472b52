"""The next step from a match: an introduction request notifies the other side and is logged
in the project as an introduction; nobody else may ask."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import Notification
from tmhub.matching.models import IntroductionRequest
from tmhub.matching.tests.factories import matching_world
from tmhub.transfer.choices import ActivityKind

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("matching:request-introduction", args=[world.demand.pk, world.published.pk])


def test_the_enterprise_expresses_interest(personas, django_capture_on_commit_callbacks):
    world = matching_world(personas)
    client = client_for(personas.enterprise)
    # the demand's panel offers the step on the matching achievement
    panel = client.get(reverse("matching:achievements-for-demand", args=[world.demand.pk]))
    assert "Express interest" in panel.content.decode() or "表达意向" in panel.content.decode()
    # when the enterprise confirms it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(world), {"next": world.demand.get_absolute_url()})
    assert response.status_code == 302
    request = IntroductionRequest.objects.get()
    assert request.side == IntroductionRequest.Side.DEMAND
    assert request.requested_by == personas.enterprise
    # then the project carrying the achievement logs an introduction of the enterprise,
    # attributed to its lead manager
    activity = request.activity
    assert activity.kind == ActivityKind.INTRODUCTION and activity.is_introduction
    assert activity.project == world.project and activity.manager == personas.manager
    assert activity.counterpart == personas.company
    # and the achievement's side is told: its manager and its institution's administrator
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {personas.manager.username, personas.institution_admin.username} <= told
    assert personas.enterprise.username not in told
    # the panel now says it was asked, and a second request is refused
    panel = client.get(reverse("matching:achievements-for-demand", args=[world.demand.pk]))
    assert "Introduction requested" in panel.content.decode() or "已申请对接" in (
        panel.content.decode()
    )
    client.post(_url(world))
    assert IntroductionRequest.objects.count() == 1


def test_the_achievement_side_requests_an_introduction(personas):
    world = matching_world(personas)
    client_for(personas.manager).post(_url(world))
    request = IntroductionRequest.objects.get()
    assert request.side == IntroductionRequest.Side.ACHIEVEMENT
    assert request.activity.manager == personas.manager
    assert request.activity.recorded_by == personas.manager
    told = set(
        Notification.objects.filter(subject__contains=world.demand.title).values_list(
            "recipient__username", flat=True
        )
    )
    assert personas.enterprise.username in told


@pytest.mark.parametrize(
    "persona", ["outsider", "service_provider", "reviewer", "district_officer"]
)
def test_nobody_else_may_ask(personas, persona):
    world = matching_world(personas)
    response = client_for(getattr(personas, persona)).post(_url(world))
    assert response.status_code == 404
    assert not IntroductionRequest.objects.exists()


def test_a_get_is_refused(personas):
    world = matching_world(personas)
    assert client_for(personas.enterprise).get(_url(world)).status_code == 405
