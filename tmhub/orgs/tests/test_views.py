"""Organisation pages: list with search, filters, pagination (no N+1), forms, history."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.orgs.services import create_organization

pytestmark = pytest.mark.django_db


def test_list_query_count_does_not_grow_with_rows(personas, django_assert_max_num_queries):
    for i in range(30):
        create_organization(actor=SYSTEM, name=f"北京测试企业{i:02d}", kind=OrgKind.ENTERPRISE,
                            district=personas.haidian)
    client = client_for(None)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("orgs:organization-list"))
    assert response.status_code == 200
    assert response.context["paginator"].count == 35
    assert len(response.context["object_list"]) == 25


def test_filters_and_empty_state(personas):
    client = client_for(None)
    page = client.get(reverse("orgs:organization-list") + "?kind=medical").content.decode()
    assert "测试医院" in page and "测试大学" not in page
    page = client.get(reverse("orgs:organization-list") + "?q=不存在的机构").content.decode()
    assert "没有符合条件的机构" in page


def test_htmx_request_gets_only_the_results(personas):
    response = client_for(None).get(reverse("orgs:organization-list") + "?q=医院",
                                    HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "测试医院" in body


def test_contact_details_hidden_from_public(personas):
    url = reverse("orgs:organization-detail", args=[personas.university.pk])
    assert "010 6278 0000" not in client_for(None).get(url).content.decode()
    assert "010 6278 0000" in client_for(personas.institution_admin).get(url).content.decode()


def test_edit_form_shows_field_error_and_saves_history(personas):
    # The credit code is the city's to change (see test_identity_is_changed_only_by_the_city).
    url = reverse("orgs:organization-edit", args=[personas.university.pk])
    data = {"name": "测试大学", "kind": "university", "credit_code": "12110000400000017X",
            "district": personas.haidian.pk}
    response = client_for(personas.municipal_admin).post(url, data)
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    client = client_for(personas.institution_admin)
    data["credit_code"] = ""
    data["website"] = "https://www.test.edu.cn"
    response = client.post(url, data)
    assert response.status_code == 302
    detail = client.get(reverse("orgs:organization-detail", args=[personas.university.pk]))
    assert "https://www.test.edu.cn" in detail.content.decode()
    assert "变更记录" in detail.content.decode()
