"""Personal data (PIPL): every view of protected fields in the access log the city searches,
a person's download of their own data (JSON and Excel), and the city's anonymisation on
request — confirmed, audited, irreversible, keeping registry numbers and figures."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.personal_data import AccessKind, PersonalDataAccess
from tmhub.talent import services
from tmhub.talent.models import ManagerProfile
from tmhub.talent.personal_data import EVENT_ANONYMISED
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian, name="李四"
    )
    register(profile, employer_admin=personas.institution_admin, municipal=personas.municipal_admin)
    profile.refresh_from_db()
    return profile


def log_rows(kind=None):
    rows = PersonalDataAccess.objects.all()
    return rows.filter(kind=kind) if kind else rows


# --- the access log ----------------------------------------------------------------------------


def test_given_the_city_reveals_an_id_then_the_log_has_who_whose_and_why(personas, manager):
    services.reveal_id_number(manager, actor=personas.municipal_admin, reason="核验重复登记")
    row = log_rows(AccessKind.ID_REVEAL).get()
    assert row.actor == personas.municipal_admin
    assert row.subject_label == "李四" and row.subject_id == str(manager.pk)
    assert row.fields == ["id_number"] and row.reason == "核验重复登记"


def test_given_an_overseer_opens_a_profile_then_the_view_is_logged_but_not_the_own(
    personas,
    manager,
):
    url = manager.get_absolute_url()
    assert client_for(personas.district_officer).get(url).status_code == 200
    assert client_for(personas.manager).get(url).status_code == 200  # the person themself
    assert client_for(personas.enterprise).get(url).status_code == 200  # public part only
    rows = list(log_rows(AccessKind.CONTACTS))
    assert [(r.actor, r.subject_label) for r in rows] == [(personas.district_officer, "李四")]
    assert "email" in rows[0].fields and "phone" in rows[0].fields
    assert rows[0].path == url


def test_given_the_api_then_an_overseer_reading_contacts_is_logged(personas, manager):
    from rest_framework.test import APIClient

    from tmhub.accounts.tokens import issue_token

    _token, key = issue_token(user=personas.district_officer)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert "email" in api.get(f"/api/v1/managers/{manager.pk}/").json()
    assert api.get("/api/v1/managers/").status_code == 200
    assert APIClient().get("/api/v1/managers/").status_code == 200  # the public: nothing logged
    rows = log_rows(AccessKind.CONTACTS)
    assert rows.count() == 2
    assert set(rows.values_list("actor", "subject_id")) == {
        (personas.district_officer.pk, str(manager.pk))}


def test_given_an_export_of_people_then_each_person_is_logged(personas, manager):
    other = make_profile(
        employer=personas.university, name="王五", actor=personas.institution_admin
    )
    response = client_for(personas.institution_admin).get("/talent/people/?export=xlsx")
    assert response.status_code == 200
    rows = log_rows(AccessKind.EXPORT)
    assert sorted(rows.values_list("subject_label", flat=True)) == sorted(
        [manager.full_name, other.full_name]
    )
    assert set(rows.values_list("actor", flat=True)) == {personas.institution_admin.pk}


def test_given_the_log_then_only_the_city_searches_it(personas, manager):
    services.reveal_id_number(manager, actor=personas.municipal_admin, reason="核验")
    client_for(personas.district_officer).get(manager.get_absolute_url())
    city = client_for(personas.municipal_admin)
    url = reverse("accounts:personal-data-log")
    page = city.get(url, {"person": "李", "kind": AccessKind.ID_REVEAL}).content.decode()
    assert "核验" in page and page.count("<tr>") == 2  # header + one row
    by_viewer = city.get(url, {"viewer": personas.district_officer.username}).content.decode()
    assert by_viewer.count("<tr>") == 2
    for name in ("district_officer", "institution_admin", "manager", "reviewer"):
        assert client_for(getattr(personas, name)).get(url).status_code == 404


# --- my own data -------------------------------------------------------------------------------


def test_given_a_manager_then_they_download_their_own_data_as_json_and_excel(personas, manager):
    services.reveal_id_number(manager, actor=personas.municipal_admin, reason="核验")
    client = client_for(personas.manager)
    body = json.loads(client.get("/accounts/me/data/?format=json").content)
    assert body["account"][0]["username"] == "p_manager"
    assert body["profile"][0]["full_name"] == "李四"
    assert body["profile"][0]["email"] == "private@example.cn"
    assert "id_number_encrypted" not in body["profile"][0]
    assert body["registrations"][0]["registry_number"] == manager.registry_number
    assert [(v["viewer"], v["reason"]) for v in body["who_viewed_my_data"]] == [
        (personas.municipal_admin.username, "核验")
    ]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/accounts/me/data/?format=xlsx").content))
    assert {"account", "roles", "profile", "registrations"} <= set(book.sheetnames)
    assert book["profile"].cell(row=2, column=1).value is not None
    assert log_rows(AccessKind.OWN_DATA).count() == 4  # account + profile, twice


# --- anonymisation -----------------------------------------------------------------------------


def test_given_a_request_when_the_city_anonymises_then_identity_goes_and_the_record_stays(
    personas,
    manager,
):
    services.reveal_id_number(manager, actor=personas.municipal_admin, reason="核验")
    registry_number = manager.registry_number
    city = client_for(personas.municipal_admin)
    url = reverse("accounts:anonymise", args=[personas.manager.pk])
    confirm = city.get(url).content.decode()
    assert "不可撤销" in confirm or "cannot be undone" in confirm
    # Without ticking the confirmation nothing happens.
    assert city.post(url, {"reason": "本人申请"}).status_code == 200
    assert ManagerProfile.objects.get(pk=manager.pk).full_name == "李四"
    response = city.post(url, {"reason": "本人书面申请 2026-12-01", "confirm": "on"})
    assert response.status_code == 302
    profile = ManagerProfile.objects.get(pk=manager.pk)
    user = profile.user
    assert "李四" not in profile.full_name and profile.email == "" and profile.phone == ""
    assert profile.id_number_encrypted == "" and profile.id_number_digest is None
    assert profile.id_number_masked == "" and profile.bio == ""
    assert profile.registry_number == registry_number  # kept
    assert user.username == f"anonymised-{user.pk}" and not user.is_active
    assert not user.has_usable_password()
    # Nothing of the name is left in the history or the access log.
    for change in ObjectChange.objects.all():
        text = json.dumps([change.before, change.after, change.object_repr], ensure_ascii=False)
        assert "李四" not in text and "private@example.cn" not in text, change
    assert not PersonalDataAccess.objects.filter(subject_label__contains="李四").exists()
    event = WorkflowEvent.objects.get(event_type=EVENT_ANONYMISED)
    assert event.actor == personas.municipal_admin and event.reason.startswith("本人书面申请")
    # Irreversible: a second time is refused.
    again = city.post(url, {"reason": "again", "confirm": "on"})
    assert (
        again.status_code == 200
        and WorkflowEvent.objects.filter(event_type=EVENT_ANONYMISED).count() == 1
    )


def test_given_anyone_but_the_city_then_anonymisation_is_not_there(personas, manager):
    url = reverse("accounts:anonymise", args=[personas.manager.pk])
    for name in ("institution_admin", "district_officer", "manager", "reviewer"):
        client = client_for(getattr(personas, name))
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert ManagerProfile.objects.get(pk=manager.pk).full_name == "李四"
