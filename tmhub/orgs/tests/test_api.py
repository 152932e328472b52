"""The organisation API: token auth, filters, ordering, pagination, errors and scopes."""

import pytest
from rest_framework.test import APIClient

from conftest import PASSWORD, totp_code_for
from tmhub.accounts import two_factor
from tmhub.core.models import ObjectChange

pytestmark = pytest.mark.django_db


def token_client(personas, user):
    """A token as the API issues it; a two-factor role gives its authenticator's code too."""
    client = APIClient()
    credentials = {"username": user.username, "password": PASSWORD}
    if two_factor.requires_two_factor(user):
        credentials["otp"] = totp_code_for(user)
    response = client.post("/api/v1/auth/token/", credentials)
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_token_with_wrong_password_is_refused(personas):
    response = APIClient().post("/api/v1/auth/token/", {"username": "p_tto", "password": "no"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_list_filters_orders_and_paginates(personas):
    client = APIClient()
    data = client.get("/api/v1/organizations/?kind=university&ordering=-name&page_size=1").json()
    assert data["count"] == 2
    assert len(data["results"]) == 1 and data["next"]
    assert data["results"][0]["name"] == "另一所大学"  # by pinyin: ling after ce, descending
    assert "contact_phone" not in data["results"][0]  # private to editors
    searched = client.get("/api/v1/organizations/?q=医院").json()
    assert [o["name"] for o in searched["results"]] == ["测试医院"]


def test_editor_sees_private_fields_and_changes_are_audited(personas):
    client = token_client(personas, personas.institution_admin)
    url = f"/api/v1/organizations/{personas.university.pk}/"
    assert client.get(url).json()["contact_phone"] == "+861062780000"  # E.164
    response = client.patch(url, {"website": "https://tto.example.edu.cn"}, format="json")
    assert response.status_code == 200, response.json()
    change = ObjectChange.objects.filter(object_id=str(personas.university.pk),
                                         action="update").get()
    assert change.after["website"] == "https://tto.example.edu.cn"


def test_field_errors_are_machine_readable(personas):
    client = token_client(personas, personas.municipal_admin)
    response = client.post("/api/v1/organizations/", {
        "name": "坏代码公司", "kind": "enterprise", "credit_code": "911101080000000000",
    }, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["credit_code"][0]["code"] == "credit_code_checksum"


def test_out_of_scope_edit_looks_like_missing(personas):
    client = token_client(personas, personas.enterprise)
    response = client.patch(f"/api/v1/organizations/{personas.university.pk}/",
                            {"website": "https://x.cn"}, format="json")
    assert response.status_code == 404


def test_schema_and_docs_are_served(personas):
    client = APIClient()
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_registration_transition_via_api(personas):
    client = token_client(personas, personas.institution_admin)
    created = client.post("/api/v1/institution-registrations/", {
        "organization": personas.university.pk, "premises_address": "海淀区",
        "fulltime_staff": 3, "has_written_rules": True, "business_scope": "技术转移",
    }, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    moved = client.post(f"/api/v1/institution-registrations/{pk}/transition/",
                        {"target": "submitted"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "submitted"
    refused = client.post(f"/api/v1/institution-registrations/{pk}/transition/",
                          {"target": "approved"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["non_field_errors"][0]["code"] == "transition_forbidden"
