"""The network's demo data: every page has content, dates are in the past, ratings released."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tmhub.network.models import Collaboration, Financing, Introduction, Rating, ServiceNeed


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from tmhub.core.reference_data import ensure_reference_data

        with transaction.atomic():
            ensure_reference_data()
            call_command("seed_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_network_has_content_in_the_past(demo):
    from tmhub.accounts.models import User
    from tmhub.core import work_items

    today = timezone.localdate()
    assert ServiceNeed.objects.count() >= 5
    assert Introduction.objects.filter(status="sent").exists()
    assert Introduction.objects.filter(status="declined").exists()
    assert Collaboration.objects.filter(ratings_released_at__isnull=False).exists()
    assert Collaboration.objects.filter(status="active").exists()
    assert Rating.objects.count() >= 3
    assert Financing.objects.filter(beijing_fund=True).exists()
    assert not Financing.objects.filter(financed_on__gt=today).exists()
    # Approved by a second person, after the round; one awaits its approver today.
    assert Financing.objects.effective().filter(beijing_fund=True).exists()
    assert Financing.objects.filter(status="pending").count() == 1
    for f in Financing.objects.filter(status="approved"):
        assert f.decided_by_id and f.decided_by_id != f.recorded_by_id
        assert f.financed_on <= f.decided_at.date() <= today
    for f in Financing.objects.all():  # recorded on the day of the round, not at seeding
        assert timezone.localtime(f.created_at).date() == f.financed_on
    for need in ServiceNeed.objects.all():
        assert need.created_at.date() <= today
        assert need.project.started_on <= need.created_at.date()
    for c in Collaboration.objects.exclude(completed_on=None):
        assert c.started_on <= c.completed_on <= today
    provider = User.objects.get(username="provider")
    kinds = {i.kind for i in work_items.items_for(provider)}
    assert "network.introduction_to_answer" in kinds and "network.rating_due" in kinds
