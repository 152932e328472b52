"""The searchable selects: JSON lookups ranked and scoped, widgets that render only the choice.

Given the seeded disciplines, organisations and managers made through the services, when a
picker asks a lookup, then it gets the best matches first and only what its user may see.
"""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.models import Discipline
from tmhub.core.search_views import LIMIT
from tmhub.orgs.services import create_organization, update_organization
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = pytest.mark.django_db


def _lookup(user, name, **params):
    response = client_for(user).get(reverse(f"core:lookup-{name}"), params)
    assert response.status_code == 200
    return response.json()


def _texts(data):
    return [row["text"] for row in data["results"]]


def test_disciplines_by_code_and_name_exact_first():
    assert Discipline.objects.count() > 2000  # the seeded NSFC tree
    data = _lookup(None, "disciplines", q="A0101")
    assert _texts(data)[0].startswith("A0101 ")
    assert all(text.startswith("A0101") for text in _texts(data))
    by_name = _texts(_lookup(None, "disciplines", q="数论"))
    assert by_name[0] == "A0101 数论"
    assert len(_lookup(None, "disciplines", q="A")["results"]) == LIMIT
    assert _lookup(None, "disciplines", q="A")["more"] is True
    top = _lookup(None, "disciplines", level="1", q="A")
    levels = set(
        Discipline.objects.filter(pk__in=[r["value"] for r in top["results"]]).values_list(
            "level", flat=True
        )
    )
    assert levels == {1}


def test_organisations_exact_then_prefix_and_never_inactive():
    for name in ["北京清华大学校友企业", "清华大学出版社", "清华大学", "清华大学旧所"]:
        create_organization(actor=SYSTEM, name=name, kind=OrgKind.UNIVERSITY)
    closed = create_organization(actor=SYSTEM, name="清华大学停办中心", kind=OrgKind.UNIVERSITY)
    update_organization(closed, actor=SYSTEM, is_active=False)
    texts = _texts(_lookup(None, "organizations", q="清华大学"))
    assert texts[0] == "清华大学"
    assert texts[-1] == "北京清华大学校友企业"
    assert "清华大学停办中心" not in texts


def test_manager_picker_offers_only_managers_the_user_may_see(personas):
    """A listed manager is public; a draft one of the university is seen by its institution
    administrator and the city only: an enterprise user's picker never names them."""
    listed = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian, name="赵明远"
    )
    register(listed, employer_admin=personas.institution_admin, municipal=personas.municipal_admin)
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.roles import Role

    drafter = create_user(actor=SYSTEM, username="p_draft_mgr", password=None)
    grant_membership(
        actor=SYSTEM, user=drafter, role=Role.MANAGER, organization=personas.university
    )
    make_profile(
        drafter,
        employer=personas.university,
        district=personas.haidian,
        name="钱明远",
        actor=personas.institution_admin,
    )
    for persona, expected in [
        (personas.enterprise, {"赵明远"}),
        (personas.outsider, {"赵明远"}),
        (personas.institution_admin, {"赵明远", "钱明远"}),
        (personas.municipal_admin, {"赵明远", "钱明远"}),
    ]:
        data = _lookup(persona, "managers", q="明远")
        names = {row["text"] for row in data["results"]}
        assert {n for n in names if "明远" in n} == expected, persona
    assert client_for(None).get(reverse("core:lookup-managers")).status_code == 302


def test_remote_select_renders_only_the_chosen_discipline(personas):
    """The achievement form offered all 2,916 disciplines as <option>s; now only the chosen
    one is in the page, and any discipline still validates."""
    from tmhub.transfer.forms import AchievementForm

    chosen = Discipline.objects.get(code="A0101")
    form = AchievementForm(user=personas.institution_admin, initial={"discipline": chosen.pk})
    html = str(form["discipline"])
    assert html.count("<option") == 2  # the empty choice and A0101
    assert 'data-searchable="remote"' in html
    assert reverse("core:lookup-disciplines") in html
    other = Discipline.objects.order_by("-code").first()
    bound = AchievementForm({"discipline": other.pk}, user=personas.institution_admin)
    bound.is_valid()
    assert "discipline" not in bound.errors
    assert f'value="{other.pk}" selected' in str(bound["discipline"])
    garbage = AchievementForm({"discipline": "x'"}, user=personas.institution_admin)
    assert "discipline" in garbage.errors and "<option" in str(garbage["discipline"])
