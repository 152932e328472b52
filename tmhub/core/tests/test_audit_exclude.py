"""AUDIT_EXCLUDE is honoured: an ID number never reaches the audit log, neither in plain nor as
the encrypted value (nor its fingerprint) stored in the profile's columns.

The audit rows are searched as text by the database itself (SQLite and PostgreSQL), the way
someone reading the log tables would find the number.
"""

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.talent import services
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile, register, resident_id, xlsx_upload

pytestmark = pytest.mark.django_db


def _audit_rows_containing(text: str) -> list[str]:
    """Every audit column that holds `text`, as "model.field #id"."""
    found = []
    for model, columns in (
        (ObjectChange, ("before", "after", "object_repr")),
        (WorkflowEvent, ("data", "reason")),
    ):
        for column in columns:
            rows = model.objects.annotate(text=Cast(column, TextField())).filter(
                text__contains=text
            )
            found += [
                f"{model.__name__}.{column} #{pk}" for pk in rows.values_list("pk", flat=True)
            ]
    return found


def _stored_secrets(profile) -> dict[str, str]:
    stored = ManagerProfile.objects.values("id_number_encrypted", "id_number_digest").get(
        pk=profile.pk
    )
    assert stored["id_number_encrypted"] and stored["id_number_digest"]
    return {"encrypted": stored["id_number_encrypted"], "digest": stored["id_number_digest"]}


def _assert_absent(**values):
    leaks = {
        name: rows for name, value in values.items() if (rows := _audit_rows_containing(value))
    }
    assert not leaks, f"ID number material in the audit log: {leaks}"


def test_given_a_manager_registered_edited_and_revealed_then_no_audit_row_holds_the_number(
    personas,
):
    # Given a manager whose profile is created with an ID number, registered, and whose
    # number is corrected and then revealed by the city
    first, second = resident_id(731), resident_id(732)
    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian, id_number=first
    )
    first_secrets = _stored_secrets(profile)
    profile = services.update_profile(
        profile, actor=personas.manager, id_number=second, bio="更新后的简介"
    )
    second_secrets = _stored_secrets(profile)
    register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.REGISTERED,
    )
    profile.refresh_from_db()
    assert (
        services.reveal_id_number(profile, actor=personas.municipal_admin, reason="核验身份")
        == second
    )
    # Then the log has those steps, and the number in no form
    assert ObjectChange.objects.filter(object_id=str(profile.pk)).count() >= 2
    assert _audit_rows_containing(profile.id_number_masked), "the masked form is logged"
    _assert_absent(
        plain_first=first,
        plain_second=second,
        encrypted_first=first_secrets["encrypted"],
        encrypted_second=second_secrets["encrypted"],
        digest_first=first_secrets["digest"],
        digest_second=second_secrets["digest"],
    )


def test_given_managers_imported_with_id_numbers_then_no_audit_row_holds_them(personas):
    number = resident_id(733)
    upload = xlsx_upload(
        ["姓名", "身份证号", "工作单位", "工作所在区", "培训等级"],
        [["导入者", number, "测试大学", "海淀区", "中级技术经纪人"]],
    )
    job = start_import(REGISTRY["managers"], upload, actor=personas.institution_admin)
    job = commit_import(job, actor=personas.institution_admin)
    assert job.created_rows == 1, job.report
    profile = ManagerProfile.objects.get(full_name="导入者")
    secrets = _stored_secrets(profile)
    assert ObjectChange.objects.filter(object_id=str(profile.pk)).exists()
    _assert_absent(plain=number, encrypted=secrets["encrypted"], digest=secrets["digest"])
