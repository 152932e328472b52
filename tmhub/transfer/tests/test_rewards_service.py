"""Reward splits through the services: rule by date, legal minimums, freezing, statements."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmhub.transfer import services
from tmhub.transfer.models import RewardRule, RewardSplit
from tmhub.transfer.rewards_engine import Person, Shares
from tmhub.transfer.statement import statement_pdf, statement_xlsx
from tmhub.transfer.tests.chain import make_chain

BEIJING_START = datetime.date(2020, 1, 1)
PEOPLE = [Person("王教授", Decimal(60)), Person("李博士", Decimal(40))]


@pytest.fixture
def chain(personas):
    return make_chain(personas)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=datetime.date(2016, 1, 1), max_value=datetime.date(2035, 12, 31)),
    mode=st.sampled_from(["assignment", "licence", "equity"]),
)
def test_given_an_income_date_then_the_rule_in_force_on_that_date_applies(day, mode):
    rule = services.select_rule(None, mode, day)
    if day >= BEIJING_START:
        assert rule.level == 2 and rule.min_team_share == 70
    else:
        assert rule.level == 1 and rule.min_team_share == 50


@pytest.mark.django_db
def test_self_implementation_falls_back_to_the_national_operating_profit_rule():
    rule = services.select_rule(None, "self", datetime.date(2025, 1, 1))
    assert rule.basis == "operating_profit" and rule.min_team_share == 5
    assert rule.min_years == 3 and rule.max_years == 5
    assert "第四十五条" in rule.legal_basis


@pytest.mark.django_db
def test_an_institution_rule_wins_over_the_city_rule(personas):
    RewardRule.objects.create(
        name="测试大学许可奖励",
        level=3,
        institution=personas.university,
        transfer_mode="licence",
        basis="net_income",
        min_team_share=80,
        default_team_share=80,
        default_office_share=5,
        default_institution_share=15,
        legal_basis="校规",
        effective_from=datetime.date(2024, 1, 1),
    )
    assert (
        services.select_rule(personas.university.pk, "licence", datetime.date(2024, 6, 1)).level
        == 3
    )
    assert (
        services.select_rule(personas.university.pk, "licence", datetime.date(2023, 6, 1)).level
        == 2
    )
    assert (
        services.select_rule(
            personas.other_university.pk, "licence", datetime.date(2024, 6, 1)
        ).level
        == 2
    )


@pytest.mark.django_db
def test_when_the_team_share_is_below_beijings_70_then_the_split_is_refused(personas, chain):
    with pytest.raises(ValidationError) as caught:
        services.create_split(
            actor=personas.institution_admin,
            institution=personas.university,
            contract=chain.contract,
            income_date=datetime.date(2025, 4, 1),
            amount_fen=1000,
            people=PEOPLE,
            shares=Shares(Decimal(60), Decimal(10), Decimal(30)),
        )
    assert "70" in " ".join(caught.value.message_dict["team_share"])


@pytest.mark.django_db
def test_a_split_cannot_exceed_the_contracts_net_income(personas, chain):
    # received 600,000.00, costs 10,000.00 → net 590,000.00; 300,000.01 already split.
    with pytest.raises(ValidationError) as caught:
        services.create_split(
            actor=personas.institution_admin,
            institution=personas.university,
            contract=chain.contract,
            income_date=datetime.date(2025, 4, 1),
            amount_fen=50_000_000,
            people=PEOPLE,
        )
    assert caught.value.error_dict["amount_fen"][0].code == "exceeds_net_income"


@pytest.mark.django_db
def test_given_an_approved_split_when_the_rule_changes_then_the_split_does_not(personas, chain):
    split = chain.split_approved
    before = (split.team_fen, split.office_fen, split.institution_fen, split.rule_snapshot)
    rule = RewardRule.objects.get(pk=split.rule_id)
    rule.min_team_share = rule.default_team_share = Decimal(80)
    rule.default_institution_share = Decimal(10)
    rule.save()
    split.refresh_from_db()
    assert (split.team_fen, split.office_fen, split.institution_fen, split.rule_snapshot) == before
    assert split.rule_snapshot["min_team_share"] == "70.00"
    with pytest.raises(ValidationError) as caught:
        services.update_split(split, actor=personas.institution_admin, amount_fen=1)
    assert caught.value.code == "frozen"


@pytest.mark.django_db
def test_approved_split_sums_exactly_and_only_the_institution_approves(personas, chain):
    split = chain.split_approved
    allocations = list(split.allocations.all())
    assert split.team_fen + split.office_fen + split.institution_fen == split.amount_fen
    assert sum(a.amount_fen for a in allocations) == split.team_fen
    assert split.team_fen == 21_000_000 and split.number.startswith("JL-2025-")
    with pytest.raises(ValidationError):
        services.approve_split(chain.split_draft, actor=personas.manager)
    assert RewardSplit.objects.get(pk=chain.split_draft.pk).status == "draft"


@pytest.mark.django_db
def test_statement_pdf_and_xlsx_carry_the_figures(chain):
    split = chain.split_approved
    pdf = statement_pdf(split)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    workbook = openpyxl.load_workbook(io.BytesIO(statement_xlsx(split)))
    values = [c.value for row in workbook.active.iter_rows() for c in row]
    assert "王教授" in values and 21_000_000 in values and split.number in values


def _institution_rule(personas, **values):
    return RewardRule.objects.create(
        name="测试大学许可奖励",
        level=3,
        institution=personas.university,
        transfer_mode="licence",
        basis="net_income",
        min_team_share=80,
        default_team_share=80,
        default_office_share=5,
        default_institution_share=15,
        legal_basis="校规",
        effective_from=datetime.date(2024, 1, 1),
        **values,
    )


@pytest.mark.django_db
def test_an_ended_rule_applies_up_to_its_last_day_and_a_withdrawn_one_never(personas):
    ended = _institution_rule(personas, effective_to=datetime.date(2024, 12, 31))
    on = services.select_rule
    assert on(personas.university.pk, "licence", datetime.date(2024, 12, 31)) == ended
    assert on(personas.university.pk, "licence", datetime.date(2025, 1, 1)).level == 2
    ended.is_active = False  # entered in error
    ended.save()
    assert on(personas.university.pk, "licence", datetime.date(2024, 6, 1)).level == 2


@pytest.mark.django_db
def test_a_rule_period_must_end_after_it_starts_and_shares_have_no_code_default(personas):
    from django.core.exceptions import ValidationError as Invalid

    rule = RewardRule(
        name="错误的规则",
        level=2,
        transfer_mode="licence",
        basis="net_income",
        legal_basis="x",
        effective_from=datetime.date(2025, 1, 1),
        effective_to=datetime.date(2024, 1, 1),
    )
    with pytest.raises(Invalid) as caught:
        rule.full_clean()
    errors = caught.value.message_dict
    assert "effective_to" in errors and "min_team_share" in errors  # required, no default
