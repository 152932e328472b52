"""The city dashboard: every figure equals an independent count of the records in the
reader's scope (the city: every district and institution; a district officer: their district;
a department officer: the institutions of the kinds the department oversees); each chart has
its numbers as a table and an xlsx download."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.core.models import District
from tmhub.districts.choices import LandingKind
from tmhub.districts.models import Landing
from tmhub.insights import dashboard
from tmhub.insights.tests.helpers import contract, seeded_plan
from tmhub.orgs.models import Organization
from tmhub.transfer.models import Contract, Receipt

pytestmark = pytest.mark.django_db


def _records(personas):
    chaoyang = District.objects.get(code="110105")
    for day, district in [(datetime.date(2024, 3, 1), personas.haidian),
                          (datetime.date(2024, 9, 1), personas.haidian),
                          (datetime.date(2025, 6, 1), chaoyang)]:
        # set-up rows (the districts' own tests walk record_landing's rules)
        Landing.objects.bulk_create([Landing(
            district=district, kind=LandingKind.COMPANY, title="新设企业", occurred_on=day,
            company_name="示例科技有限公司")])
    contract(personas, datetime.date(2024, 5, 1), amount_fen=2_000_000,
             received_on=datetime.date(2024, 6, 1))
    contract(personas, datetime.date(2025, 2, 1))


def _check_districts(table, district_ids):
    assert {row[0] for row in table.rows} == {
        d.name for d in District.objects.filter(pk__in=district_ids)}
    names = {d.name: d for d in District.objects.filter(pk__in=district_ids)}
    for name, year, landings, value in table.rows:
        rows = Landing.objects.filter(district=names[name], occurred_on__year=year)
        assert landings == rows.count()
        assert value == sum(r.amount_fen for r in rows.filter(kind=LandingKind.CONTRACT)) / 100


def _check_institutions(table, institutions):
    by_label = {}
    for org in institutions:
        by_label.setdefault(str(org.get_kind_display()), []).append(org.pk)
    assert {row[0] for row in table.rows} == set(by_label)
    for label, year, signed, _amount, income, *_rest in table.rows:
        ids = by_label[label]
        assert signed == Contract.objects.filter(institution_id__in=ids,
                                                 signed_on__year=year).count()
        assert income == sum(r.amount_fen for r in Receipt.objects.filter(
            contract__institution_id__in=ids, received_on__year=year)) / 100


def test_every_figure_equals_an_independent_count_in_the_readers_scope(personas):
    plan = seeded_plan()
    _records(personas)
    today = timezone.localdate()
    city = get_scope(personas.municipal_admin)
    tables = {t.key: t for t in dashboard.tables(plan, city, today)}
    _check_districts(tables["districts"], District.objects.values_list("pk", flat=True))
    assert [r[2] for r in tables["districts"].rows if r[0] == personas.haidian.name
            and r[1] == 2024] == [2]
    universities = Organization.objects.filter(kind__in=dashboard.INSTITUTION_KINDS)
    _check_institutions(tables["institutions"], universities)
    assert any(r[2] for r in tables["institutions"].rows)

    haidian = get_scope(personas.district_officer)
    mine = {t.key: t for t in dashboard.tables(plan, haidian, today)}
    _check_districts(mine["districts"], [personas.haidian.pk])
    _check_institutions(mine["institutions"],
                        universities.filter(district=personas.haidian))

    health = get_scope(personas.health_officer)
    theirs = {t.key: t for t in dashboard.tables(plan, health, today)}
    _check_institutions(theirs["institutions"], universities.filter(kind="medical"))
    assert not [r for r in theirs["institutions"].rows if r[2]]
    for key in dashboard.TABLES:  # no chart of the health officer's shows another's rows
        assert len(theirs[key].links) == len(theirs[key].rows)


def test_the_page_shows_every_chart_with_its_numbers_and_the_xlsx_matches(personas):
    plan = seeded_plan()
    _records(personas)
    client = client_for(personas.district_officer)
    page = client.get(reverse("insights:dashboard", args=[plan.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    for key in dashboard.TABLES:
        assert f'id="chart-{key}"' in html and f'id="table-{key}"' in html
    assert "<script>" not in html.replace('<script src=', '')  # no inline script (CSP)
    table = dashboard.district_table(plan, get_scope(personas.district_officer))
    xlsx = client.get(reverse("insights:dashboard-export", args=[plan.pk, "districts"]))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert [[str(v) for v in r[:3]] for r in rows] == [[str(v) for v in r[:3]]
                                                       for r in table.rows]
    assert client.get(reverse("insights:dashboard-export",
                              args=[plan.pk, "nothing"])).status_code == 404
