"""Excel import of managers: dry run with per-row errors, all-or-nothing commit."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ImportJob
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import bad_check_digit, make_profile, resident_id, xlsx_upload

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "身份证号", "工作单位", "工作所在区", "产业领域", "专业能力", "培训等级",
          "职称", "入库方式", "学历", "简介"]


def _xlsx(rows) -> SimpleUploadedFile:
    return xlsx_upload(HEADER, rows)


def _row(name, number, org="测试大学", level="中级技术经纪人"):
    return [name, number, org, "海淀区", "人工智能、AI", "知识产权,Negotiation", level, "工程师",
            "培养", "硕士", f"{name}的简介"]


def test_bad_rows_are_reported_and_nothing_is_saved(personas):
    make_profile(id_number=resident_id(300), name="已入库")
    rows = [
        _row("好人", resident_id(301)),
        _row("校验码错", bad_check_digit(resident_id(302))),
        _row("重复一", resident_id(303)),
        _row("重复二", resident_id(303)),
        _row("已存在", resident_id(300)),
        _row("坏等级", resident_id(304), level="特级"),
        _row("无单位", resident_id(305), org="不存在的单位"),
    ]
    job = start_import(REGISTRY["managers"], _xlsx(rows), actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    errors = {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}
    assert (3, "id_number", "resident_id_checksum") in errors
    assert (5, "id_number", "duplicate_in_file") in errors
    assert (6, "id_number", "duplicate_person") in errors
    assert (7, "training_level", "invalid_choice") in errors
    assert (8, "employer", "invalid_choice") in errors
    assert not any(row == 2 for row, _f, _c in errors)
    assert ManagerProfile.objects.count() == 1


def test_good_file_commits_every_row(personas):
    rows = [_row("甲", resident_id(311)), _row("乙", resident_id(312), level="senior")]
    job = start_import(REGISTRY["managers"], _xlsx(rows), actor=personas.institution_admin)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    job = commit_import(job, actor=personas.institution_admin)
    assert job.status == ImportJob.Status.COMMITTED
    jia = ManagerProfile.objects.get(full_name="甲")
    assert jia.employer == personas.university and jia.fields.get().code == "AI"
    # an imported level is an unverified claim until a certificate backs it
    assert jia.competences.count() == 2 and jia.claimed_training_level == "intermediate"
    assert jia.training_level == ""
    assert jia.id_number_masked and resident_id(311) not in jia.id_number_encrypted


def test_institution_admin_imports_only_own_people(personas):
    job = start_import(REGISTRY["managers"], _xlsx([_row("丙", resident_id(321), "另一所大学")]),
                       actor=personas.institution_admin)
    assert "out_of_scope" in {e["code"] for e in job.report["rows"][0]["errors"]}


def test_import_pages(personas):
    client = client_for(personas.municipal_admin)
    response = client.post(reverse("core:import-new", args=["managers"]),
                           {"file": _xlsx([_row("丁", resident_id(331))])})
    assert response.status_code == 302
    assert client_for(personas.enterprise).get(
        reverse("core:import-new", args=["managers"])).status_code == 404
