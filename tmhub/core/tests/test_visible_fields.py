"""Which fields each persona sees, on the page and in the API, for the records whose fields
differ by persona (issue 10, item 7): a demand's contact, a manager's ID and contacts, an
achievement's inventors and terms.

Given one record, when every persona opens its page and its API detail, then exactly the
personas the rule names find the values (in the HTML) and the keys (in the JSON); the others
find neither. The full ID number is on no page and in no answer, for anyone.
"""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.tests.permission_matrix import PERSONA_NAMES
from tmhub.talent.tests.helpers import make_profile, register, resident_id
from tmhub.transfer import services as transfer
from tmhub.transfer.tests.chain import INVENTORS

pytestmark = pytest.mark.django_db

TRANSFER_INSIDERS = {"municipal_admin", "institution_admin", "manager"}
# The enterprise, the city, and signed-in transfer professionals while it is published.
DEMAND_CONTACT_READERS = {"municipal_admin", "enterprise", "institution_admin", "manager"}
# Oversight of the profile: the person, the employer, the district (Haidian), the
# department for universities (education), the city.
PROFILE_PRIVATE_READERS = {
    "municipal_admin",
    "department_officer",
    "district_officer",
    "institution_admin",
    "manager",
}


@pytest.fixture
def clients(personas):
    return {
        name: client_for(None if name == "anonymous" else getattr(personas, name))
        for name in PERSONA_NAMES
    }


def _seen(clients, page_url, api_url, values: dict[str, str], keys: set[str]):
    """persona → (values found on the page, keys present in the API answer)."""
    result = {}
    for name, client in clients.items():
        page = client.get(page_url)
        assert page.status_code == 200, (name, page_url, page.status_code)
        answer = client.get(api_url)
        assert answer.status_code == 200, (name, api_url, answer.status_code)
        html = page.content.decode()
        result[name] = (
            {label for label, value in values.items() if value in html},
            keys & set(answer.json()),
            html + answer.content.decode(),
        )
    return result


def _assert_exactly(seen, readers, values, keys):
    wrong = {
        name: (found_values, found_keys)
        for name, (found_values, found_keys, _text) in seen.items()
        if (found_values, found_keys)
        != ((set(values), keys) if name in readers else (set(), set()))
    }
    assert not wrong, f"personas seeing the wrong fields (page values, API keys): {wrong}"


def test_given_a_published_demand_then_its_contact_is_shown_exactly_to_its_readers(
    personas, clients
):
    demand = transfer.create_demand(
        actor=personas.enterprise,
        organization=personas.company,
        title="视觉检测需求",
        problem="需要缺陷检测算法",
        contact_name="周经理",
        contact_phone="13900000001",
        contact_email="zhou.contact@example.cn",
    )
    demand = transfer.publish_demand(demand, actor=personas.enterprise)
    values = {
        "contact_name": "周经理",
        "contact_phone": "13900000001",
        "contact_email": "zhou.contact@example.cn",
    }
    seen = _seen(
        clients,
        reverse("transfer:demand-detail", args=[demand.pk]),
        reverse("demand-detail", args=[demand.pk]),
        values,
        set(values),
    )
    _assert_exactly(seen, DEMAND_CONTACT_READERS, values, set(values))


def test_given_a_registered_manager_then_id_and_contacts_are_shown_exactly_to_oversight(
    personas, clients
):
    number = resident_id(641)
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian, id_number=number
    )
    register(profile, employer_admin=personas.institution_admin, municipal=personas.municipal_admin)
    profile.refresh_from_db()
    values = {
        "id_number_masked": profile.id_number_masked,
        "phone": profile.phone,
        "email": profile.email,
    }
    assert all(values.values())
    keys = {"id_number_masked", "phone", "email", "identity_type", "nationality"}
    seen = _seen(
        clients,
        reverse("talent:manager-detail", args=[profile.pk]),
        reverse("manager-detail", args=[profile.pk]),
        values,
        keys,
    )
    _assert_exactly(seen, PROFILE_PRIVATE_READERS, values, keys)
    leaks = [name for name, (_v, _k, text) in seen.items() if number in text]
    assert not leaks, f"the full ID number is shown to {leaks}"


def _achievement(personas, title, **values):
    achievement = transfer.create_achievement(
        actor=personas.manager,
        owner=personas.university,
        title=title,
        abstract="一种高离子电导率的固态电解质材料。",
        inventors=INVENTORS,
        trl=5,
        **values,
    )
    return transfer.publish_achievement(achievement, actor=personas.institution_admin)


def test_given_a_published_achievement_then_inventors_and_terms_are_for_insiders(personas, clients):
    achievement = _achievement(
        personas, "已发布：固态电解质", asking_terms="许可费五十万元起", asking_price_fen=50_000_000
    )
    values = {
        "inventors": INVENTORS[0]["name"],
        "asking_terms": "许可费五十万元起",
        "disclosure_number": achievement.disclosure_number,
    }
    keys = {"inventors", "asking_terms", "asking_price_fen", "disclosure_number"}
    seen = _seen(
        clients,
        reverse("transfer:achievement-detail", args=[achievement.pk]),
        reverse("achievement-detail", args=[achievement.pk]),
        values,
        keys,
    )
    _assert_exactly(seen, TRANSFER_INSIDERS, values, keys)


def test_given_terms_published_with_the_achievement_then_everyone_reads_the_terms_only(
    personas, clients
):
    achievement = _achievement(
        personas, "已发布：公开条件的成果", asking_terms="作价入股优先", publish_asking_terms=True
    )
    internal = {
        "inventors": INVENTORS[1]["name"],
        "disclosure_number": achievement.disclosure_number,
    }
    seen = _seen(
        clients,
        reverse("transfer:achievement-detail", args=[achievement.pk]),
        reverse("achievement-detail", args=[achievement.pk]),
        {**internal, "asking_terms": "作价入股优先"},
        {"inventors", "disclosure_number", "asking_terms"},
    )
    for name, (found_values, found_keys, _text) in seen.items():
        assert "asking_terms" in found_values and "asking_terms" in found_keys, name
        expected = set(internal) if name in TRANSFER_INSIDERS else set()
        assert found_values - {"asking_terms"} == expected, (name, found_values)
        assert found_keys - {"asking_terms"} == expected, (name, found_keys)


def test_given_an_unlisted_profile_then_its_private_fields_reach_no_one_outside_oversight(
    personas, clients
):
    # A profile that is not registered (not listed): only oversight opens it at all.
    user = create_user(actor=SYSTEM, username="p_unlisted", password=None)
    profile = make_profile(
        user, employer=personas.university, district=personas.haidian, id_number=resident_id(642)
    )
    page = reverse("talent:manager-detail", args=[profile.pk])
    api = reverse("manager-detail", args=[profile.pk])
    for name, client in clients.items():
        opened = {client.get(page).status_code, client.get(api).status_code}
        readers = PROFILE_PRIVATE_READERS - {"manager"}  # personas.manager is someone else
        assert opened == ({200} if name in readers else {404}), (name, opened)
