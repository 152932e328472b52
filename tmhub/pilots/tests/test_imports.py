"""Excel imports of funded projects and their KPIs (issue 15 item 11): a dry run reports
every row's errors and saves nothing; a clean file commits whole, through the services."""

import pytest

from tmhub.core.models import ImportJob
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.pilots.models import Pilot, PilotKpi
from tmhub.pilots.tests.helpers import make_pilot, programme, science_officer
from tmhub.talent.tests.helpers import xlsx_upload

pytestmark = pytest.mark.django_db
PILOT_HEADER = ["项目类别", "项目编号", "项目名称", "承担单位", "项目负责人", "经费（元）",
                "开始日期", "结束日期", "产业领域", "所在区", "遴选理由"]
KPI_HEADER = ["项目编号", "指标类型", "目标值", "完成期限", "权重"]


def _pilot_row(code, institution="测试大学", budget="3000000.00", ends="2027-12-31",
               district="海淀区"):
    return ["KJ-YY-2024", code, "新型储能材料应用研究", institution, "王教授", budget,
            "2024-01-01", ends, "", district, "企业需求明确"]


def test_a_pilot_file_with_bad_rows_is_reported_and_nothing_is_saved(personas):
    programme(personas)
    make_pilot(personas, code="Z-EXISTS")
    rows = [_pilot_row("Z-OK"), _pilot_row("Z-OK"), _pilot_row("Z-EXISTS"),
            _pilot_row("Z-NOINST", institution="不存在的大学"),
            _pilot_row("Z-MONEY", budget="三百万"),
            _pilot_row("Z-DATES", ends="2023-01-01"), _pilot_row("Z-DIST", district="火星区")]
    job = start_import(REGISTRY["pilots"], xlsx_upload(PILOT_HEADER, rows, name="p.xlsx"),
                       actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.INVALID
    errors = {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}
    assert (3, "code", "duplicate_in_file") in errors
    assert (4, "code", "duplicate") in errors
    assert (5, "institution", "invalid_choice") in errors
    assert (6, "budget", "invalid") in errors
    assert (7, "ends_on", "period_order") in errors
    assert (8, "district", "invalid_choice") in errors
    assert not any(row == 2 for row, _f, _c in errors)
    assert Pilot.objects.count() == 1


def test_a_clean_pilot_file_commits_and_only_the_city_may_import(personas):
    programme(personas)
    spec = REGISTRY["pilots"]
    assert not spec.can_import(__import__("tmhub.core.access", fromlist=["get_scope"])
                               .get_scope(personas.district_officer))
    rows = [_pilot_row("Z-A"), _pilot_row("Z-B", budget="1,250,000.50")]
    job = start_import(spec, xlsx_upload(PILOT_HEADER, rows, name="p.xlsx"),
                       actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert not Pilot.objects.exists()  # a dry run saves nothing
    job = commit_import(job, actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.COMMITTED
    b = Pilot.objects.get(code="Z-B")
    assert b.budget_fen == 125_000_050 and b.district == personas.haidian
    assert b.selected_by == personas.municipal_admin


def test_kpis_import_for_the_pilots_the_importer_steers(personas):
    """Given a programme officer's pilot and another programme's, then the officer imports
    KPIs for their own; the other pilot reads as unknown; types by code or name."""
    own = make_pilot(personas)
    other = make_pilot(personas, code="Z-OTHER",
                       programme=programme(personas, code="KJ-CX", officers=[]))
    rows = [[own.code, "contracts_signed", "3", "2027-06-30", "2"],
            [own.code, "技术合同成交额", "500", "2027/6/30", ""],
            [own.code, "contracts_signed", "1", "2027-06-30", ""],
            [other.code, "contracts_signed", "1", "2027-06-30", ""],
            [own.code, "no-such-type", "0", "someday", "300"]]
    officer = science_officer()
    job = start_import(REGISTRY["pilot-kpis"], xlsx_upload(KPI_HEADER, rows, name="k.xlsx"),
                       actor=officer)
    errors = {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}
    assert (4, "kpi_type", "duplicate_in_file") in errors
    assert (5, "pilot", "invalid_choice") in errors
    assert {(6, "kpi_type", "invalid_choice"), (6, "target", "invalid"),
            (6, "due_on", "invalid_date"), (6, "weight", "invalid")} <= errors
    assert not any(row in (2, 3) for row, _f, _c in errors)
    assert not PilotKpi.objects.exists()
    job = start_import(REGISTRY["pilot-kpis"],
                       xlsx_upload(KPI_HEADER, rows[:2], name="k.xlsx"), actor=officer)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    commit_import(job, actor=officer)
    assert sorted(k.kpi_type.code for k in own.kpis.all()) == ["contract_value",
                                                               "contracts_signed"]
    assert own.kpis.get(kpi_type__code="contracts_signed").weight == 2
