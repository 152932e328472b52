"""The city dashboard's running totals (tmhub.insights.totals) follow every write the services
make — registration, profile edits, an employer's kind, contracts, receipts and their
reversals, costs, reward splits, a project's field — and always equal a rebuild from the
records; a rolled-back write leaves them as they were; the check command finds a tampered
total."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from tmhub.core.actors import SYSTEM
from tmhub.core.models import District, IndustryField
from tmhub.insights import totals
from tmhub.insights.models import DashboardTotal
from tmhub.orgs import services as org_services
from tmhub.talent import services as talent_services
from tmhub.talent.tests.helpers import make_profile
from tmhub.transfer import services
from tmhub.transfer.rewards_engine import Person
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db
D = datetime.date


def _stored(measure, **cell):
    rows = DashboardTotal.objects.filter(measure=measure, **cell)
    return sum(rows.values_list("value", flat=True))


def _agrees():
    assert totals.drift() == {}


def test_the_transfer_chain_books_contracts_income_and_rewards(personas):
    chain = make_chain(personas)
    _agrees()
    university = personas.university.pk
    contract = chain.contract
    assert _stored(totals.CONTRACTS, year=contract.signed_on.year, institution=university) >= 1
    assert _stored(totals.CONTRACT_AMOUNT, year=contract.signed_on.year,
                   institution=university) >= contract.amount_fen
    assert _stored(totals.INCOME, institution=university) == sum(
        r.amount_fen for r in contract.receipts.all())
    assert _stored(totals.REWARDS, institution=university) == sum(
        s.team_fen for s in [chain.split_approved])


def test_corrections_and_edits_move_the_totals_by_what_they_change(personas):
    chain = make_chain(personas)
    contract, university = chain.contract, personas.university.pk
    receipt = contract.receipts.order_by("pk").first()
    before = _stored(totals.INCOME, institution=university)
    services.reverse_receipt(receipt, actor=personas.institution_admin, reason="录入错误")
    assert _stored(totals.INCOME, institution=university) == before - receipt.amount_fen
    _agrees()

    costs = _stored(totals.COSTS, year=2025, institution=university)
    cost = services.record_cost(contract, actor=personas.institution_admin,
                                incurred_on=D(2025, 5, 1), category="other", amount_fen=5_000)
    assert _stored(totals.COSTS, year=2025, institution=university) == costs + 5_000
    services.reverse_cost(cost, actor=personas.institution_admin, reason="重复录入")
    assert _stored(totals.COSTS, year=2025, institution=university) == costs
    _agrees()

    # the signing day moves the contract to another year; the amount moves with it
    year = contract.signed_on.year
    services.update_contract(contract, actor=personas.institution_admin,
                             signed_on=D(year - 1, 12, 30), amount_fen=contract.amount_fen + 100)
    assert _stored(totals.CONTRACTS, year=year, institution=university) == 0
    assert _stored(totals.CONTRACT_AMOUNT, year=year - 1,
                   institution=university) == contract.amount_fen + 100
    _agrees()

    # contracts count by the field of their project
    medicine = IndustryField.objects.exclude(pk=contract.project.field_id).first()
    services.update_project(contract.project, actor=personas.manager, field=medicine)
    assert _stored(totals.CONTRACTS, field=medicine.pk, institution=university) == 1
    _agrees()


def test_a_split_counts_once_approved_and_leaves_when_cancelled(personas):
    chain = make_chain(personas)
    university = personas.university.pk
    approved = _stored(totals.REWARDS, institution=university)
    split = services.create_split(
        actor=personas.manager, institution=personas.university, contract=chain.contract,
        income_date=D(2025, 4, 1), amount_fen=10_000_000,
        people=[Person("王测试", Decimal(50), personas.manager.pk), Person("李博士", Decimal(50))])
    assert _stored(totals.REWARDS, institution=university) == approved  # a draft does not count
    split = services.approve_split(split, actor=personas.institution_admin)
    assert _stored(totals.REWARDS, institution=university) == approved + split.team_fen
    _agrees()


def test_registration_and_profile_edits_move_the_registry_counts(personas):
    profile = make_profile(employer=personas.university, district=personas.haidian,
                           fields=("AI",))
    talent_services.set_listing(profile, actor=SYSTEM, listed=True, registry_number="BJTM-X-1")
    profile.refresh_from_db()
    year = profile.registered_at.astimezone(datetime.timezone(datetime.timedelta(hours=8))).year
    haidian, kind = personas.haidian.pk, personas.university.kind
    assert _stored(totals.MANAGERS, year=year, district=haidian, kind=kind) == 1
    _agrees()

    chaoyang = District.objects.get(code="110105")
    medicine = IndustryField.objects.get(code="MED")
    talent_services.update_profile(profile, actor=SYSTEM, work_district=chaoyang,
                                   fields=[medicine])
    assert _stored(totals.MANAGERS, district=haidian) == 0
    assert _stored(totals.MANAGERS, district=chaoyang.pk) == 1
    assert _stored(totals.MANAGER_FIELDS, field=medicine.pk, district=chaoyang.pk) == 1
    assert _stored(totals.MANAGER_FIELDS, field=IndustryField.objects.get(code="AI").pk) == 0
    _agrees()

    # managers count by the kind of their employer: a correction of the kind moves them
    org_services.update_organization(personas.university, actor=personas.municipal_admin,
                                     kind="research_institute")
    assert _stored(totals.MANAGERS, kind="research_institute", district=chaoyang.pk) == 1
    assert _stored(totals.MANAGERS, kind=kind) == 0
    _agrees()


def test_a_rolled_back_write_leaves_the_totals_as_they_were(personas):
    chain = make_chain(personas)
    stored = totals.stored_totals()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_receipt(chain.contract, actor=personas.institution_admin,
                                received_on=D(2025, 6, 1), amount_fen=1_000)
        raise RuntimeError("the user's request failed after the write")
    assert totals.stored_totals() == stored


def test_rebuild_equals_what_the_writes_booked_and_the_check_finds_a_tampered_total(personas):
    make_chain(personas)
    booked = totals.stored_totals()
    assert booked
    totals.rebuild()
    assert totals.stored_totals() == booked
    call_command("rebuild_dashboard_totals", "--check")  # exits 0: nothing differs
    row = DashboardTotal.objects.filter(measure=totals.INCOME).first()
    DashboardTotal.objects.filter(pk=row.pk).update(value=row.value + 1)
    with pytest.raises(SystemExit) as failed:
        call_command("rebuild_dashboard_totals", "--check")
    assert failed.value.code == 1
    call_command("rebuild_dashboard_totals")
    assert totals.stored_totals() == booked


def test_whole_years_are_read_from_the_totals_and_part_years_from_the_records():
    from tmhub.core.metrics import Period

    years, parts = totals.whole_years(Period(D(2022, 1, 1), D(2025, 12, 31)))
    assert (years, parts) == ([2022, 2023, 2024, 2025], [])
    years, parts = totals.whole_years(Period(D(2026, 1, 1), D(2026, 12, 6)))
    assert (years, parts) == ([], [Period(D(2026, 1, 1), D(2026, 12, 6))])
    years, parts = totals.whole_years(Period(D(2025, 7, 1), D(2027, 3, 31)))
    assert years == [2026]
    assert parts == [Period(D(2025, 7, 1), D(2025, 12, 31)), Period(D(2027, 1, 1),
                                                                     D(2027, 3, 31))]


def test_the_nightly_check_counts_and_logs_cells_that_differ(personas, caplog):
    from tmhub.insights.tasks import check_dashboard_totals

    make_chain(personas)
    assert check_dashboard_totals() == 0
    DashboardTotal.objects.filter(measure=totals.CONTRACTS).update(value=99)
    with caplog.at_level("ERROR", logger="tmhub.insights.tasks"):
        assert check_dashboard_totals() >= 1
    assert "differ from the records" in caplog.text
