"""Import framework (with the organisation spec) and exports: bad files get clear messages,
nothing is half-saved, exported formulas are neutralised."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.cn import uscc

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.models import ImportJob
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.orgs.models import Organization

HEADERS = ["名称", "英文名称", "类型", "统一社会信用代码", "所在区", "产业领域", "设有技术转移机构"]


def code(seed: str) -> str:
    body = "91110108" + seed.rjust(9, "0")
    return body + uscc.calc_check_digit(body + "0")


def xlsx(rows, headers=HEADERS, sheet="组织") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("orgs.xlsx", out.getvalue())


def csv_file(rows, headers=HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("orgs.csv", out.getvalue().encode("utf-8-sig"))


GOOD_ROWS = [
    ["北京甲科技有限公司", "Jia Tech", "企业", code("100000001"), "海淀区", "人工智能、NGIT", "否"],
    ["北京乙研究院", "", "research_institute", code("100000002"), "110105", "MED", "是"],
]


@pytest.fixture
def spec():
    return REGISTRY["organizations"]


def test_good_xlsx_dry_run_then_commit(personas, spec):
    # Given a valid file, when it is dry-run, then nothing is created yet
    job = start_import(spec, xlsx(GOOD_ROWS), actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.VALIDATED
    assert job.total_rows == 2
    assert not Organization.objects.filter(name="北京甲科技有限公司").exists()
    # When it is committed, then every row exists with its parsed fields
    job = commit_import(job, actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.COMMITTED and job.created_rows == 2
    jia = Organization.objects.get(name="北京甲科技有限公司")
    assert jia.kind == "enterprise" and jia.district.code == "110108"
    assert set(jia.fields.values_list("code", flat=True)) == {"AI", "NGIT"}
    assert Organization.objects.get(name="北京乙研究院").has_transfer_office


def test_csv_with_errors_reports_each_row_and_field(personas, spec):
    bad_code = code("100000003")[:-1] + ("0" if code("100000003")[-1] != "0" else "1")
    rows = GOOD_ROWS[:1] + [
        ["", "", "企业", "", "", "", ""],  # missing name
        ["北京丙公司", "", "火箭", bad_code, "火星区", "量子烹饪", ""],
        ["北京甲科技有限公司", "", "企业", "", "", "", ""],  # duplicate name in file
    ]
    job = start_import(spec, csv_file(rows), actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    errors = {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}
    assert (3, "name", "required") in errors
    assert (4, "kind", "invalid_choice") in errors
    assert (4, "credit_code", "credit_code_checksum") in errors
    assert (4, "district", "invalid_choice") in errors
    assert (4, "fields", "invalid_choice") in errors
    assert (5, "name", "duplicate_in_file") in errors
    assert job.error_rows == 3
    assert Organization.objects.filter(name="北京甲科技有限公司").count() == 0


def test_formula_cells_are_refused(personas, spec):
    rows = [['=HYPERLINK("http://evil.example","点我")', "", "企业", "", "", "", ""]]
    job = start_import(spec, xlsx(rows), actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    assert job.report["rows"][0]["errors"][0]["code"] == "formula"


@pytest.mark.parametrize(
    "upload, expected_code",
    [
        (SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 this is not a workbook"), "file_corrupt"),
        (SimpleUploadedFile("renamed.xlsx", b"name,kind\n"), "file_corrupt"),
        (SimpleUploadedFile("notes.txt", b"hello"), "file_type"),
        (SimpleUploadedFile("empty.csv", b""), "file_empty"),
    ],
)
def test_unreadable_files_get_a_clear_message(personas, spec, upload, expected_code):
    job = start_import(spec, upload, actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    assert job.report["file_error"]["code"] == expected_code
    assert job.report["file_error"]["message"]


def test_truncated_zip_is_corrupt(personas, spec):
    data = xlsx(GOOD_ROWS).read()
    broken = SimpleUploadedFile("cut.xlsx", data[: len(data) // 2])
    job = start_import(spec, broken, actor=personas.municipal_admin)
    assert job.report["file_error"]["code"] == "file_corrupt"


def test_wrong_sheet_and_missing_column(personas, spec):
    job = start_import(spec, xlsx(GOOD_ROWS), actor=personas.municipal_admin, sheet_name="机构")
    assert job.report["file_error"]["code"] == "sheet_missing"
    assert "组织" in job.report["file_error"]["message"]
    job = start_import(spec, csv_file([["x"]], headers=["名称"]), actor=personas.municipal_admin)
    assert job.report["file_error"]["code"] == "missing_column"
    assert "类型" in job.report["file_error"]["message"]


def test_fifty_megabyte_file_is_refused_before_reading(personas, spec, settings):
    big = SimpleUploadedFile("big.csv", b"0" * (50 * 1024 * 1024))
    job = start_import(spec, big, actor=personas.municipal_admin)
    assert job.report["file_error"]["code"] == "file_too_large"


def test_commit_is_all_or_nothing(personas, spec):
    # Given a validated file, when one of its names is taken before the commit,
    job = start_import(spec, xlsx(GOOD_ROWS), actor=personas.municipal_admin)
    from tmhub.orgs.services import create_organization

    create_organization(actor=SYSTEM, name="北京乙研究院", kind="research_institute")
    # then the commit re-validates, saves nothing and reports the conflict.
    job = commit_import(job, actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    assert not Organization.objects.filter(name="北京甲科技有限公司").exists()


def test_import_pages_flow(personas):
    client = client_for(personas.municipal_admin)
    response = client.post(reverse("core:import-new", args=["organizations"]),
                           {"file": xlsx(GOOD_ROWS)})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Commit" in detail.content.decode() or "提交" in detail.content.decode()
    job = ImportJob.objects.get()
    response = client.post(reverse("core:import-commit", args=[job.pk]))
    assert response.status_code == 302
    assert Organization.objects.filter(name="北京甲科技有限公司").exists()
    # Another user cannot see this import job: it answers like a missing one.
    other = client_for(personas.institution_admin)
    assert other.get(reverse("core:import-detail", args=[job.pk])).status_code == 404


def _exported_rows(response):
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert zipfile.is_zipfile(io.BytesIO(response.content))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[c if c is not None else "" for c in row]
            for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_applies_filters(personas, fmt):
    from tmhub.orgs.services import create_organization

    create_organization(actor=SYSTEM, name="=HYPERLINK(\"http://x\")", kind="enterprise")
    create_organization(actor=SYSTEM, name="@SUM(A1)", kind="enterprise")
    client = client_for(None)
    response = client.get(reverse("orgs:organization-list") + f"?kind=enterprise&export={fmt}")
    rows = _exported_rows(response)
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names and "'@SUM(A1)" in names
    assert personas.university.name not in names  # the kind filter applies to the export
    assert not any(str(n).startswith(("=", "+", "-", "@")) for n in names)
