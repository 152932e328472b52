"""Given records of a registered manager on both sides of a round's cut-off (dated before the
period, in it, after it; approved, reversed or released after it), when the city computes a
round whose only indicator reads one metric, then the indicator's raw value equals an
independent count over the records as they stood at the cut-off (issue 17 items 2 and 8).

Each case builds its records, then counts them again here in plain Python — without the
metric — from every row of the model, so a metric that forgets the cut-off (or a status
reached later) disagrees."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tmhub.evaluation.models import RatingItem
from tmhub.evaluation.rating_choices import IndicatorKind
from tmhub.evaluation.services import indicators as systems
from tmhub.evaluation.tests.rating_helpers import (
    CUTOFF,
    LEVELS,
    START,
    computed_round,
    registered_manager,
)
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ActivityKind, ContractKind, CostCategory, PartyRole
from tmhub.transfer.models import Activity, Contract, Cost, ProjectAssignment, Receipt

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2025, 12, 20)  # before the period
INSIDE = datetime.date(2026, 6, 1)
LAST_DAY = CUTOFF
AFTER = CUTOFF + datetime.timedelta(days=2)  # after the cut-off (still in the past)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def in_period(day) -> bool:
    return START <= day <= CUTOFF


def known_by_cutoff(moment) -> bool:
    return moment is not None and timezone.localdate(moment) <= CUTOFF


def one_metric_system(city, metric_key: str):
    system = systems.create_system(actor=city, code=f"as-of-{metric_key}".replace(".", "-"),
                                   name_zh="单指标", subject_kind="manager", levels=LEVELS)
    top = systems.add_indicator(system, actor=city, code="top", name_zh="维度",
                                kind=IndicatorKind.DIMENSION, weight=100)
    systems.add_indicator(system, actor=city, parent=top, code="leaf", name_zh="指标",
                          kind=IndicatorKind.COMPUTED, weight=100, metric_key=metric_key,
                          curve={"kind": "linear", "zero": "0", "full": "1000000000"})
    return systems.publish_system(system, actor=city)


def rated_value(personas, metric_key, capture, manager) -> Decimal:
    city = personas.municipal_admin
    round_ = computed_round(city, one_metric_system(city, metric_key), capture=capture)
    item = RatingItem.objects.get(rating__round=round_, rating__manager=manager,
                                  indicator__code="leaf")
    return item.raw_value


# ---------------------------------------------------------------- records
def _project(personas, title, manager):
    return transfer.create_project(actor=personas.institution_admin,
                                   institution=personas.university, title=title, lead=manager)


def _contract(personas, project, signed_on, amount_fen):
    return transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="许可合同", kind=ContractKind.LICENCE, amount_fen=amount_fen, signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def _contracts_both_sides(personas, manager):
    one, two, three = (_project(personas, f"项目{n}", manager) for n in "一二三")
    _contract(personas, one, INSIDE, 300_000)
    _contract(personas, one, LAST_DAY, 200_000)
    _contract(personas, two, AFTER, 9_000_000)
    _contract(personas, three, BEFORE, 7_000_000)
    return one


def _projects_of(manager) -> set[int]:
    return set(ProjectAssignment.objects.filter(user=manager).values_list("project_id",
                                                                           flat=True))


def count_deals(manager):
    return Decimal(len({c.project_id for c in Contract.objects.all()
                        if c.project_id in _projects_of(manager) and in_period(c.signed_on)}))


def count_contract_value(manager):
    return Decimal(sum(c.amount_fen for c in Contract.objects.all()
                       if c.project_id in _projects_of(manager) and in_period(c.signed_on)
                       and c.currency == "CNY")) / 100


def _stood(entry) -> bool:
    """A receipt or cost that stood at the cut-off: an original, or a reversal recorded by
    then."""
    return entry.reverses_id is None or known_by_cutoff(entry.recorded_at)


def count_net_income(manager):
    total = 0
    for contract in Contract.objects.filter(project_id__in=_projects_of(manager)):
        received = sum(r.amount_fen for r in Receipt.objects.filter(contract=contract)
                       if in_period(r.received_on) and _stood(r))
        spent = sum(c.amount_fen for c in Cost.objects.filter(contract=contract)
                    if in_period(c.incurred_on) and _stood(c))
        total += max(received - spent, 0)
    return Decimal(total) / 100


def build_money(personas, manager):
    project = _project(personas, "收入项目", manager)
    contract = _contract(personas, project, BEFORE, 10_000_000)
    admin = personas.institution_admin
    transfer.record_receipt(contract, actor=admin, received_on=BEFORE, amount_fen=1_000_000)
    transfer.record_receipt(contract, actor=admin, received_on=INSIDE, amount_fen=2_000_000)
    reversed_later = transfer.record_receipt(contract, actor=admin, received_on=LAST_DAY,
                                             amount_fen=500_000)
    transfer.record_receipt(contract, actor=admin, received_on=AFTER, amount_fen=4_000_000)
    transfer.record_cost(contract, actor=admin, incurred_on=INSIDE,
                         category=CostCategory.choices[0][0], amount_fen=300_000)
    transfer.record_cost(contract, actor=admin, incurred_on=AFTER,
                         category=CostCategory.choices[0][0], amount_fen=1_000_000)
    # reversed today, after the cut-off: at the cut-off the receipt stood
    transfer.reverse_receipt(reversed_later, actor=admin, reason="重复登记")
    # reversed by the cut-off: it did not stand
    early = transfer.record_receipt(contract, actor=admin, received_on=INSIDE,
                                    amount_fen=700_000)
    reversal = transfer.reverse_receipt(early, actor=admin, reason="金额有误")
    Receipt.objects.filter(pk=reversal.pk).update(recorded_at=_moment(INSIDE))


def build_assignments(personas, manager):
    served, later, released = (_project(personas, f"服务项目{n}", manager) for n in "一二三")
    ProjectAssignment.objects.filter(project=served, user=manager).update(assigned_on=INSIDE)
    ProjectAssignment.objects.filter(project=later, user=manager).update(assigned_on=AFTER)
    ProjectAssignment.objects.filter(project=released, user=manager).update(
        assigned_on=BEFORE - datetime.timedelta(days=30), released_on=BEFORE)


def count_projects_served(manager):
    return Decimal(len({a.project_id for a in ProjectAssignment.objects.filter(user=manager)
                        if a.assigned_on <= CUTOFF
                        and (a.released_on is None or a.released_on >= START)}))


def build_introductions(personas, manager):
    project = _project(personas, "引荐项目", manager)
    for day in (BEFORE, INSIDE, LAST_DAY, AFTER):
        Activity.objects.create(project=project, kind=ActivityKind.INTRODUCTION,
                                occurred_at=_moment(day), manager=manager,
                                summary="引荐企业", recorded_by=manager)


def count_introductions(manager):
    return Decimal(sum(1 for a in Activity.objects.filter(manager=manager)
                       if a.kind == ActivityKind.INTRODUCTION
                       and in_period(timezone.localdate(a.occurred_at))))


def build_financing(personas, manager):
    from tmhub.network import financing
    from tmhub.network.models import Financing
    from tmhub.network.tests.helpers import given_financing

    project = _project(personas, "融资项目", manager)

    def round_(day, amount, decided_on):
        made = given_financing(personas, project=project, financed_on=day, amount_fen=amount)
        if decided_on is not None:
            Financing.objects.filter(pk=made.pk).update(decided_at=_moment(decided_on))
        return made

    round_(INSIDE, 100_000_000, INSIDE)           # counts
    round_(LAST_DAY, 20_000_000, AFTER)           # approved after the cut-off
    round_(AFTER, 50_000_000, AFTER)              # dated after the cut-off
    round_(BEFORE, 70_000_000, BEFORE)            # before the period
    later = round_(INSIDE, 3_000_000, INSIDE)     # reversed after the cut-off: stood then
    reversal = financing.reverse_financing(later, actor=personas.manager, reason="重复")
    financing.step(reversal, "approved", actor=personas.institution_admin)
    gone = round_(INSIDE, 400_000, INSIDE)        # reversed by the cut-off
    reversal = financing.reverse_financing(gone, actor=personas.manager, reason="错误")
    financing.step(reversal, "approved", actor=personas.institution_admin)
    Financing.objects.filter(pk=reversal.pk).update(decided_at=_moment(INSIDE))


def count_financing(manager):
    from tmhub.network.models import Financing

    rows = list(Financing.objects.all())

    def approved_by_cutoff(f):
        return f.status == "approved" and known_by_cutoff(f.decided_at)

    total = 0
    for f in rows:
        if f.project_id not in _projects_of(manager) or f.reversal_of_id is not None:
            continue
        if not (in_period(f.financed_on) and approved_by_cutoff(f)):
            continue
        if any(r.reversal_of_id == f.pk and approved_by_cutoff(r) for r in rows):
            continue
        total += f.amount_fen
    return Decimal(total) / 100


def build_landings(personas, manager):
    from tmhub.districts.models import Landing

    for day in (BEFORE, INSIDE, LAST_DAY, AFTER):
        landing = Landing.objects.create(district=personas.haidian, kind="company",
                                         title=f"落地{day}", occurred_on=day)
        landing.managers.add(manager)
    Landing.objects.create(district=personas.haidian, kind="company", title="他人",
                           occurred_on=INSIDE)


def count_landings(manager):
    from tmhub.districts.models import Landing

    return Decimal(sum(1 for landing in Landing.objects.all()
                       if manager in landing.managers.all() and in_period(landing.occurred_on)))


def build_hours(personas, manager):
    from tmhub.training.models import ExternalHours

    for day, hours in ((BEFORE, "8"), (INSIDE, "6.5"), (LAST_DAY, "2"), (AFTER, "12")):
        ExternalHours.objects.create(trainee=manager, date=day, title="行业会议",
                                     hours=Decimal(hours), recorded_by=personas.institution_admin)


def count_hours(manager, *, whole=False):
    from tmhub.training.models import ExternalHours

    total = sum((h.hours for h in ExternalHours.objects.filter(trainee=manager)
                 if in_period(h.date)), Decimal(0))
    return total.quantize(Decimal(1), "ROUND_HALF_UP") if whole else total


def build_client_rating(personas, manager):
    """Two collaborations the manager worked on, both rated by the provider in the period:
    one released (both sides rated) before the cut-off, one only after it."""
    from tmhub.network.models import Collaboration, Rating
    from tmhub.network.tests.helpers import given_collaboration

    first = given_collaboration(personas, complete=True)
    for collaboration, score, released in ((first, "4.00", INSIDE), (None, "2.00", AFTER)):
        if collaboration is None:  # a second collaboration like the first
            from tmhub.network.models import Introduction

            introduction = Introduction.objects.get(pk=first.introduction_id)
            introduction.pk = introduction.id = None
            introduction.provider = personas.company  # one introduction per need and provider
            # a copy of test data, written in bulk (not a change anyone made)
            Introduction.objects.bulk_create([introduction])
            collaboration = Collaboration.objects.get(pk=first.pk)
            collaboration.pk = collaboration.id = None
            collaboration.introduction_id = introduction.pk
            Collaboration.objects.bulk_create([collaboration])
            collaboration.managers.set([manager])
        Collaboration.objects.filter(pk=collaboration.pk).update(
            ratings_released_at=_moment(released), rating_closes_on=AFTER + datetime.timedelta(
                days=30))
        rating = Rating.objects.create(collaboration_id=collaboration.pk, rater_side="provider",
                                       overall=Decimal(score), rated_by=personas.service_provider)
        Rating.objects.filter(pk=rating.pk).update(created_at=_moment(INSIDE))


def count_client_rating(manager):
    from tmhub.network.models import Rating

    given = [r.overall for r in Rating.objects.select_related("collaboration")
             if r.rater_side == "provider" and manager in r.collaboration.managers.all()
             and in_period(timezone.localdate(r.created_at))
             and (known_by_cutoff(r.collaboration.ratings_released_at)
                  or (r.collaboration.rating_closes_on or AFTER) < CUTOFF)]
    if not given:
        return Decimal(0)
    return (sum(given, Decimal(0)) / len(given)).quantize(Decimal("0.01"))


def build_pilots(personas, manager):
    from tmhub.pilots.models import Pilot
    from tmhub.pilots.tests.helpers import assign, make_pilot

    for code, closed, value in (("Z261100001", INSIDE, "80"), ("Z261100002", AFTER, "20"),
                                ("Z261100003", LAST_DAY, "100")):
        pilot = make_pilot(personas, code=code)
        made = assign(personas, pilot, manager=manager)
        type(made).objects.filter(pk=made.pk).update(assigned_on=START)
        Pilot.objects.filter(pk=pilot.pk).update(closed_on=closed,
                                                 overall_attainment=Decimal(value))


def count_pilots(manager):
    from tmhub.pilots.models import Assignment

    values = {a.pilot_id: a.pilot.overall_attainment
              for a in Assignment.objects.filter(manager=manager).select_related("pilot")
              if a.pilot.closed_on and in_period(a.pilot.closed_on)
              and a.assigned_on <= CUTOFF and a.pilot.overall_attainment is not None}
    if not values:
        return Decimal(0)
    return (sum(values.values(), Decimal(0)) / len(values)).quantize(Decimal("0.1"))


CASES = {
    "transfer_deals": (_contracts_both_sides, count_deals),
    "transfer_contract_value_fen": (_contracts_both_sides, count_contract_value),
    "transfer_net_income_fen": (build_money, count_net_income),
    "transfer_projects_served": (build_assignments, count_projects_served),
    "transfer_introductions": (build_introductions, count_introductions),
    "financing_raised_fen": (build_financing, count_financing),
    "districts.manager_landings": (build_landings, count_landings),
    "continuing_education_hours": (build_hours, count_hours),
    "training_hours": (build_hours, lambda m: count_hours(m, whole=True)),
    "client_rating": (build_client_rating, count_client_rating),
    "pilot_kpi_attainment": (build_pilots, count_pilots),
}


@pytest.mark.parametrize("metric_key", sorted(CASES))
def test_a_computed_indicator_equals_an_independent_count_as_of_the_cutoff(
        personas, metric_key, django_capture_on_commit_callbacks):
    manager = registered_manager(personas)
    build, count = CASES[metric_key]
    build(personas, manager)
    expected = count(manager)
    assert expected > 0, "the case must leave something inside the period to count"
    got = rated_value(personas, metric_key, django_capture_on_commit_callbacks, manager)
    assert got == expected
