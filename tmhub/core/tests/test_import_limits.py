"""Oversized imports are refused early and clearly: a cell over the per-cell limit (also one
over the csv module's own 131,072-character limit, which used to answer 500), and files with
more rows than IMPORT_MAX_ROWS, refused as soon as the limit is passed (rows consumed are
counted through wrappers around the real readers), whatever the sheet declares."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from conftest import client_for
from tmhub.core.models import ImportJob
from tmhub.core.tabular.importing import REGISTRY, start_import

HEADERS = ["名称", "英文名称", "类型"]
LIMIT = 50


@pytest.fixture
def small_limit(settings):
    settings.IMPORT_MAX_ROWS = LIMIT
    return LIMIT


@pytest.fixture
def consumed(monkeypatch):
    """Rows handed out by openpyxl's read-only sheet and by the csv reader."""
    counts = {"xlsx": 0, "csv": 0, "sheet_bytes": 0}
    cells_by_row = ReadOnlyWorksheet._cells_by_row

    def counting_rows(self, *args, **kwargs):
        for row in cells_by_row(self, *args, **kwargs):
            counts["xlsx"] += 1
            yield row

    csv_reader = csv.reader

    def counting_reader(*args, **kwargs):
        for row in csv_reader(*args, **kwargs):
            counts["csv"] += 1
            yield row

    zip_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = zip_read(self, n)
        if "worksheets/" in (self.name or ""):
            counts["sheet_bytes"] += len(data)
        return data

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting_rows)
    monkeypatch.setattr(csv, "reader", counting_reader)
    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    return counts


def big_xlsx(rows: int, dimension: str | None = None) -> SimpleUploadedFile:
    """An .xlsx of `rows` data rows, written in openpyxl's streaming mode (no dimension), or
    with `dimension` put into the sheet as its declared size."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("组织")
    sheet.append(HEADERS)
    for n in range(rows):
        sheet.append([f"北京测试{n}有限公司", "", "企业"])
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    if dimension:
        source = zipfile.ZipFile(io.BytesIO(data))
        patched = io.BytesIO()
        with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename.startswith("xl/worksheets/"):
                    content = content.replace(
                        b"<sheetViews", f'<dimension ref="{dimension}"/><sheetViews'.encode(), 1
                    )
                target.writestr(info.filename, content)
        data = patched.getvalue()
    return SimpleUploadedFile("orgs.xlsx", data)


def csv_upload(rows, headers=HEADERS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return SimpleUploadedFile("orgs.csv", out.getvalue().encode("utf-8"))


def _dry_run(personas, upload):
    return start_import(REGISTRY["organizations"], upload, actor=personas.municipal_admin)


@pytest.mark.django_db
def test_a_field_over_the_csv_module_limit_is_a_clear_error_not_a_500(personas):
    rows = [["北京甲公司", "", "企业"], ["北京乙公司", "x" * 200_000, "企业"]]
    client = client_for(personas.municipal_admin)
    response = client.post(
        reverse("core:import-new", args=["organizations"]), {"file": csv_upload(rows)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.report["file_error"]["code"] == "cell_too_long"
    assert "3" in job.report["file_error"]["message"]  # the row (the header is row 1)
    assert "10000" in job.report["file_error"]["message"]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cell_over_the_limit_names_its_row_and_column(personas, fmt, settings):
    long_name = "Beijing " + "x" * (settings.IMPORT_MAX_CELL_CHARS - 7)
    rows = [["北京甲公司", "", "企业"], ["北京乙公司", long_name, "企业"]]
    if fmt == "csv":
        upload = csv_upload(rows)
    else:
        book = openpyxl.Workbook()
        for row in [HEADERS, *rows]:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        upload = SimpleUploadedFile("orgs.xlsx", out.getvalue())
    error = _dry_run(personas, upload).report["file_error"]
    assert error["code"] == "cell_too_long"
    assert "3" in error["message"] and "B" in error["message"] and "英文名称" in error["message"]
    # One character less is accepted.
    rows[1][1] = long_name[:-1]
    assert _dry_run(personas, csv_upload(rows)).report["file_error"] is None


@pytest.mark.django_db
def test_a_big_workbook_is_refused_before_openpyxl_reads_a_row(personas, small_limit, consumed):
    upload = big_xlsx(10_000)
    sheet_size = (
        zipfile.ZipFile(io.BytesIO(upload.read())).getinfo("xl/worksheets/sheet1.xml").file_size
    )
    upload.seek(0)
    job = _dry_run(personas, upload)
    assert job.report["file_error"]["code"] == "too_many_rows"
    assert str(LIMIT) in job.report["file_error"]["message"]
    assert consumed["xlsx"] == 0
    assert consumed["sheet_bytes"] < sheet_size / 10  # decompression stopped early


@pytest.mark.django_db
@pytest.mark.parametrize("dimension", [None, "A1:C2"])
def test_reading_stops_at_the_first_row_past_the_limit(personas, small_limit, consumed, dimension):
    # 80 data rows pass the cheap count (data rows plus as many empty ones) but not the limit;
    # a sheet that declares only 2 rows is read to its real end, not cut short.
    job = _dry_run(personas, big_xlsx(80, dimension))
    assert job.report["file_error"]["code"] == "too_many_rows"
    assert consumed["xlsx"] == 1 + LIMIT + 1  # the header, the limit, one more


@pytest.mark.django_db
def test_a_sheet_declaring_more_rows_than_allowed_is_refused_unread(
    personas, small_limit, consumed
):
    job = _dry_run(personas, big_xlsx(10, dimension="A1:C400001"))
    assert job.report["file_error"]["code"] == "too_many_rows"
    assert consumed["xlsx"] == 0


@pytest.mark.django_db
def test_a_big_csv_is_refused_at_the_first_row_past_the_limit(personas, small_limit, consumed):
    rows = [[f"北京测试{n}有限公司", "", "企业"] for n in range(20_000)]
    job = _dry_run(personas, csv_upload(rows))
    assert job.report["file_error"]["code"] == "too_many_rows"
    assert consumed["csv"] == 1 + LIMIT + 1


@pytest.mark.django_db
def test_empty_rows_count_too_but_only_past_twice_the_limit(personas, small_limit, consumed):
    data = (
        [["北京甲公司", "", "企业"]] + [["", "", ""]] * (2 * LIMIT) + [["北京乙公司", "", "企业"]]
    )
    job = _dry_run(personas, csv_upload(data))
    assert job.report["file_error"]["code"] == "too_many_rows"
    assert consumed["csv"] <= 2 * LIMIT + 3
    job = _dry_run(personas, csv_upload(data[:LIMIT]))
    assert job.report["file_error"] is None and job.total_rows == 1


@pytest.mark.django_db
def test_exactly_the_limit_is_accepted(personas, small_limit):
    job = _dry_run(personas, big_xlsx(LIMIT))
    assert job.report["file_error"] is None and job.total_rows == LIMIT


@pytest.mark.django_db
def test_a_workbook_that_unpacks_too_big_is_refused(personas, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 50_000
    job = _dry_run(personas, big_xlsx(2_000))
    assert job.report["file_error"]["code"] == "file_too_large"
