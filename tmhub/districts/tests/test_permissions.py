"""Given every persona, when it requests every districts route with every method it accepts,
then it gets exactly its status and a refused request changes nothing (the platform's
permission matrix, run over this app's cases alone); and a district officer runs only their
own district."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import client_for
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of, what_changed
from tmhub.districts import services
from tmhub.districts.models import CommissionerPost, Landing, MatchEvent
from tmhub.districts.tests import permission_cases
from tmhub.districts.tests.world import make_world

pytestmark = pytest.mark.django_db


def test_districts_permission_matrix(personas):
    """Given the app's cases, when each persona sends each, then each status is as listed."""
    clients = {name: client_for(None if name == "anonymous" else getattr(personas, name))
               for name in PERSONA_NAMES}
    failures = []
    for case in permission_cases.cases(personas):
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            expected = case.expected(name)
            label = f"{case.method.upper()} {case.url} as {name}"
            if response.status_code != expected:
                failures.append(f"{label}: got {response.status_code}, expected {expected}")
            elif unchanged and (after := state_of(case)) != before:
                failures.append(f"{label}: changed {what_changed(before, after)}")
    assert not failures, "\n".join(failures)


def test_officer_sees_only_own_district(personas):
    """Given landings, drafts and events in Haidian and Chaoyang, when the Haidian officer
    lists them, then only Haidian's rows (and public ones) appear."""
    w = make_world(personas)
    officer = personas.district_officer
    assert set(Landing.objects.restrict(officer)) == {w.landing}
    assert w.other_draft_post not in CommissionerPost.objects.restrict(officer)
    assert w.draft_post in CommissionerPost.objects.restrict(officer)
    assert set(Landing.objects.restrict(personas.manager)) == {w.landing}
    assert not Landing.objects.restrict(personas.enterprise).exists()


def test_officer_cannot_record_for_another_district(personas):
    """Given the Haidian officer, when they record an event in Chaoyang, then it is refused
    with a field error on the district and nothing is saved."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.create_event(actor=personas.district_officer, district=personas.chaoyang,
                              title="越权活动", organiser="海淀区科委", online=True,
                              held_on=timezone.localdate() + datetime.timedelta(days=3))
    assert "district" in exc.value.error_dict
    assert not MatchEvent.objects.filter(title="越权活动").exists()


def test_officer_cannot_publish_another_districts_vacancy(personas):
    """Given Chaoyang's draft post, when the Haidian officer publishes it, then 404."""
    w = make_world(personas)
    with pytest.raises(Http404):
        services.publish_vacancy(w.other_draft_post, actor=personas.district_officer)
