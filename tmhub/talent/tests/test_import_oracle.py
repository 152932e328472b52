"""No ID-number oracle in the manager import: for an institution administrator a dry run reads
the same whether an ID number, passport, user name or e-mail address is held at another
institution or nowhere; a commit that collides is refused with one generic answer; municipal
importers and duplicates within the importer's own institution keep precise messages; dry runs
are rate-limited."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.models import ImportJob, Notification, WorkflowEvent
from tmhub.core.tabular.importing import (
    NOT_IMPORTABLE_HERE,
    REGISTRY,
    ImportThrottled,
    commit_import,
    start_import,
)
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile, resident_id, xlsx_upload

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "证件类型", "证件号码", "国籍", "用户名", "邮箱", "工作单位"]
PASSPORT = "E12345678"


def _xlsx(rows) -> SimpleUploadedFile:
    return xlsx_upload(HEADER, rows)


def _rows(number, org="测试大学"):
    return [
        ["赵一", "居民身份证", number, "", "zhaoyi", "zhaoyi@example.cn", org],
        ["Smith", "passport", PASSPORT, "英国", "", "", org],
        ["钱二", "", resident_id(402), "", "", "", org],
    ]


def _dry_run(actor, rows):
    job = start_import(REGISTRY["managers"], _xlsx(rows), actor=actor)
    return job, (job.status, job.total_rows, job.error_rows, job.report)


def _someone_elsewhere(personas, number):
    """赵一 at another institution: ID number, user name, e-mail address and a passport."""
    user = create_user(actor=SYSTEM, username="zhaoyi", password=None, email="ZhaoYi@example.cn")
    make_profile(user, employer=personas.other_university, id_number=number, name="赵一")
    make_profile(
        employer=personas.other_university,
        id_number=PASSPORT,
        identity_type="passport",
        nationality="英国",
        name="Smith",
    )


def _codes(job):
    return {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}


def test_dry_run_is_the_same_whether_the_person_exists_elsewhere_or_not(personas):
    number = resident_id(401)
    _before_job, before = _dry_run(personas.institution_admin, _rows(number))
    _someone_elsewhere(personas, number)
    _after_job, after = _dry_run(personas.institution_admin, _rows(number))
    assert before == after
    assert after[0] == ImportJob.Status.VALIDATED and after[2] == 0
    assert "市科委" in after[3]["notice"] or "city" in after[3]["notice"]


def test_the_municipal_admin_still_gets_precise_answers(personas):
    number = resident_id(401)
    _someone_elsewhere(personas, number)
    job, _ = _dry_run(personas.municipal_admin, _rows(number))
    codes = _codes(job)
    assert (2, "id_number", "duplicate_person") in codes
    assert (2, "username", "duplicate") in codes
    assert (2, "email", "duplicate") in codes
    assert (3, "id_number", "duplicate_person") in codes  # the passport
    assert job.report["notice"] == ""


def test_within_the_importers_institution_and_file_the_answers_stay_precise(personas):
    colleague = create_user(actor=SYSTEM, username="sunsan", password=None,
                            email="sunsan@example.cn")
    make_profile(colleague, employer=personas.university, id_number=resident_id(411))
    rows = [
        ["孙三", "", resident_id(411), "", "sunsan", "SUNSAN@example.cn", "测试大学"],
        ["李四", "", resident_id(412), "", "lisi", "lisi@example.cn", "测试大学"],
        ["李四二", "", resident_id(412), "", "lisi", "lisi@example.cn", "测试大学"],
    ]
    job, _ = _dry_run(personas.institution_admin, rows)
    codes = _codes(job)
    assert {
        (2, "id_number", "duplicate_person"),
        (2, "username", "duplicate"),
        (2, "email", "duplicate"),
    } <= codes
    assert {
        (4, "id_number", "duplicate_in_file"),
        (4, "username", "duplicate_in_file"),
        (4, "email", "duplicate_in_file"),
    } <= codes


@pytest.mark.parametrize("held", ["id_number", "passport", "email"])
def test_a_commit_colliding_elsewhere_is_refused_the_same_way_for_every_reason(personas, held):
    number = resident_id(401)
    if held == "id_number":
        make_profile(employer=personas.other_university, id_number=number)
    elif held == "passport":
        make_profile(
            employer=personas.other_university,
            id_number=PASSPORT,
            identity_type="passport",
            nationality="英国",
        )
    else:
        create_user(actor=SYSTEM, username="someone", password=None, email="zhaoyi@EXAMPLE.cn")
    job, _ = _dry_run(personas.institution_admin, _rows(number))
    assert job.status == ImportJob.Status.VALIDATED
    profiles = ManagerProfile.objects.count()
    job = commit_import(job, actor=personas.institution_admin)
    assert job.status == ImportJob.Status.INVALID
    assert job.report["file_error"]["code"] == NOT_IMPORTABLE_HERE
    assert job.report["rows"] == [] and job.error_rows == 0  # no row, no reason
    message = job.report["file_error"]["message"]
    assert "ID" not in message and "mail" not in message and "passport" not in message.lower()
    assert ManagerProfile.objects.count() == profiles  # all or nothing
    # The city is told which row and why; the attempt is audited.
    event = WorkflowEvent.objects.get(event_type="import_refused", object_id=str(job.pk))
    reason = {"id_number": "id_number", "passport": "id_number", "email": "email"}[held]
    assert {"row": 3 if held == "passport" else 2, "reason": reason} in event.data["held_elsewhere"]
    assert Notification.objects.filter(recipient=personas.municipal_admin).exists()
    assert not Notification.objects.filter(recipient=personas.institution_admin).exists()


def test_the_refusal_page_says_contact_the_city(personas):
    make_profile(employer=personas.other_university, id_number=resident_id(401))
    job, _ = _dry_run(personas.institution_admin, _rows(resident_id(401)))
    client = client_for(personas.institution_admin)
    response = client.post(reverse("core:import-commit", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and 'id="file-error"' in page and "市科委" in page
    assert 'id="row-errors"' not in page and "duplicate_person" not in page


def test_a_user_name_taken_elsewhere_is_no_answer_the_account_gets_the_next_free_name(personas):
    create_user(actor=SYSTEM, username="zhaoyi", password=None, email="other@example.cn")
    job, _ = _dry_run(personas.institution_admin, _rows(resident_id(401)))
    job = commit_import(job, actor=personas.institution_admin)
    assert job.status == ImportJob.Status.COMMITTED, job.report
    assert ManagerProfile.objects.get(full_name="赵一").user.username == "zhaoyi2"


def test_made_up_user_names_are_random_not_derived_from_the_id_number(personas):
    number = resident_id(402)
    job, _ = _dry_run(personas.institution_admin, [["钱二", "", number, "", "", "", "测试大学"]])
    commit_import(job, actor=personas.institution_admin)
    username = ManagerProfile.objects.get(full_name="钱二").user.username
    assert username.startswith("tm")
    assert username != "tm" + hashlib.sha256(number.encode()).hexdigest()[:10]


def test_dry_runs_are_limited_per_user_and_hour(personas, settings):
    settings.IMPORT_DRY_RUNS_PER_HOUR = 2
    rows = [["钱二", "", resident_id(402), "", "", "", "测试大学"]]
    for _ in range(2):
        _dry_run(personas.institution_admin, rows)
    with pytest.raises(ImportThrottled):
        _dry_run(personas.institution_admin, rows)
    response = client_for(personas.institution_admin).post(
        reverse("core:import-new", args=["managers"]), {"file": _xlsx(rows)}
    )
    assert response.status_code == 429
    assert "2" in response.content.decode()
    assert ImportJob.objects.filter(created_by=personas.institution_admin).count() == 2
    # Another user has their own allowance.
    assert _dry_run(personas.municipal_admin, rows)[0].pk


def test_rows_checked_are_limited_per_user_and_hour(personas, settings):
    settings.IMPORT_ROWS_PER_HOUR = 4
    rows = _rows(resident_id(401))
    _dry_run(personas.institution_admin, rows)  # 3 rows
    with pytest.raises(ImportThrottled) as caught:
        _dry_run(personas.institution_admin, rows)  # 3 more: refused before any is checked
    assert "4" in caught.value.message
    assert ImportJob.objects.filter(created_by=personas.institution_admin).count() == 1
    assert User.objects.filter(username="zhaoyi").count() == 0


def test_format_errors_are_reported_precisely_at_the_dry_run(personas):
    rows = [["周五", "", resident_id(403), "", "has space", "not-an-email", "测试大学"]]
    job, _ = _dry_run(personas.institution_admin, rows)
    fields = {field for _row, field, _code in _codes(job)}
    assert {"username", "email"} <= fields
