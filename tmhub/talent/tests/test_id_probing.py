"""Entering ID numbers on one's own profile cannot be used to probe who is in the pool."""

import pytest
from django.core.exceptions import ValidationError

from tmhub.talent import services
from tmhub.talent.tests.helpers import make_profile, resident_id

pytestmark = pytest.mark.django_db


def _code(exc):
    return exc.error_dict["id_number"][0].code


def test_after_a_few_duplicates_no_id_number_is_accepted_that_day(personas, settings):
    settings.TALENT_ID_DUPLICATES_PER_DAY = 3
    # Given people already in the pool and a manager editing their own profile
    taken = [resident_id() for _ in range(4)]
    for number in taken:
        make_profile(id_number=number)
    mine = make_profile(personas.manager, employer=personas.university)

    # When they try three numbers that are taken, each is refused as a duplicate
    for number in taken[:3]:
        with pytest.raises(ValidationError) as caught:
            services.update_profile(mine, actor=personas.manager, id_number=number)
        assert _code(caught.value) == "duplicate_person"

    # Then a fourth try is refused the same way whether the number is taken or free
    for number in (taken[3], resident_id()):
        with pytest.raises(ValidationError) as caught:
            services.update_profile(mine, actor=personas.manager, id_number=number)
        assert _code(caught.value) == "too_many_attempts"
    # and the city is not limited
    free = resident_id()
    services.update_profile(mine, actor=personas.municipal_admin, id_number=free)
    mine.refresh_from_db()
    assert mine.id_number_masked.endswith(free[-2:])


def test_a_person_still_learns_their_own_number_is_taken(personas):
    number = resident_id()
    make_profile(id_number=number)
    user_profile = make_profile(personas.manager, employer=personas.university)
    with pytest.raises(ValidationError) as caught:
        services.update_profile(user_profile, actor=personas.manager, id_number=number)
    assert _code(caught.value) == "duplicate_person"
    # a correct number of their own still goes through
    services.update_profile(user_profile, actor=personas.manager, id_number=resident_id())
