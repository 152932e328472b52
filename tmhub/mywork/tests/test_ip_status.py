"""An IP record's status changes (granted, lapsed, abandoned, restored): which moves are
allowed, what each needs, the history they leave, and the patents that went unpaid."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.models import ObjectChange
from tmhub.mywork.patents import add_months
from tmhub.mywork.services import change_ip_status, record_fee_payment
from tmhub.mywork.tests.helpers import add_patent
from tmhub.transfer.tests.chain import make_achievement

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def items(user, kind):
    return [i for i in work_items.items_for(get_scope(user)) if i.kind == kind]


@pytest.fixture
def achievement(personas):
    return make_achievement(personas, actor=personas.institution_admin)


def test_a_lapse_needs_a_reason_and_ends_the_fees(personas, achievement):
    today = timezone.localdate()
    filed = add_months(today + 20 * DAY, -12 * 4)  # year 5's fee falls due in 20 days
    record = add_patent(achievement, personas.institution_admin, filed_on=filed,
                        granted_on=add_months(filed, 18))
    assert items(personas.institution_admin, "transfer.patent_fee")
    with pytest.raises(ValidationError) as no_reason:
        change_ip_status(record, actor=personas.institution_admin, status="lapsed",
                         effective_on=today)
    assert no_reason.value.message_dict.keys() == {"reason"}
    with pytest.raises(Http404):
        change_ip_status(record, actor=personas.outsider, status="lapsed",
                         effective_on=today, reason="x")
    change = change_ip_status(record, actor=personas.institution_admin, status="abandoned",
                              effective_on=today, reason="权利人书面声明放弃")
    record.refresh_from_db()
    assert record.status == "abandoned"
    assert (change.from_status, change.to_status, change.recorded_by) == (
        "granted", "abandoned", personas.institution_admin)
    assert items(personas.institution_admin, "transfer.patent_fee") == []  # no more fees
    assert ObjectChange.objects.filter(object_id=record.pk,
                                       action=ObjectChange.Action.UPDATE).exists()
    with pytest.raises(ValidationError) as final:  # abandoned is final
        change_ip_status(record, actor=personas.institution_admin, status="granted",
                         effective_on=today, reason="撤回")
    assert final.value.message_dict.keys() == {"status"}


def test_a_grant_dates_the_record_and_dates_keep_their_order(personas, achievement):
    record = add_patent(achievement, personas.institution_admin,
                        filed_on=datetime.date(2022, 3, 10), granted_on=None, status="published")
    with pytest.raises(ValidationError) as early:
        change_ip_status(record, actor=personas.institution_admin, status="granted",
                         effective_on=datetime.date(2022, 3, 9))
    assert early.value.message_dict.keys() == {"effective_on"}
    with pytest.raises(ValidationError) as backwards:
        change_ip_status(record, actor=personas.institution_admin, status="filed",
                         effective_on=datetime.date(2023, 1, 1))
    assert backwards.value.message_dict.keys() == {"status"}
    change_ip_status(record, actor=personas.institution_admin, status="granted",
                     effective_on=datetime.date(2024, 5, 7))
    record.refresh_from_db()
    assert (record.status, record.granted_on) == ("granted", datetime.date(2024, 5, 7))
    with pytest.raises(ValidationError) as before_last:
        change_ip_status(record, actor=personas.institution_admin, status="lapsed",
                         effective_on=datetime.date(2024, 5, 1), reason="未缴年费")
    assert before_last.value.message_dict.keys() == {"effective_on"}
    change_ip_status(record, actor=personas.institution_admin, status="lapsed",
                     effective_on=datetime.date(2025, 6, 1), reason="未缴年费")
    change_ip_status(record, actor=personas.institution_admin, status="granted",
                     effective_on=datetime.date(2025, 7, 1), reason="请求恢复权利获准")
    assert list(record.status_changes.values_list("to_status", flat=True)) == [
        "granted", "lapsed", "granted"]
    record.refresh_from_db()
    assert record.granted_on == datetime.date(2024, 5, 7)  # a restoration keeps the grant date


def test_a_fee_unpaid_past_its_late_period_asks_for_the_lapse(personas, achievement):
    today = timezone.localdate()
    filed = add_months(today - 200 * DAY, -12 * 3)  # year 4's fee fell due 200 days ago
    record = add_patent(achievement, personas.institution_admin, filed_on=filed,
                        granted_on=add_months(filed, 20))
    record_fee_payment(record, actor=personas.institution_admin, year=3,
                       paid_on=add_months(filed, 24), amount_fen=90_000)
    [item] = items(personas.institution_admin, "transfer.patent_lapse")
    assert item.record == record and item.extra["year"] == 4 and item.overdue()
    for persona in ("outsider", "enterprise", "district_officer", "municipal_admin"):
        assert items(getattr(personas, persona), "transfer.patent_lapse") == [], persona
    change_ip_status(record, actor=personas.institution_admin, status="lapsed",
                     effective_on=today, reason="第4年度年费滞纳期满未缴")
    assert items(personas.institution_admin, "transfer.patent_lapse") == []


def test_the_portfolio_shows_the_history_and_records_a_change(client, personas, achievement):
    today = timezone.localdate()
    record = add_patent(achievement, personas.institution_admin,
                        filed_on=datetime.date(2021, 9, 1), granted_on=datetime.date(2023, 2, 1))
    page_url = reverse("mywork:patents", args=[personas.university.pk])
    url = reverse("mywork:ip-status", args=[record.pk])
    client.force_login(personas.institution_admin)
    page = client.get(page_url)
    [row] = page.context["table"]
    assert dict(row["status_form"].fields["status"].choices).keys() == {"lapsed", "abandoned"}
    refused = client.post(url, {f"status-{record.pk}-status": "lapsed",
                                f"status-{record.pk}-effective_on": today.isoformat()},
                          follow=True)
    assert "lapsed" != record.__class__.objects.get(pk=record.pk).status
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    client.post(url, {f"status-{record.pk}-status": "lapsed",
                      f"status-{record.pk}-effective_on": today.isoformat(),
                      f"status-{record.pk}-reason": "国家知识产权局终止通知"})
    record.refresh_from_db()
    assert record.status == "lapsed"
    html = client.get(page_url).content.decode()
    assert "国家知识产权局终止通知" in html and 'class="small mt-2 mb-1 status-history"' in html
    client.force_login(personas.outsider)
    assert client.post(url, {f"status-{record.pk}-status": "granted"}).status_code == 404
