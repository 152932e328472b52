"""Funding programmes and their programme officers: the city names them (SPEC §8); a
programme officer reads and steers the programme's pilots while named on it and an officer of
the programme's funding department."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.audit import record_change, snapshot
from tmhub.core.choices import Department
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.pilots import notices
from tmhub.pilots.models import Programme

CREATE, UPDATE = ObjectChange.Action.CREATE, ObjectChange.Action.UPDATE


def eligible_officers(department):
    """The people who can be programme officers of a programme funded by `department`:
    active accounts with an active department-officer role in that department."""
    from tmhub.accounts.models import User

    return (User.objects.filter(is_active=True, memberships__role=Role.DEPARTMENT_OFFICER,
                                memberships__is_active=True,
                                memberships__department=department)
            .distinct().order_by("display_name", "username"))


def _check_eligible(officer, department) -> None:
    if not eligible_officers(department).filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("A programme officer must be an officer of the "
                                            "programme's funding department.")},
                              code="not_department_officer")


@transaction.atomic
def create_programme(*, actor, code, name_zh, kind, name_en="", officers=(),
                     department=Department.SCIENCE) -> Programme:
    """A municipal funding programme and its programme officers (department officers of the
    funding department)."""
    policies.require(actor, "create", Programme)
    officers = list(officers)
    for officer in officers:
        try:
            _check_eligible(officer, department)
        except ValidationError as exc:
            raise ValidationError({"officers": exc.message_dict["officer"]}) from exc
    programme = Programme(code=(code or "").strip(), name_zh=(name_zh or "").strip(),
                          name_en=(name_en or "").strip(), kind=kind, department=department)
    programme.full_clean()
    programme.save()
    programme.officers.set(officers)
    record_change(actor=actor, obj=programme, action=CREATE, before=None)
    return programme


def _name(programme):
    """The programme's name in each recipient's language."""
    return lazy(lambda: programme.name, str)()


def _locked(programme) -> Programme:
    return Programme._base_manager.select_for_update().get(pk=programme.pk)


@transaction.atomic
def add_programme_officer(programme, *, actor, officer) -> Programme:
    """Name `officer` a programme officer: they read and steer the programme's pilots from now
    on, and are told so."""
    policies.require(actor, "manage_officers", programme)
    programme = _locked(programme)
    _check_eligible(officer, programme.department)
    if programme.officers.filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("This person is already a programme officer of "
                                            "this programme.")}, code="already_officer")
    before = snapshot(programme)
    programme.officers.add(officer)
    record_change(actor=actor, obj=programme, action=UPDATE, before=before)
    notify([officer], kind=notices.PROGRAMME.key, about=programme,
           url=programme.get_absolute_url(),
           subject=gettext_lazy("You are a programme officer of %(programme)s: its pilots "
                                "are yours to review"),
           params={"programme": _name(programme)})
    return programme


@transaction.atomic
def remove_programme_officer(programme, *, actor, officer) -> Programme:
    """Take `officer` off the programme: they stop seeing its pilots at once (pages and API
    answer as if the pilots did not exist), and are told so."""
    policies.require(actor, "manage_officers", programme)
    programme = _locked(programme)
    if not programme.officers.filter(pk=officer.pk).exists():
        raise ValidationError({"officer": _("This person is not a programme officer of this "
                                            "programme.")}, code="not_officer")
    before = snapshot(programme)
    programme.officers.remove(officer)
    record_change(actor=actor, obj=programme, action=UPDATE, before=before)
    notify([officer], kind=notices.PROGRAMME.key, about=programme,
           subject=gettext_lazy("You are no longer a programme officer of %(programme)s"),
           params={"programme": _name(programme)})
    return programme
