"""Collaborations from accepted introductions, completion, and mutual ratings released only
when both sides have rated or the window has closed; the ratings feed the metrics."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.core.models import Notification
from tmhub.core.workflow import TransitionError
from tmhub.network import collaborations
from tmhub.network.choices import CollaborationStatus
from tmhub.network.models import Collaboration, Rating
from tmhub.network.tests.helpers import (
    CLIENT_SCORES,
    PROVIDER_SCORES,
    given_collaboration,
    given_introduction,
)

pytestmark = pytest.mark.django_db


def test_only_an_accepted_introduction_becomes_a_collaboration(personas):
    introduction = given_introduction(personas)
    with pytest.raises(ValidationError):
        collaborations.start_collaboration(introduction, actor=personas.manager,
                                           scope="x", started_on=timezone.localdate())


def test_completion_needs_the_outcome_and_opens_the_rating_window(personas):
    """Given a collaboration in progress without an outcome, completing it is refused; with
    the outcome it completes, the window opens and both sides are told a rating is due."""
    collaboration = given_collaboration(personas)
    assert set(collaboration.managers.all()) == {personas.manager}
    with pytest.raises(ValidationError):
        collaborations.step(collaboration, CollaborationStatus.COMPLETED,
                            actor=personas.manager)
    collaborations.update_collaboration(collaboration, actor=personas.manager, outcome="完成")
    collaboration.refresh_from_db()
    with pytest.raises(TransitionError):  # the provider does not complete it
        collaborations.step(collaboration, CollaborationStatus.COMPLETED,
                            actor=personas.service_provider)
    collaborations.step(collaboration, CollaborationStatus.COMPLETED, actor=personas.manager)
    assert collaboration.rating_closes_on == timezone.localdate() + datetime.timedelta(days=30)
    assert Notification.objects.filter(kind="network.rating_due").count() == 2


def test_ratings_hidden_until_both_rated(personas, client):
    """Given a completed collaboration, when the manager rates, then the provider cannot read
    that rating and the provider page does not show it; once the provider rates too, both
    are released and the provider page shows the client's rating."""
    collaboration = given_collaboration(personas, complete=True)
    collaborations.rate(collaboration, actor=personas.manager, scores=CLIENT_SCORES,
                        comment="专业、及时")
    assert not Rating.objects.restrict(personas.service_provider).exists()
    assert not Rating.objects.restrict(personas.municipal_admin).exists()
    assert Rating.objects.restrict(personas.manager).count() == 1
    page = reverse("network:provider-detail", args=[personas.provider_org.pk])
    assert "专业、及时" not in client.get(page).content.decode()
    collaborations.rate(collaboration, actor=personas.service_provider,
                        scores=PROVIDER_SCORES)
    assert Rating.objects.restrict(personas.service_provider).count() == 2
    assert "专业、及时" in client.get(page).content.decode()
    period = Period.year(timezone.localdate().year)
    assert metrics.get("provider_rating").values([personas.provider_org.pk], period) == {
        personas.provider_org.pk: Decimal("4.50")}
    assert metrics.get("client_rating").values([personas.manager.pk], period)[
        personas.manager.pk] == Decimal("4.67")


def test_a_rating_out_of_range_or_by_an_outsider_is_refused(personas):
    collaboration = given_collaboration(personas, complete=True)
    with pytest.raises(ValidationError) as exc:
        collaborations.rate(collaboration, actor=personas.manager,
                            scores={**CLIENT_SCORES, "quality": 6})
    assert "quality" in exc.value.error_dict
    with pytest.raises(ValidationError):
        collaborations.rate(collaboration, actor=personas.manager,
                            scores={**CLIENT_SCORES, "value": 0})
    with pytest.raises(ValidationError):  # the institution admin is not in the collaboration
        collaborations.rate(collaboration, actor=personas.institution_admin,
                            scores=CLIENT_SCORES)
    collaborations.rate(collaboration, actor=personas.manager, scores=CLIENT_SCORES)
    with pytest.raises(ValidationError):  # once per side
        collaborations.rate(collaboration, actor=personas.manager, scores=CLIENT_SCORES)


def test_the_window_closes_and_releases(personas):
    """Given one side's rating and a window that has closed, the rating is released and no
    more ratings are taken."""
    collaboration = given_collaboration(personas, complete=True)
    collaborations.rate(collaboration, actor=personas.manager, scores=CLIENT_SCORES)
    Collaboration.objects.filter(pk=collaboration.pk).update(
        rating_closes_on=timezone.localdate() - datetime.timedelta(days=1))
    collaboration.refresh_from_db()
    assert Rating.objects.restrict(personas.service_provider).count() == 1
    with pytest.raises(ValidationError):
        collaborations.rate(collaboration, actor=personas.service_provider,
                            scores=PROVIDER_SCORES)


def test_rating_and_documents_by_pages(personas, client):
    collaboration = given_collaboration(personas, complete=True)
    client.force_login(personas.service_provider)
    url = reverse("network:collaboration-rate", args=[collaboration.pk])
    response = client.post(url, {"clarity": "4", "cooperation": "9", "payment": "5"})
    assert response.status_code == 200 and not Rating.objects.exists()
    response = client.post(url, {"clarity": "4", "cooperation": "5", "payment": "5"})
    assert response.status_code == 302 and Rating.objects.count() == 1
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(reverse("network:collaboration-document-add", args=[collaboration.pk]),
                {"title": "检索报告", "file": upload})
    document = collaboration.documents.get()
    assert client.get(reverse("network:collaboration-document",
                              args=[document.pk])).status_code == 200
    client.force_login(personas.enterprise)
    assert client.get(reverse("network:collaboration-document",
                              args=[document.pk])).status_code == 404


def test_work_items_name_what_awaits_each_side(personas):
    """Given an introduction waiting and a completed collaboration, then the provider's My
    work lists the answer and the rating; once the manager rates, the manager's does not."""
    from tmhub.core import work_items

    collaboration = given_collaboration(personas, complete=True)
    given_introduction(personas)
    kinds = [i.kind for i in work_items.items_for(personas.service_provider)]
    assert "network.introduction_to_answer" in kinds and "network.rating_due" in kinds
    assert "network.rating_due" in [i.kind for i in work_items.items_for(personas.manager)]
    collaborations.rate(collaboration, actor=personas.manager, scores=CLIENT_SCORES)
    assert "network.rating_due" not in [i.kind for i in work_items.items_for(personas.manager)]
