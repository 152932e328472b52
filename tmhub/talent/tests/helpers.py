"""Test data made through the talent services (no raw ORM for records under test)."""

from __future__ import annotations

import itertools

from stdnum.cn import ric

from tmhub.accounts.models import User
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.models import IndustryField
from tmhub.talent import registration as reg
from tmhub.talent import services
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import Competence

_serial = itertools.count(1)


def resident_id(seq: int | None = None, area: str = "110108", birth: str = "19880512") -> str:
    """A valid GB 11643 number with the right check digit."""
    seq = next(_serial) if seq is None else seq
    body = f"{area}{birth}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the function expects a placeholder digit


def bad_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("1" if last != "1" else "2")


def superuser() -> User:
    user = User.objects.filter(username="t_root").first()
    return user or User.objects.create_superuser("t_root", "root@example.cn", "x")


def make_profile(user=None, *, employer=None, district=None, actor=None, id_number=None,
                 name="张伟", bio="专注人工智能与医疗器械领域的专利许可和作价入股。",
                 fields=("AI",), competences=("IP", "NEGO"), **values):
    if user is None:
        n = next(_serial)
        user = create_user(actor=SYSTEM, username=f"t_mgr{n}", password="x-Pass-2025",
                           email=f"t_mgr{n}@example.cn")
    return services.create_profile(
        actor=actor or user, user=user, full_name=name, employer=employer,
        work_district=district, id_number=id_number or resident_id(), degree="master",
        bio=bio, training_level="intermediate", phone="13800138000",
        email="private@example.cn",
        fields=list(IndustryField.objects.filter(code__in=fields)),
        competences=list(Competence.objects.filter(code__in=competences)),
        **values,
    )


def register(profile, *, employer_admin, municipal, upto=S.REGISTERED):
    """Walk a fresh registration of `profile` up to the state `upto`."""
    registration = reg.start_registration(actor=profile.user, profile=profile)
    path = [(S.SUBMITTED, profile.user), (S.ENDORSED, employer_admin),
            (S.UNDER_REVIEW, municipal), (S.REGISTERED, municipal)]
    if upto == S.DRAFT:
        return registration
    for target, actor in path:
        registration = reg.transition_registration(registration, target, actor=actor)
        if target == upto:
            return registration
    if upto in (S.SUSPENDED, S.REVOKED):
        registration = reg.transition_registration(registration, upto, actor=municipal,
                                                   reason="测试原因")
    return registration


def xlsx_upload(header, rows, name="managers.xlsx"):
    """An uploaded workbook: one sheet, the header row, then `rows`."""
    import io

    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
