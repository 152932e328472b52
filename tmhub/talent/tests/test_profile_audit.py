"""Every path that edits a manager profile writes exactly one ObjectChange naming the fields it
changed (issue 10, item 7): the matching index and the training figures subscribe to those
changes, so an edit without its row, or without its many-to-many fields, goes unseen."""

import pytest

from tmhub.core.models import District, IndustryField, ObjectChange
from tmhub.talent import registration as reg
from tmhub.talent import services
from tmhub.talent.choices import EntryRoute
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import Competence
from tmhub.talent.tests.helpers import make_profile, register, resident_id

pytestmark = pytest.mark.django_db
# Changes with every save: not a field anyone edits.
TIMESTAMP = {"updated_at"}


def _changes(profile):
    return ObjectChange.objects.filter(
        content_type__model="managerprofile", object_id=str(profile.pk)
    )


class Recorded:
    """The ObjectChange rows one step wrote for one profile."""

    def __init__(self, profile):
        self.profile, self.seen = profile, set(_changes(profile).values_list("pk", flat=True))

    def rows(self):
        return list(_changes(self.profile).exclude(pk__in=self.seen))

    def only_change(self):
        rows = self.rows()
        assert len(rows) == 1, [r.changed_fields() for r in rows]
        return rows[0], {name for name, _before, _after in rows[0].changed_fields()} - TIMESTAMP


def test_creating_a_profile_writes_one_change_with_its_fields(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    (row,) = _changes(profile)
    assert row.action == ObjectChange.Action.CREATE
    assert row.after["fields"] and row.after["competences"]  # after the m2m sets
    assert row.after["employer"] == personas.university.pk


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"bio": "新的简介：专注专利作价入股。"}, {"bio"}),
        ({"entry_route": EntryRoute.RECRUITED}, {"entry_route"}),
        ({"years_experience": 7, "position": "主任"}, {"years_experience", "position"}),
    ],
)
def test_editing_scalar_fields_writes_one_change_naming_them(personas, values, expected):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    recorded = Recorded(profile)
    services.update_profile(profile, actor=personas.manager, **values)
    row, changed = recorded.only_change()
    assert row.action == ObjectChange.Action.UPDATE and changed == expected


def test_moving_employer_and_district_names_both(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    recorded = Recorded(profile)
    services.update_profile(
        profile,
        actor=personas.municipal_admin,
        employer=personas.other_university,
        work_district=District.objects.get(code="110105"),
    )
    assert recorded.only_change()[1] == {"employer", "work_district"}


def test_editing_only_many_to_many_fields_writes_one_change_naming_them(personas):
    profile = make_profile(personas.manager, employer=personas.university)
    recorded = Recorded(profile)
    services.update_profile(
        profile,
        actor=personas.manager,
        fields=list(IndustryField.objects.filter(code__in=("AI", "MED"))),
    )
    assert recorded.only_change()[1] == {"fields"}
    recorded = Recorded(profile)
    services.update_profile(
        profile, actor=personas.manager, competences=list(Competence.objects.filter(code="LAW"))
    )
    assert recorded.only_change()[1] == {"competences"}


def test_a_new_id_number_is_one_change_with_its_value_masked(personas):
    profile = make_profile(personas.manager, employer=personas.university)
    recorded = Recorded(profile)
    # another area: the mask keeps the first three and last two characters, so a number of the
    # same area could mask alike (the helper's serial decides the last digits)
    number = resident_id(615, area="220102")
    services.update_profile(profile, actor=personas.manager, id_number=number)
    row, changed = recorded.only_change()
    assert changed == {"id_number_masked"}  # the encrypted value and fingerprint are masked
    assert number not in str(row.before) + str(row.after)


def test_each_registration_step_that_moves_the_profile_writes_one_change(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    under_review = register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.UNDER_REVIEW,
    )
    steps = [
        (S.REGISTERED, "", {"is_listed", "registry_number", "registered_at"}),
        (S.SUSPENDED, "未备案", {"is_listed"}),
        (S.REGISTERED, "已补报", {"is_listed"}),
        (S.REVOKED, "退出", {"is_listed"}),
    ]
    registration = under_review
    for target, reason, expected in steps:
        recorded = Recorded(profile)
        registration = reg.transition_registration(
            registration, target, actor=personas.municipal_admin, reason=reason
        )
        row, changed = recorded.only_change()
        assert changed == expected, target
        # shown with the registration on its history page
        assert row.related_object_id == str(registration.pk)


def test_steps_that_leave_the_profile_alone_write_no_profile_change(personas):
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    recorded = Recorded(profile)
    register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.UNDER_REVIEW,
    )
    assert recorded.rows() == []
