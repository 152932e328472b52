"""My work lists what awaits each persona, scoped by each model's policy; done work leaves."""

import pytest
from django.urls import reverse

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationStatus as RS
from tmhub.talent.tests.helpers import make_profile, register
from tmhub.transfer import services
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db


def kinds(user, **kw):
    return [item.kind for item in work_items.items_for(get_scope(user), **kw)]


def test_a_submitted_manager_registration_awaits_the_employer_then_the_city(personas):
    profile = make_profile(employer=personas.university, district=personas.haidian)
    registration = register(profile, employer_admin=personas.institution_admin,
                            municipal=personas.municipal_admin, upto=RS.SUBMITTED)
    assert "talent.endorse_registration" in kinds(personas.institution_admin)
    for persona in ("outsider", "enterprise", "district_officer", "manager"):
        assert "talent.endorse_registration" not in kinds(getattr(personas, persona)), persona
    reg.transition_registration(registration, RS.ENDORSED, actor=personas.institution_admin)
    assert "talent.endorse_registration" not in kinds(personas.institution_admin)
    assert "talent.review_registration" in kinds(personas.municipal_admin)


def test_a_draft_split_awaits_a_second_person_not_its_drafter(personas):
    chain = make_chain(personas)
    admin_items = work_items.items_for(get_scope(personas.institution_admin),
                                       module="transfer")
    assert [i.record for i in admin_items if i.kind == "transfer.approve_split"] == [
        chain.split_draft]
    assert "transfer.approve_split" not in kinds(personas.manager)  # drafted it
    assert "transfer.approve_split" not in kinds(personas.outsider)
    services.approve_split(chain.split_draft, actor=personas.institution_admin)
    assert "transfer.approve_split" not in kinds(personas.institution_admin)


def test_the_page_lists_filters_and_counts(client, personas):
    make_chain(personas)
    client.force_login(personas.institution_admin)
    page = client.get(reverse("mywork:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("transfer:split-detail", args=[page.context["rows"][0]["item"].record.pk]) \
        in body or page.context["total"] >= 1
    assert page.context["total"] == len(work_items.items_for(
        get_scope(personas.institution_admin)))
    only_talent = client.get(reverse("mywork:home"), {"module": "talent"})
    assert all(row["item"].module == "talent" for row in only_talent.context["rows"])
    nothing = client.get(reverse("mywork:home"), {"q": "没有这样的事项"})
    assert nothing.context["rows"] == []
    assert 'id="my-work-empty"' in nothing.content.decode()
    assert client.get(reverse("mywork:home"), {"page": "99"}).status_code == 404


def test_the_api_answers_the_same_list(client, personas):
    make_chain(personas)
    client.force_login(personas.institution_admin)
    answer = client.get("/api/v1/my/items/").json()
    expected = work_items.items_for(get_scope(personas.institution_admin))
    assert answer["count"] == len(expected)
    assert [row["kind"] for row in answer["results"]] == [i.kind for i in expected][:25]
    assert client.get("/api/v1/my/items/", {"due": "soon"}).status_code == 400
    client.logout()
    assert client.get("/api/v1/my/items/").status_code in (401, 403)


def test_an_outsider_has_nothing_to_do(client, personas):
    make_chain(personas)
    assert work_items.items_for(get_scope(personas.outsider)) == []
    client.force_login(personas.outsider)
    assert 'id="my-work-empty"' in client.get(reverse("mywork:home")).content.decode()


def test_signing_in_opens_my_work(client, personas):
    from conftest import PASSWORD

    answer = client.post(reverse("accounts:login"), {"username": "p_tto", "password": PASSWORD})
    assert answer.status_code == 302 and answer.url == reverse("mywork:home")
