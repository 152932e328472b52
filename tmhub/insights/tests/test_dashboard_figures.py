"""Every figure of the city dashboard recounted from the records, independently of the
dashboard's queries (plain Python over the rows), in each reader's scope; and each figure's
drill-down (district → institution → records) adds up to it."""

import datetime
from collections import Counter
from urllib.parse import parse_qsl, urlparse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.core.models import IndustryField, WorkflowEvent
from tmhub.insights import dashboard, totals
from tmhub.insights.tests.helpers import contract, seeded_plan
from tmhub.orgs.models import Organization
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile
from tmhub.transfer.choices import STAGE_ORDER
from tmhub.transfer.models import Contract, Cost, Project, Receipt, RewardSplit

pytestmark = pytest.mark.django_db
D = datetime.date
TZ = timezone.get_current_timezone()


def _records(personas):
    ai = IndustryField.objects.get(code="AI")
    for i, (employer, district, day) in enumerate([
            (personas.university, personas.haidian, D(2023, 4, 1)),
            (personas.university, personas.haidian, D(2024, 7, 1)),
            (personas.hospital, personas.hospital.district, D(2025, 3, 1)),
            (personas.university, personas.haidian, D(2026, 5, 1))]):  # after the plan
        profile = make_profile(employer=employer, district=district, name=f"经理{i}",
                               entry_route=["selected", "recruited", "trained"][i % 3],
                               fields=[("AI",), ("AI", "MED"), ()][i % 3])
        ManagerProfile.objects.filter(pk=profile.pk).update(
            registered_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
            registry_number=f"BJTM-T-{i}")
    made = contract(personas, D(2024, 5, 1), amount_fen=2_000_000, received_on=D(2024, 6, 1))
    Cost.objects.create(contract=made, amount_fen=100_000, incurred_on=D(2024, 6, 2),
                        category="other")
    contract(personas, D(2025, 2, 1))
    project_ct = ContentType.objects.get_for_model(Project)
    for n, stage in enumerate(["mining", "incubation", "landing"]):
        # set-up rows written as such (a project's stage is the workflow's to move)
        [project] = Project.objects.bulk_create([Project(
            title=f"项目{n}", institution=personas.university, stage=stage,
            started_on=D(2023, 1, 1), field=ai)])
        moment = datetime.datetime(2023, 1, 1, tzinfo=TZ)
        for step, (src, dst) in enumerate(zip(STAGE_ORDER, STAGE_ORDER[1:])):
            if STAGE_ORDER.index(dst) > STAGE_ORDER.index(stage):
                break
            moment += datetime.timedelta(days=10 * (step + 1) + n)
            WorkflowEvent.objects.create(content_type=project_ct, object_id=str(project.pk),
                                         time=moment, event_type="transfer.project.stage_forward",
                                         from_state=src, to_state=dst)
    # Rows above are written as rows (entry days in the past, a cost without its service),
    # so the dashboard's running totals are rebuilt from them, as after a load; that the
    # services keep the totals equal to such a rebuild is test_totals.py's.
    totals.rebuild()


def _registered(scope_managers, plan):
    end = min(plan.end, timezone.localdate())
    return [p for p in scope_managers if p.registered_at
            and plan.start <= timezone.localtime(p.registered_at).date() <= end]


def _check(tables, personas, plan, managers, institutions):
    # registry: managers by district and year
    counted = Counter((p.work_district.name, timezone.localtime(p.registered_at).year)
                      for p in _registered(managers, plan))
    assert {(r[0], r[1]): r[2] for r in tables["managers"].rows if r[2]} == dict(counted)
    # registry: managers by entry route and by employer kind
    t = tables["manager-profile"]
    rows = {(link["dimension"], r[1]): r[2] for r, link in zip(t.rows, t.links)}
    routes = Counter(str(p.get_entry_route_display()) for p in _registered(managers, plan))
    assert {k[1]: v for k, v in rows.items() if k[0] == "route"} == dict(routes)
    kinds = Counter(str(p.employer.get_kind_display()) for p in _registered(managers, plan))
    assert {k[1]: v for k, v in rows.items() if k[0] == "employer"} == dict(kinds)
    levels = Counter(str(p.get_training_level_display() or gettext("None"))
                     for p in _registered(managers, plan))
    assert {k[1]: v for k, v in rows.items() if k[0] == "level"} == dict(levels)
    in_fields = Counter(name for p in _registered(managers, plan)
                        for name in [str(f.name) for f in p.fields.all()]
                        or [gettext("Field not given")])
    assert {k[1]: v for k, v in rows.items() if k[0] == "field"} == dict(in_fields)
    # money by institution kind and year
    ids = {o.pk for o in institutions}
    for kind_label, year, signed, amount, income, net, rewards in tables["institutions"].rows:
        mine = [c for c in Contract.objects.all() if c.institution_id in ids
                and str(c.institution.get_kind_display()) == kind_label]
        assert signed == sum(1 for c in mine if c.signed_on.year == year)
        assert amount == sum(c.amount_fen for c in mine if c.signed_on.year == year) / 100
        received = sum(r.amount_fen for r in Receipt.objects.all()
                       if r.contract in mine and r.received_on.year == year)
        spent = sum(c.amount_fen for c in Cost.objects.all()
                    if c.contract in mine and c.incurred_on.year == year)
        assert income == received / 100 and net == (received - spent) / 100
        kinds_ids = {o.pk for o in institutions if str(o.get_kind_display()) == kind_label}
        assert rewards == sum(s.team_fen for s in RewardSplit.objects.filter(status="approved")
                              if s.institution_id in kinds_ids and s.income_date.year == year) / 100
    # funnel: reached each stage, conversion, median days
    projects = [p for p in Project.objects.all() if p.institution_id in ids]
    funnel = tables["funnel"].rows
    for i, row in enumerate(funnel):
        reached = sum(1 for p in projects if STAGE_ORDER.index(p.stage) >= i)
        assert row[1] == reached
    if projects:
        assert funnel[0][3] == 11.5  # median of the 11 and 12 days of the two that left it
        assert funnel[0][2] == round(100 * 2 / 3, 1)


def test_every_figure_equals_an_independent_count_for_each_reader(personas):
    plan = seeded_plan()
    _records(personas)
    today = timezone.localdate()
    everyone = list(ManagerProfile.objects.select_related("employer", "work_district"))
    all_institutions = list(Organization.objects.filter(kind__in=dashboard.INSTITUTION_KINDS))
    readers = [
        (personas.municipal_admin, everyone, all_institutions),
        (personas.district_officer, [p for p in everyone if p.work_district == personas.haidian],
         [o for o in all_institutions if o.district == personas.haidian]),
        (personas.health_officer, [p for p in everyone if p.employer
                                   and p.employer.kind == "medical"],
         [o for o in all_institutions if o.kind == "medical"]),
    ]
    for user, managers, institutions in readers:
        tables = {t.key: t for t in dashboard.tables(plan, get_scope(user), today)}
        assert set(tables) == set(dashboard.TABLES)
        _check(tables, personas, plan, managers, institutions)
    city = {t.key: t for t in dashboard.tables(plan, get_scope(personas.municipal_admin), today)}
    assert sum(r[2] for r in city["managers"].rows) == 3  # the 2026 registration is after it


def test_the_targets_say_the_plan_has_ended_and_give_the_final_shortfall(personas):
    plan = seeded_plan()
    with translation.override("en"):
        table = dashboard.targets_table(plan, timezone.localdate())
    target, value, figure, percent, remaining, outlook = table.rows[0]
    assert value == 500 and remaining == 500 - figure
    assert outlook.startswith("Final (period ended 2025-12-31)")
    assert "projected" not in outlook and "left" not in outlook


def _drill_total(client, url):
    """Follow a drill link to the record list through every district and institution, and
    return the records reached and the count the first step showed."""
    page = client.get(url)
    assert page.status_code == 200
    groups = page.context["groups"]
    if page.context["level"] == "records":
        return page.context["page"].paginator.count, None
    shown = sum(n for _name, n, _a, _u in groups)
    reached = 0
    for _name, n, _a, link in groups:
        if link:
            count, _ = _drill_total(client, link)
            assert count == n
            reached += count
    return reached, shown


def test_each_figure_drills_down_to_its_records_in_the_readers_scope(personas):
    plan = seeded_plan()
    _records(personas)
    client = client_for(personas.district_officer)
    page = client.get(reverse("insights:dashboard", args=[plan.pk]))
    assert page.status_code == 200
    charts = {c["table"].key: c for c in page.context["charts"]}
    # managers of Haidian, 2024: one record, reached through Haidian and the university
    row_url = [u for r, u in charts["managers"]["rows"] if r[1] == 2024][0]
    query = dict(parse_qsl(urlparse(row_url).query))
    assert query["district"] == str(personas.haidian.pk)
    reached, _ = _drill_total(client, row_url)
    assert reached == [r[2] for r, _u in charts["managers"]["rows"] if r[1] == 2024][0] == 1
    # contracts of universities, 2024: district → institution → the contract
    url = [u for r, u in charts["institutions"]["rows"] if r[1] == 2024][0]
    reached, shown = _drill_total(client, url)
    assert reached == shown == 1
    # the funnel's first stage: every project started in the plan's period
    url = charts["funnel"]["rows"][0][1]
    assert _drill_total(client, url)[0] == 3
    # another district's records are not reachable from Haidian
    base = reverse("insights:dashboard-drill", args=[plan.pk, "managers"])
    other = personas.hospital.district.pk
    assert client.get(f"{base}?district={other}").status_code == 404
    assert client.get(reverse("insights:dashboard-drill",
                              args=[plan.pk, "nothing"])).status_code == 404
    # the health officer sees only medical institutions' contracts (none here)
    health = client_for(personas.health_officer)
    url = reverse("insights:dashboard-drill", args=[plan.pk, "institutions"]) + "?year=2024"
    assert health.get(url).context["groups"] == []
