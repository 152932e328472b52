"""The annual statistical report: both formats' figures equal an independent count of the
records; the report for a past year as of a past day is unchanged by records entered later
(a new contract, a reversed receipt); the data checks flag what the issue names; the PDF
renders (pdftoppm) with its Chinese text; xlsx and PDF downloads for the conference only."""

import datetime
import io
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.insights import annual
from tmhub.insights.tests.helpers import contract
from tmhub.transfer import services as transfer
from tmhub.transfer.models import Contract, Receipt

pytestmark = pytest.mark.django_db
D = datetime.date


def _figures(report):
    return {f.key: f.value for f in report.figures}


def test_the_figures_equal_the_records_and_a_past_day_is_not_moved_by_later_entries(personas):
    contract(personas, D(2025, 3, 1), amount_fen=3_000_000, received_on=D(2025, 4, 1))
    city = get_scope(personas.municipal_admin)
    today = timezone.localdate()
    before = _figures(annual.build(2025, today, city))
    licences = Contract.objects.filter(kind="licence", signed_on__year=2025)
    assert before["licence_count"] == before["licences_executed"] == licences.count() == 1
    assert before["licence_value"] == sum(c.amount_fen for c in licences) / 100 == 30_000
    assert before["licence_income"] == sum(r.amount_fen for r in Receipt.objects.filter(
        contract__in=licences)) / 100 == 15_000
    assert before["research_expenditure"] is None  # not recorded, not guessed

    # records entered after the chosen day: a 2025 contract and the receipt reversed
    Contract.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    Receipt.objects.update(recorded_at=timezone.now() - datetime.timedelta(days=30))
    as_of = today - datetime.timedelta(days=7)
    frozen = _figures(annual.build(2025, as_of, city))
    contract(personas, D(2025, 6, 1), amount_fen=1_000_000)
    transfer.reverse_receipt(Receipt.objects.get(), actor=personas.institution_admin,
                             reason="录入错误")
    assert _figures(annual.build(2025, as_of, city)) == frozen
    now = _figures(annual.build(2025, today, city))
    assert now["licence_count"] == 2 and now["licence_income"] == 0


def test_the_data_checks_flag_an_unregistered_contract_and_a_jump_in_income(personas):
    contract(personas, D(2024, 3, 1), amount_fen=100_000, received_on=D(2024, 4, 1))
    contract(personas, D(2025, 3, 1), amount_fen=9_000_000, received_on=D(2025, 4, 1))
    found = annual.checks(2025, get_scope(personas.municipal_admin))
    codes = {c.code for c in found}
    unregistered = [c for c in Contract.objects.filter(signed_on__year=2025)
                    if not c.registration_number]
    assert unregistered and "contract_unregistered" in codes
    assert "year_on_year_jump" in codes  # 45,000 yuan after 500 yuan
    assert all(c.url for c in found if c.code == "contract_unregistered")


def test_the_pdf_renders_with_its_chinese_text_and_the_xlsx_has_every_figure(personas):
    contract(personas, D(2025, 3, 1), received_on=D(2025, 4, 1))
    client = client_for(personas.municipal_admin)
    query = "?year=2025&as_of=" + timezone.localdate().isoformat()
    page = client.get(reverse("insights:annual-report") + query)
    assert page.status_code == 200 and 'id="annual-autm"' in page.content.decode()
    pdf = client.get(reverse("insights:annual-pdf") + query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.pdf"
        path.write_bytes(pdf.content)
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(Path(tmp) / "page")],
                       check=True, timeout=60)
        assert list(Path(tmp).glob("page*.png"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
    assert "2025" in text and "技术" in text
    xlsx = client.get(reverse("insights:annual-xlsx") + query)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    report = annual.build(2025, timezone.localdate(), get_scope(personas.municipal_admin))
    assert sheet.max_row - 1 == len(report.figures)
    api = client.get("/api/v1/reports/annual/" + query)
    assert api.status_code == 200
    assert api.json()["figures"] == report.as_dict()["figures"]
    # outside the conference: 404; a future day or a bad year: 404
    assert client_for(personas.manager).get(reverse("insights:annual-report")).status_code == 404
    assert client.get(reverse("insights:annual-report") + "?year=abc").status_code == 404
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert client.get(reverse("insights:annual-report") + f"?as_of={future}").status_code == 404
    # the API: hidden from others as a missing page; a bad parameter is named in the answer
    assert client_for(personas.manager).get("/api/v1/reports/annual/").status_code == 404
    bad = client.get(f"/api/v1/reports/annual/?year=0&as_of={future}")
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"year", "as_of"}


def test_the_pdf_keeps_hostile_text_inert():
    """Labels, notes and the title reach the PDF through tmhub.core.pdf: markup in them is
    printed as text, never parsed (no embedded file, no link, no broken build)."""
    from tmhub.core.tests.pdf_checks import HOSTILE, assert_inert
    from tmhub.insights.annual import Figure, Report, pdf

    figures = [Figure(key=f"hostile_{n}_count", label=text, value=n, unit="count",
                      section="national", note=HOSTILE[-1 - n])
               for n, text in enumerate(HOSTILE)]
    figures.append(Figure(key="income", label=HOSTILE[0], value=12.5, unit="yuan",
                          section="autm", note=HOSTILE[1]))
    report = Report(year=2025, as_of=datetime.date(2026, 3, 31), figures=figures)
    assert_inert(pdf(report, HOSTILE[2] + HOSTILE[0]), images=0)
