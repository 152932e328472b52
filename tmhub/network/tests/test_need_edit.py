"""Editing an open service need (issue 14 item 2): by its owners only (who change the
project; the city may correct it, as every record), with field-level errors, every change in
the need's history; anyone else — the provider introduced to it, the district officer who
reads it, an enterprise, an outsider — gets a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.models import ObjectChange
from tmhub.network import needs
from tmhub.network.choices import NeedStatus
from tmhub.network.tests.helpers import given_introduction, given_need

pytestmark = pytest.mark.django_db


def _post(need, **changes):
    data = {"service_type": need.service_type_id, "title": need.title,
            "description": need.description, "field": need.field_id or "",
            "district": need.district_id or "", "budget_fen": "20000.00",
            "deadline": need.deadline.isoformat()}
    data.update(changes)
    return data


def test_the_owner_edits_an_open_need_and_the_change_is_in_its_history(personas):
    need = given_need(personas)
    client = client_for(personas.manager)
    url = reverse("network:need-edit", args=[need.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="project"' not in page.content.decode()
    deadline = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(url, _post(need, title="核心算法专利布局与检索",
                                      budget_fen="35000.00", deadline=deadline.isoformat()))
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "核心算法专利布局与检索" and need.budget_fen == 3_500_000
    assert need.deadline == deadline
    change = ObjectChange.objects.get(object_id=str(need.pk), action="update")
    assert change.actor == personas.manager
    detail = client.get(need.get_absolute_url()).content.decode()
    history = detail.split('id="history-title"')[1]
    assert "核心算法专利布局与检索" in history and "核心算法专利布局" in history
    assert 'id="edit-need"' in detail


def test_field_errors_are_shown_on_their_fields_and_nothing_is_saved(personas):
    need = given_need(personas)
    client = client_for(personas.manager)
    url = reverse("network:need-edit", args=[need.pk])
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, _post(need, title="", deadline=past.isoformat()))
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors
    response = client.post(url, _post(need, deadline=past.isoformat()))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["deadline"]
    assert 'is-invalid' in response.content.decode()
    need.refresh_from_db()
    assert need.deadline > timezone.localdate()
    assert not ObjectChange.objects.filter(object_id=str(need.pk), action="update").exists()


def test_others_get_404_and_a_closed_need_cannot_be_edited(personas):
    introduction = given_introduction(personas)
    need = introduction.need
    url = reverse("network:need-edit", args=[need.pk])
    for outsider in (personas.service_provider, personas.district_officer,
                     personas.enterprise, personas.outsider):
        client = client_for(outsider)
        assert client.get(url).status_code == 404, outsider
        assert client.post(url, _post(need, title="改")).status_code == 404, outsider
        if outsider in (personas.service_provider, personas.district_officer):
            # they see the need, without the button
            page = client.get(need.get_absolute_url())
            assert page.status_code == 200 and 'id="edit-need"' not in page.content.decode()
    need.refresh_from_db()
    assert need.title == "核心算法专利布局"
    needs.step_need(need, NeedStatus.CLOSED, actor=personas.manager)
    client = client_for(personas.manager)
    assert client.get(url).status_code == 404
    assert 'id="edit-need"' not in client.get(need.get_absolute_url()).content.decode()
