"""Given registered managers with contracts before and after the cut-off, when the city runs
a rating round, then every computed indicator equals an independent count over the records as
of the cut-off, a re-run gives identical ratings, and reviewers see only their assignments."""

import datetime
from decimal import Decimal

import pytest

from tmhub.evaluation.models import Rating, RatingItem, RatingReview
from tmhub.evaluation.rating_choices import RoundStatus
from tmhub.evaluation.services import ratings
from tmhub.evaluation.tests.rating_helpers import (
    CUTOFF,
    START,
    compute,
    computed_round,
    registered_manager,
    small_system,
)
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.models import Contract

pytestmark = pytest.mark.django_db


def _contract(personas, project, signed_on, amount_fen):
    return transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title="许可合同", kind=ContractKind.LICENCE, amount_fen=amount_fen,
        signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])


def _project(personas, title, lead):
    return transfer.create_project(actor=personas.institution_admin,
                                   institution=personas.university, title=title, lead=lead)


@pytest.fixture
def records(personas):
    manager = registered_manager(personas)
    one = _project(personas, "项目一", manager)
    two = _project(personas, "项目二", manager)
    _contract(personas, one, datetime.date(2026, 3, 1), 300_000)     # 3,000 yuan
    _contract(personas, one, datetime.date(2026, 11, 30), 200_000)   # on the cut-off day
    _contract(personas, two, datetime.date(2026, 12, 1), 9_000_000)  # after the cut-off
    _contract(personas, two, datetime.date(2025, 12, 31), 9_000_000)  # before the period
    return manager


def _items(rating):
    return {i.indicator.code: i for i in RatingItem.objects.filter(rating=rating)
            .select_related("indicator")}


def test_computed_indicators_equal_an_independent_count_as_of_the_cutoff(
        personas, records, django_capture_on_commit_callbacks):
    city = personas.municipal_admin
    round_ = computed_round(city, small_system(city),
                            capture=django_capture_on_commit_callbacks)
    assert round_.status == RoundStatus.COMPUTED
    assert round_.progress_done == round_.progress_total == 1
    rating = Rating.objects.get(round=round_, manager=records)
    items = _items(rating)
    # independent count: contracts of the manager's projects signed within the period
    counted = Contract.objects.filter(project__assignments__user=records,
                                      signed_on__range=(START, CUTOFF)).distinct()
    deals = counted.values("project").distinct().count()
    value_yuan = Decimal(sum(c.amount_fen for c in counted)) / 100
    assert deals == 1 and value_yuan == Decimal(5000)
    assert items["deals"].raw_value == deals
    assert items["value"].raw_value == value_yuan
    assert items["deals"].points == Decimal(60)
    assert items["value"].points == Decimal(50)
    assert items["expert"].source == "not_scored"
    # 60% × (50% × 60 + 50% × 50) + 40% × 0 = 33
    assert rating.total == Decimal("33.00")
    assert rating.level == ""


def test_a_rerun_for_the_same_cutoff_gives_identical_results(
        personas, records, django_capture_on_commit_callbacks):
    city = personas.municipal_admin
    round_ = computed_round(city, small_system(city),
                            capture=django_capture_on_commit_callbacks)

    def results():
        return sorted((r.manager_id, r.total, r.level, tuple(sorted(
            (i.indicator_id, i.raw_value, i.points, i.contribution) for i in r.items.all())))
            for r in Rating.objects.filter(round=round_).prefetch_related("items"))

    first = results()
    # a contract signed after the cut-off changes nothing
    _contract(personas, _project(personas, "项目三", records), datetime.date(2026, 12, 2),
              5_000_000)
    round_ = compute(round_, city, capture=django_capture_on_commit_callbacks)
    assert round_.status == RoundStatus.COMPUTED
    assert results() == first


def test_reviewers_see_only_their_assignments_and_their_scores_count(
        personas, records, django_capture_on_commit_callbacks):
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    city = personas.municipal_admin
    system = small_system(city)
    other = create_user(actor=SYSTEM, username="p_reviewer2", password="x-Pass-2025",
                        email="r2@example.cn")
    grant_membership(actor=SYSTEM, user=other, role=Role.REVIEWER)
    round_ = ratings.create_round(actor=city, name="轮次", period_start=START,
                                  period_end=CUTOFF, manager_system=system)
    expert = system.indicators.get(code="expert")
    assert ratings.assign_reviewer(round_, actor=city, indicator=expert,
                                   reviewer=personas.reviewer) == 1
    ratings.step_round(round_, "open", actor=city)
    mine = RatingReview.objects.restrict(personas.reviewer, "view")
    assert list(mine.values_list("reviewer", flat=True)) == [personas.reviewer.pk]
    assert not RatingReview.objects.restrict(other, "view").exists()
    review = mine.get()
    with pytest.raises(Exception):  # noqa: B017  (404: not theirs)
        ratings.enter_score(review, actor=other, score=90)
    ratings.enter_score(review, actor=personas.reviewer, score=90)
    round_ = compute(round_, city, capture=django_capture_on_commit_callbacks)
    rating = Rating.objects.get(round=round_, manager=records)
    assert _items(rating)["expert"].points == Decimal(90)
    assert rating.total == Decimal("69.00")  # 33 + 40% × 90
    assert rating.level == "junior"
