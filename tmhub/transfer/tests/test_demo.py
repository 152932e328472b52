"""The demo's year of transfer work (tmhub.transfer.demo) goes through the services and their
policies and workflows, and seeding twice changes nothing."""

import pytest

from conftest import PASSWORD
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.demo.base import DemoContext
from tmhub.transfer import demo
from tmhub.transfer.choices import AchievementStatus, DemandStatus, SplitStatus, Stage
from tmhub.transfer.models import Achievement, Contract, Demand, Project, RewardSplit

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(m.objects.count() for m in (Achievement, Demand, Project, Contract, RewardSplit))


def test_the_demo_seeds_projects_in_several_stages_with_money_and_is_idempotent(personas):
    create_user(actor=SYSTEM, username="admin", password=PASSWORD, is_superuser=True)
    demo.seed(DemoContext())
    stages = set(Project.objects.values_list("stage", flat=True))
    assert {Stage.LANDING, Stage.TRANSACTION} <= stages and len(stages) >= 3
    assert Achievement.objects.filter(status=AchievementStatus.PUBLISHED).exists()
    assert Demand.objects.filter(status=DemandStatus.PUBLISHED).count() == len(demo.DEMANDS) - 1
    assert RewardSplit.objects.filter(status=SplitStatus.APPROVED).exists()
    assert RewardSplit.objects.filter(status=SplitStatus.DRAFT).exists()
    assert Project.objects.get(stage=Stage.LANDING).landed_on is not None
    before = _counts()
    demo.seed(DemoContext())
    assert _counts() == before
