"""An organisation's identity (legal name, kind, credit code) changes only after the city's
review (issue 11 item 7): its own administrators request the change, the city approves it
(applied through the organisation service and audited) or rejects it with an opinion the
requester reads; in the service, the pages and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import Notification, ObjectChange, WorkflowEvent
from tmhub.core.tests.permission_matrix import PERSONA_NAMES, send, state_of
from tmhub.orgs import services
from tmhub.orgs.change_requests import ChangeRequestEvent, ChangeRequestStatus
from tmhub.orgs.change_requests import IdentityChangeRequest as Request
from tmhub.orgs.models import Organization
from tmhub.orgs.tests.permission_cases import _identity_change_cases, _identity_changes

pytestmark = pytest.mark.django_db

NEW_NAME = "测试理工大学"
VALID_CODE = "12110000400000017P"  # the university's code in the personas
OTHER_CODE = "91110108551385082Q"


def _codes(exc):
    return {name: [e.code for e in errors] for name, errors in exc.error_dict.items()}


def _ask(personas, **values):
    values.setdefault("reason", "经教育部批准更名")
    return services.request_identity_change(
        personas.university, actor=personas.institution_admin, **values
    )


def test_the_institution_asks_and_nothing_changes_until_the_city_approves(personas):
    # Given the university's administrator, who may not change its legal name directly
    university = personas.university
    with pytest.raises(ValidationError) as caught:
        services.update_organization(university, actor=personas.institution_admin, name=NEW_NAME)
    assert _codes(caught.value) == {"name": ["city_only"]}
    # When they request the change
    request = _ask(personas, name=NEW_NAME, kind=university.kind)
    # Then the request holds the old and new values (only what changes) and waits
    assert request.status == ChangeRequestStatus.PENDING
    assert request.old_values == {"name": "测试大学"}
    assert request.new_values == {"name": NEW_NAME}
    assert Organization.objects.get(pk=university.pk).name == "测试大学"
    assert ObjectChange.objects.filter(object_id=str(request.pk), action="create").exists()
    assert Notification.objects.filter(
        recipient=personas.municipal_admin, url=request.get_absolute_url()
    ).exists()
    # When the city approves it
    services.decide_identity_change(
        request, ChangeRequestStatus.APPROVED, actor=personas.municipal_admin, reason="材料齐全"
    )
    # Then the organisation carries the new name, changed by the city and audited
    assert Organization.objects.get(pk=university.pk).name == NEW_NAME
    change = ObjectChange.objects.filter(object_id=str(university.pk), action="update").latest("id")
    assert change.actor == personas.municipal_admin
    assert change.before["name"] == "测试大学" and change.after["name"] == NEW_NAME
    request.refresh_from_db()
    assert (request.status, request.opinion, request.decided_by) == (
        ChangeRequestStatus.APPROVED,
        "材料齐全",
        personas.municipal_admin,
    )
    assert WorkflowEvent.objects.filter(event_type=ChangeRequestEvent.APPROVED).count() == 1
    assert Notification.objects.filter(
        recipient=personas.institution_admin, url=request.get_absolute_url()
    ).exists()


def test_a_rejection_needs_an_opinion_and_changes_nothing(personas):
    request = _ask(personas, credit_code=OTHER_CODE)
    with pytest.raises(ValidationError) as caught:
        services.decide_identity_change(
            request, ChangeRequestStatus.REJECTED, actor=personas.municipal_admin
        )
    assert caught.value.code == "reason_required"
    services.decide_identity_change(
        request, ChangeRequestStatus.REJECTED, actor=personas.municipal_admin, reason="缺少营业执照"
    )
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.REJECTED and request.opinion == "缺少营业执照"
    assert Organization.objects.get(pk=personas.university.pk).credit_code == VALID_CODE


def test_only_the_city_decides_and_the_requester_may_withdraw(personas):
    request = _ask(personas, kind="research_institute")
    with pytest.raises(ValidationError) as caught:
        services.decide_identity_change(
            request, ChangeRequestStatus.APPROVED, actor=personas.institution_admin
        )
    assert caught.value.code == "transition_forbidden"
    services.decide_identity_change(
        request, ChangeRequestStatus.WITHDRAWN, actor=personas.institution_admin
    )
    assert Request.objects.get(pk=request.pk).status == ChangeRequestStatus.WITHDRAWN
    assert Organization.objects.get(pk=personas.university.pk).kind == "university"


def test_bad_requests_are_refused_with_field_codes(personas):
    # Nothing to change, and no reason
    with pytest.raises(ValidationError) as caught:
        _ask(personas, name="测试大学", reason=" ")
    assert _codes(caught.value) == {"__all__": ["no_change"], "reason": ["reason_required"]}
    # A credit code with a wrong check digit, or one another organisation holds
    with pytest.raises(ValidationError) as caught:
        _ask(personas, credit_code="12110000400000018P")
    assert _codes(caught.value) == {"credit_code": ["credit_code_checksum"]}
    services.update_organization(
        personas.hospital, actor=personas.municipal_admin, credit_code=OTHER_CODE
    )
    with pytest.raises(ValidationError) as caught:
        _ask(personas, credit_code=OTHER_CODE)
    assert _codes(caught.value) == {"credit_code": ["unique"]}
    # A second request while one waits
    _ask(personas, name=NEW_NAME)
    with pytest.raises(ValidationError) as caught:
        _ask(personas, name="又一个名字")
    assert _codes(caught.value) == {"__all__": ["change_request_pending"]}
    assert Request.objects.count() == 1


def test_approval_is_refused_when_the_record_changed_meanwhile(personas):
    request = _ask(personas, name=NEW_NAME)
    services.update_organization(
        personas.university, actor=personas.municipal_admin, name="测试大学（城市已改）"
    )
    with pytest.raises(ValidationError) as caught:
        services.decide_identity_change(
            request, ChangeRequestStatus.APPROVED, actor=personas.municipal_admin
        )
    assert caught.value.code == "request_outdated"
    assert Organization.objects.get(pk=personas.university.pk).name == "测试大学（城市已改）"


def test_the_city_changes_identity_directly_and_does_not_request(personas):
    with pytest.raises(Exception) as caught:
        services.request_identity_change(
            personas.university, actor=personas.municipal_admin, name=NEW_NAME, reason="x"
        )
    assert caught.type.__name__ == "Http404"


# --- pages ----------------------------------------------------------------------------------


def test_pages_from_the_request_to_the_decision(personas):
    university = personas.university
    admin = client_for(personas.institution_admin)
    # The organisation page offers the request to its administrator, not to the public
    detail = reverse("orgs:organization-detail", args=[university.pk])
    create = reverse("orgs:identity-change-create", args=[university.pk])
    assert create in admin.get(detail).content.decode()
    assert create not in client_for(personas.enterprise).get(detail).content.decode()
    # The edit form says how to change the disabled identity fields
    edit = admin.get(reverse("orgs:organization-edit", args=[university.pk])).content.decode()
    assert "Request a change of identity" in edit or "申请变更" in edit
    # An empty reason is refused next to the field
    page = admin.post(
        create, {"name": NEW_NAME, "kind": "university", "credit_code": VALID_CODE, "reason": ""}
    )
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    # A complete request is sent for review
    page = admin.post(
        create,
        {"name": NEW_NAME, "kind": "university", "credit_code": VALID_CODE, "reason": "经批准更名"},
    )
    request = Request.objects.get()
    assert page.status_code == 302 and page["Location"] == request.get_absolute_url()
    assert request.new_values == {"name": NEW_NAME}
    assert NEW_NAME in admin.get(detail).content.decode()  # shown on the organisation page
    # The city finds it in its queue and rejects it with an opinion
    city = client_for(personas.municipal_admin)
    queue = city.get(reverse("orgs:identity-change-list") + "?status=pending").content.decode()
    assert request.get_absolute_url() in queue
    step = reverse("orgs:identity-change-transition", args=[request.pk, "rejected"])
    city.post(step, {"reason": "请补充批复文件"})
    request.refresh_from_db()
    assert request.status == ChangeRequestStatus.REJECTED
    # The requester reads the opinion
    assert "请补充批复文件" in admin.get(request.get_absolute_url()).content.decode()
    assert Organization.objects.get(pk=university.pk).name == "测试大学"


def test_the_city_approves_on_the_page(personas):
    request = _ask(personas, name=NEW_NAME)
    city = client_for(personas.municipal_admin)
    page = city.get(request.get_absolute_url()).content.decode()
    assert 'data-target="approved"' in page and 'data-target="rejected"' in page
    city.post(reverse("orgs:identity-change-transition", args=[request.pk, "approved"]))
    assert Organization.objects.get(pk=personas.university.pk).name == NEW_NAME


# --- API ------------------------------------------------------------------------------------


def test_the_api_asks_and_decides(personas):
    admin = client_for(personas.institution_admin)
    url = reverse("identity-change-request-list")
    refused = admin.post(
        url,
        {"organization": personas.university.pk, "name": NEW_NAME},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["fields"]["reason"][0]["code"] == "reason_required"
    created = admin.post(
        url,
        {"organization": personas.university.pk, "name": NEW_NAME, "reason": "更名"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending" and body["new_values"] == {"name": NEW_NAME}
    # The identity itself stays read-only for the institution in the organisation API
    patch = admin.patch(
        reverse("organization-detail", args=[personas.university.pk]),
        {"name": NEW_NAME},
        content_type="application/json",
    )
    assert patch.status_code == 400
    assert patch.json()["fields"]["name"][0]["code"] == "city_only"
    step = reverse("identity-change-request-transition", args=[body["id"]])
    forbidden = admin.post(step, {"target": "approved"}, content_type="application/json")
    assert forbidden.status_code == 400
    assert forbidden.json()["fields"]["non_field_errors"][0]["code"] == "transition_forbidden"
    approved = client_for(personas.municipal_admin).post(
        step, {"target": "approved", "reason": "同意"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Organization.objects.get(pk=personas.university.pk).name == NEW_NAME


def test_identity_change_routes_in_the_permission_matrix(personas):
    """The change-request cases of orgs/tests/permission_cases.py, run on their own."""
    pending, viewers, requesters = _identity_changes(personas)
    clients = {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }
    failures = []
    for case in _identity_change_cases(personas, pending, viewers, requesters):
        for name in PERSONA_NAMES:
            unchanged = case.must_not_change(name)
            before = state_of(case) if unchanged else None
            response = send(clients[name], case.method, case.url, case.data)
            if response.status_code != case.expected(name):
                failures.append(
                    f"{case.method} {case.url} as {name}: "
                    f"{response.status_code} != {case.expected(name)}"
                )
            elif unchanged and state_of(case) != before:
                failures.append(f"{case.method} {case.url} as {name} changed something")
    assert not failures, "\n".join(failures)
