"""My work's demo: the fee schedule and demo patents on the demo institution, dated from
today (a fee due within weeks, one in its late period, a lapsed patent without fees), twice."""

import pytest

from conftest import PASSWORD
from tmhub.accounts.services import create_user, grant_membership
from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.demo.base import DemoContext
from tmhub.core.roles import Role
from tmhub.mywork import demo
from tmhub.mywork.models import FeeSchedule
from tmhub.transfer.models import IPRecord
from tmhub.transfer.tests.chain import make_achievement

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_tto_admin_a_due_fee_and_a_late_one(personas):
    admin = create_user(actor=SYSTEM, username="tto_admin", password=PASSWORD)
    grant_membership(actor=SYSTEM, user=admin, role=Role.INSTITUTION_ADMIN,
                     organization=personas.university)
    make_achievement(personas, actor=admin)
    demo.seed(DemoContext())
    demo.seed(DemoContext())
    assert FeeSchedule.objects.count() == len(demo.FEE_BANDS)
    assert IPRecord.objects.count() == 4
    fees = [i for i in work_items.items_for(get_scope(admin)) if i.kind == "transfer.patent_fee"]
    assert [i.extra["deadline"] for i in fees] == ["late_fee", "fee"]
    assert all("元" in i.detail or "yuan" in i.detail for i in fees)
