"""The districts write API (issue 15 item 10) and events' follow-ups and outcomes (item 9):
the same policies and checks as the pages, because both call the same services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core import metrics
from tmhub.core.models import ObjectChange
from tmhub.districts import services
from tmhub.districts.choices import ApplicationStatus, LandingKind, ParticipantKind, PostStatus
from tmhub.districts.models import (
    CommissionerPost,
    EventFollowUp,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)
from tmhub.districts.tests.world import valid_credit_code

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def test_an_officer_writes_their_own_district_through_the_api(personas):
    """Given the Haidian officer, when they create an agreement, a post, an event and a
    landing for Haidian through the API, then each is saved and audited; for Chaoyang each is
    refused with a field error and nothing is saved."""
    client = client_for(personas.district_officer)
    today = _today()
    payloads = {
        "/api/v1/liaison-agreements/": {
            "institution": personas.university.pk, "district_contact": "王老师",
            "institution_contact": "李老师", "scope": "成果对接",
            "starts_on": str(today), "ends_on": str(today + datetime.timedelta(days=365))},
        "/api/v1/commissioner-posts/": {"title": "科技成果转化专员", "park": "中关村软件园",
                                        "time_basis": "part_time"},
        "/api/v1/events/": {"title": "对接会", "organiser": "海淀区科委", "online": True,
                            "held_on": str(today + datetime.timedelta(days=9)),
                            "capacity": 30},
        "/api/v1/landings/": {"kind": LandingKind.COMPANY, "title": "新公司设立",
                              "occurred_on": str(today), "company_name": "北京某科技有限公司",
                              "credit_code": valid_credit_code(),
                              "managers": [personas.manager.pk]},
    }
    models = {"/api/v1/liaison-agreements/": LiaisonAgreement,
              "/api/v1/commissioner-posts/": CommissionerPost,
              "/api/v1/events/": MatchEvent, "/api/v1/landings/": Landing}
    for url, payload in payloads.items():
        refused = _post(client, url, {**payload, "district": personas.chaoyang.pk})
        assert refused.status_code == 400, (url, refused.content)
        assert "district" in refused.json()["fields"]
        assert not models[url].objects.exists()
        made = _post(client, url, {**payload, "district": personas.haidian.pk})
        assert made.status_code == 201, (url, made.content)
        row = models[url].objects.get()
        assert made.json()["id"] == row.pk and row.district == personas.haidian
        assert ObjectChange.objects.filter(object_id=row.pk,
                                           action=ObjectChange.Action.CREATE).exists()
    assert _post(client_for(None), "/api/v1/events/", {}).status_code in (401, 403)
    manager = _post(client_for(personas.manager), "/api/v1/events/",
                    {**payloads["/api/v1/events/"], "district": personas.haidian.pk})
    assert manager.status_code == 400 and MatchEvent.objects.count() == 1


def test_api_landing_with_a_bad_credit_code_or_another_districts_contract_is_refused(personas):
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import ContractKind, PartyRole

    client = client_for(personas.district_officer)
    good = valid_credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    base = {"district": personas.haidian.pk, "title": "落地", "occurred_on": str(_today())}
    answer = _post(client, "/api/v1/landings/", {**base, "kind": LandingKind.COMPANY,
                                                 "company_name": "某公司", "credit_code": bad})
    assert answer.status_code == 400 and "credit_code" in answer.json()["fields"]
    deal = transfer.create_contract(
        actor=personas.municipal_admin, institution=personas.university, title="许可合同",
        kind=ContractKind.LICENCE, amount_fen=1_000_000, signed_on=_today(),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    city = client_for(personas.municipal_admin)  # the city sees the contract; it is Chaoyang's
    answer = _post(city, "/api/v1/landings/", {**base, "kind": LandingKind.CONTRACT,
                                               "contract": deal.pk})
    assert answer.status_code == 400
    assert answer.json()["fields"]["contract"][0]["code"] == "contract_other_district"
    assert not Landing.objects.exists()


def test_a_vacancy_published_applied_for_and_filled_through_the_api(personas):
    officer, manager = client_for(personas.district_officer), client_for(personas.manager)
    made = _post(officer, "/api/v1/commissioner-posts/", {
        "district": personas.haidian.pk, "title": "专员", "park": "中关村生命科学园",
        "time_basis": "full_time"}).json()
    url = f"/api/v1/commissioner-posts/{made['id']}/"
    assert _post(manager, url + "apply/", {"statement": "经验"}).status_code == 404  # draft
    assert _post(manager, url + "publish/", {}).status_code == 404
    assert _post(officer, url + "publish/", {}).json()["status"] == PostStatus.OPEN
    assert _post(manager, url + "apply/", {"statement": "十年技术转移经验"}).status_code == 201
    post = CommissionerPost.objects.get()
    application = post.applications.get()
    term = {"application": application.pk, "term_start": str(_today()),
            "term_end": str(_today() + datetime.timedelta(days=730))}
    assert _post(manager, url + "appoint/", term).status_code == 404
    answer = _post(officer, url + "appoint/", term).json()
    assert answer["status"] == PostStatus.FILLED and answer["holder"] == personas.manager.pk
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPOINTED


def _held_today_with_two_attendees(personas):
    event = services.create_event(actor=personas.district_officer, district=personas.haidian,
                                  title="成果对接会", organiser="海淀区科委", held_on=_today(),
                                  online=True, capacity=10)
    a = services.register_for_event(event, actor=personas.enterprise,
                                    participant_kind=ParticipantKind.ENTERPRISE,
                                    organization=personas.company)
    b = services.register_for_event(event, actor=personas.manager,
                                    participant_kind=ParticipantKind.MANAGER)
    c = services.register_for_event(event, actor=personas.institution_admin,
                                    participant_kind=ParticipantKind.INSTITUTION,
                                    organization=personas.university)
    services.record_attendance(event, actor=personas.district_officer,
                               attended_ids=[a.pk, b.pk])
    return event, a, b, c


def test_follow_ups_are_introductions_between_attendees_and_outcomes_trace_back(personas):
    """Given an event held today with two attendees and one absentee, then the district
    records an introduction between the attendees (page and API), never with the absentee or
    of a person with themself; a landing recorded from the event is its outcome."""
    from django.core.exceptions import ValidationError

    event, a, b, c = _held_today_with_two_attendees(personas)
    with pytest.raises(ValidationError) as exc:
        services.record_follow_up(event, actor=personas.district_officer, first=a, second=c,
                                  note="约定面谈")
    assert exc.value.error_dict["second"][0].code == "not_attended"
    with pytest.raises(ValidationError):
        services.record_follow_up(event, actor=personas.district_officer, first=a, second=a,
                                  note="约定面谈")
    page = client_for(personas.district_officer)
    answer = page.post(reverse("districts:event_follow_up", args=[event.pk]),
                       {"first": a.pk, "second": b.pk, "note": "约定下周到企业面谈"})
    assert answer.status_code == 302
    assert EventFollowUp.objects.count() == 1
    api = f"/api/v1/events/{event.pk}/follow-ups/"
    assert client_for(personas.manager).get(api).status_code == 404
    assert _post(client_for(personas.manager), api,
                 {"first": b.pk, "second": a.pk, "note": "x"}).status_code == 404
    made = _post(page, api, {"first": b.pk, "second": a.pk, "note": "技术经理人跟进许可谈判"})
    assert made.status_code == 201, made.content
    assert len(page.get(api).json()) == 2
    detail = page.get(reverse("districts:event_detail", args=[event.pk])).content.decode()
    assert "约定下周到企业面谈" in detail
    services.record_landing(actor=personas.district_officer, district=personas.haidian,
                            kind=LandingKind.COMPANY, title="对接会后设立的公司",
                            occurred_on=_today(), company_name="北京某科技有限公司",
                            credit_code=valid_credit_code(), event=event)
    shown = page.get(f"/api/v1/events/{event.pk}/").json()
    assert shown["follow_ups"] == 2 and shown["landings"] == 1 and shown["attended"] == 2
    assert shown["held"] is False  # held today: it counts as held once the day has passed


def test_follow_ups_wait_for_the_event(personas):
    from django.core.exceptions import ValidationError

    event = services.create_event(actor=personas.district_officer, district=personas.haidian,
                                  title="未来的对接会", organiser="海淀区科委", online=True,
                                  held_on=_today() + datetime.timedelta(days=3), capacity=5)
    a = services.register_for_event(event, actor=personas.enterprise,
                                    participant_kind=ParticipantKind.ENTERPRISE,
                                    organization=personas.company)
    with pytest.raises(ValidationError) as exc:
        services.record_follow_up(event, actor=personas.district_officer, first=a, second=a,
                                  note="x")
    assert exc.value.error_dict["note"][0].code == "not_yet_held"


def test_events_count_as_held_only_once_their_date_has_passed(personas):
    """Given events yesterday, today and tomorrow, then this year's figure counts only
    yesterday's (an independent count: the events dated before today)."""
    today = _today()
    for days in (-1, 0, 1):
        day = today + datetime.timedelta(days=days)
        if day.year != today.year:
            continue
        services.create_event(actor=personas.district_officer, district=personas.haidian,
                              title=f"活动{days}", organiser="海淀区科委", online=True,
                              held_on=day, capacity=5)
    expected = MatchEvent.objects.filter(held_on__lt=today,
                                         held_on__year=today.year).count()
    got = metrics.get("districts.events").values([personas.haidian.pk],
                                                 metrics.Period.year(today.year))
    assert got[personas.haidian.pk] == expected
    assert MatchEvent.objects.filter(held_on__gte=today).exists()


def test_applications_to_decide_are_the_districts_work(personas):
    """Given an open vacancy with an application, then the Haidian officer (and the city) have
    it to decide, due when applications close; nobody else; once appointed it is gone."""
    from tmhub.core import work_items
    from tmhub.core.access import get_scope

    def items(user):
        return [i for i in work_items.items_for(get_scope(user), module="districts")
                if i.kind == "districts.decide_applications"]

    close = _today() + datetime.timedelta(days=14)
    post = services.create_post(actor=personas.district_officer, district=personas.haidian,
                                title="专员", park="中关村软件园", time_basis="part_time",
                                applications_close_on=close)
    post = services.publish_vacancy(post, actor=personas.district_officer)
    assert items(personas.district_officer) == []
    application = services.apply_for_post(post, actor=personas.manager, statement="经验丰富")
    found = items(personas.district_officer)
    assert [(i.record, i.due_on, i.url) for i in found] == [(post, close,
                                                             f"/districts/posts/{post.pk}/")]
    assert len(items(personas.municipal_admin)) == 1
    for stranger in (personas.manager, personas.institution_admin, personas.enterprise):
        assert items(stranger) == []
    services.appoint(application, actor=personas.district_officer, term_start=_today(),
                     term_end=_today() + datetime.timedelta(days=365))
    assert items(personas.district_officer) == []
    from tmhub.core.models import Notification

    assert Notification.objects.filter(kind="districts.commissioner_application").exists()
    assert Notification.objects.filter(kind="districts.commissioner_decision",
                                       recipient=personas.manager).exists()
