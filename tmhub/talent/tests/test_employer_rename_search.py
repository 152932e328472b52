"""A manager is found by their employer's name, also after the employer is renamed."""

import pytest

from tmhub.orgs import services as org_services
from tmhub.talent.models import ManagerProfile
from tmhub.talent.search import search
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db


def test_a_renamed_employer_finds_its_managers_by_the_new_name(personas):
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian)
    org_services.update_organization(personas.university, actor=personas.municipal_admin,
                                     name="北京星辰理工大学")
    found = search(ManagerProfile.objects.all(), "星辰理工大学")
    assert list(found.values_list("pk", flat=True)) == [profile.pk]
