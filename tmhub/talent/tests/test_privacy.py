"""The full ID number never appears in any page, API response, export or audit row, for any
persona; only the municipal administrator's audited reveal shows it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.talent.tests import permission_cases
from tmhub.talent.tests.helpers import make_profile, register, resident_id

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    ):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True)
                        for c in row if c is not None)
    return content.decode("utf-8", errors="replace")


def test_full_id_never_leaks(personas):
    # Given registered managers whose ID numbers we know (one is the persona manager)
    cases = permission_cases.cases(personas)
    extra = make_profile(employer=personas.university, district=personas.haidian,
                         id_number=resident_id(777), name="赵敏")
    register(extra, employer_admin=personas.institution_admin, municipal=personas.municipal_admin)
    secrets = [resident_id(501), resident_id(502), resident_id(777)]
    urls = {c.url for c in cases if c.method == "get"}
    urls |= {
        reverse("talent:people-list") + "?export=xlsx",
        reverse("talent:people-list") + "?export=csv",
        reverse("talent:manager-detail", args=[extra.pk]),
        reverse("talent:manager-edit", args=[extra.pk]),
        reverse("manager-detail", args=[extra.pk]),
        reverse("manager-list") + "?page_size=200",
        reverse("registration-list"),
        reverse("talent:directory") + "?q=赵敏",
    }
    # When every persona requests every page, API response and export
    for name in PERSONA_NAMES:
        client = client_for(None if name == "anonymous" else getattr(personas, name))
        for url in sorted(urls):
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = _text(response)
            # Then no full number appears (the masked form may)
            for secret in secrets:
                assert secret not in body, f"{secret} leaked at {url} to {name}"
    # And the audit log never holds it either
    for row in ObjectChange.objects.all():
        assert not any(s in str(row.before) + str(row.after) for s in secrets)
    for row in WorkflowEvent.objects.all():
        assert not any(s in str(row.data) + row.reason for s in secrets)


def test_reveal_is_municipal_only_and_audited(personas):
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian, id_number=resident_id(42))
    url = reverse("talent:manager-reveal-id", args=[profile.pk])
    # Not even the manager themself or their institution may reveal it.
    for user in (personas.manager, personas.institution_admin, personas.department_officer):
        assert client_for(user).post(url, {"reason": "看看"}).status_code == 404
    # Without a reason the municipal administrator is sent back.
    admin = client_for(personas.municipal_admin)
    assert admin.post(url, {"reason": ""}).status_code == 302
    response = admin.post(url, {"reason": "核对社保信息"})
    assert response.status_code == 200
    assert resident_id(42) in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = WorkflowEvent.objects.get(event_type="talent.profile.id_revealed")
    assert event.actor == personas.municipal_admin and event.reason == "核对社保信息"
    assert resident_id(42) not in str(event.data)


def test_public_sees_no_contacts_but_scoped_roles_do(personas):
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    register(profile, employer_admin=personas.institution_admin,
             municipal=personas.municipal_admin)
    url = reverse("talent:manager-detail", args=[profile.pk])
    api = reverse("manager-detail", args=[profile.pk])
    for user in (None, personas.enterprise, personas.outsider):
        client = client_for(user)
        assert "138 0013 8000" not in client.get(url).content.decode()
        data = client.get(api).json()
        assert "phone" not in data and "id_number_masked" not in data
    for user in (personas.institution_admin, personas.district_officer, personas.manager):
        client = client_for(user)
        assert "138 0013 8000" in client.get(url).content.decode()
        data = client.get(api).json()
        assert data["phone"] == "+8613800138000"  # stored in E.164
        assert data["id_number_masked"].startswith("110") and "*" in data["id_number_masked"]
