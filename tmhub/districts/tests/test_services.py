"""The districts' services: landings refuse a bad credit code and a contract that landed in
another district; a vacancy is published, a manager applies and is appointed; registration
respects capacity; the district figures equal an independent count of the records."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from tmhub.core import metrics
from tmhub.core.metrics import Period
from tmhub.core.models import Notification
from tmhub.districts import services
from tmhub.districts.choices import ApplicationStatus, LandingKind, ParticipantKind, PostStatus
from tmhub.districts.models import Landing
from tmhub.districts.tests.world import make_world, valid_credit_code
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ContractKind, PartyRole

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _contract(personas, buyer, title="专利许可合同", amount=50_000_000):
    return transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, title=title,
        kind=ContractKind.LICENCE, amount_fen=amount, signed_on=datetime.date(2026, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (buyer, PartyRole.BUYER)])


def test_company_landing_with_bad_credit_code_is_refused(personas):
    """Given a credit code whose check digit is wrong, when the officer records the company,
    then the credit code field is refused and nothing is saved."""
    good = valid_credit_code()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        services.record_landing(actor=personas.district_officer, district=personas.haidian,
                                kind=LandingKind.COMPANY, title="新公司", occurred_on=_today(),
                                company_name="北京某科技有限公司", credit_code=bad)
    assert "credit_code" in exc.value.error_dict
    assert not Landing.objects.exists()
    landing = services.record_landing(
        actor=personas.district_officer, district=personas.haidian, kind=LandingKind.COMPANY,
        title="新公司", occurred_on=_today(), company_name="北京某科技有限公司",
        credit_code=good.lower())
    assert landing.credit_code == good


def test_contract_from_another_district_is_refused(personas):
    """Given a contract whose transferee is in Chaoyang, when the Haidian officer records it
    as a Haidian landing, then it is refused; a contract with a Haidian transferee lands."""
    chaoyang_deal = _contract(personas, personas.company)
    with pytest.raises(ValidationError) as exc:
        services.record_landing(actor=personas.district_officer, district=personas.haidian,
                                kind=LandingKind.CONTRACT, title="许可", occurred_on=_today(),
                                contract=chaoyang_deal)
    assert exc.value.error_dict["contract"][0].code == "contract_other_district"
    haidian_deal = _contract(personas, personas.provider_org, amount=12_345_600)
    landing = services.record_landing(
        actor=personas.district_officer, district=personas.haidian, kind=LandingKind.CONTRACT,
        title="许可落地", occurred_on=_today(), contract=haidian_deal,
        managers=[personas.manager])
    assert landing.amount_fen == 12_345_600


def test_landing_credits_only_managers(personas):
    """Given an enterprise user, when credited on a landing, then it is refused."""
    with pytest.raises(ValidationError) as exc:
        services.record_landing(actor=personas.district_officer, district=personas.haidian,
                                kind=LandingKind.COMPANY, title="设立", occurred_on=_today(),
                                company_name="北京测试智能科技有限公司",
                                credit_code=valid_credit_code(), managers=[personas.enterprise])
    assert "managers" in exc.value.error_dict


def test_vacancy_application_and_appointment(personas):
    """Given a published vacancy with the manager's application, when the officer appoints
    them, then the post is filled with them for the term, the application reads appointed,
    they are told, and a second appointment is impossible."""
    w = make_world(personas)
    assert w.open_post.status == PostStatus.OPEN
    with pytest.raises(Http404):  # one application per manager
        services.apply_for_post(w.open_post, actor=personas.manager, statement="再来一次")
    with pytest.raises(ValidationError):  # not a manager
        services.apply_for_post(w.open_post, actor=personas.enterprise, statement="我也想")
    with pytest.raises(Http404):  # a draft takes no applications
        services.apply_for_post(w.draft_post, actor=personas.manager, statement="草稿")
    start = _today()
    post = services.appoint(w.application, actor=personas.district_officer, term_start=start,
                            term_end=start + datetime.timedelta(days=730))
    assert post.status == PostStatus.FILLED and post.holder == personas.manager
    w.application.refresh_from_db()
    assert w.application.status == ApplicationStatus.APPOINTED
    assert Notification.objects.filter(recipient=personas.manager).exists()
    with pytest.raises(Http404):
        services.appoint(w.application, actor=personas.district_officer, term_start=start,
                         term_end=start + datetime.timedelta(days=1))


def test_registration_respects_capacity_and_attendance_after_event(personas):
    """Given an event of two places, when three register, then the third is refused; and
    attendance cannot be recorded before the event takes place."""
    event = services.create_event(actor=personas.district_officer, district=personas.haidian,
                                  title="小型对接会", organiser="海淀区科委", online=True,
                                  held_on=_today() + datetime.timedelta(days=2), capacity=2)
    services.register_for_event(event, actor=personas.enterprise,
                                participant_kind=ParticipantKind.ENTERPRISE,
                                organization=personas.company)
    services.register_for_event(event, actor=personas.manager,
                                participant_kind=ParticipantKind.MANAGER)
    with pytest.raises(ValidationError) as exc:
        services.register_for_event(event, actor=personas.institution_admin,
                                    participant_kind=ParticipantKind.INSTITUTION,
                                    organization=personas.university)
    assert exc.value.error_dict["participant_kind"][0].code == "event_full"
    with pytest.raises(ValidationError):
        services.record_attendance(event, actor=personas.district_officer, attended_ids=[])


def test_district_figures_equal_an_independent_count(personas):
    """Given the world's landings, events and posts, when the registry computes the district
    figures for this year, then each equals a count made directly from the records."""
    w = make_world(personas)
    services.record_attendance(w.past_event, actor=personas.district_officer, attended_ids=[])
    start = _today()
    services.appoint(w.application, actor=personas.district_officer, term_start=start,
                     term_end=start + datetime.timedelta(days=365))
    year = Period.year(_today().year)
    ids = [personas.haidian.pk, personas.chaoyang.pk]
    got = metrics.compute(["districts.landings", "districts.investment",
                           "districts.commissioners", "districts.liaison_institutions",
                           "districts.events"], ids, year)
    in_year = [x for x in Landing.objects.all() if x.occurred_on.year == year.start.year]
    assert got["districts.landings"][personas.haidian.pk] == sum(
        1 for x in in_year if x.district_id == personas.haidian.pk)
    assert got["districts.investment"][personas.chaoyang.pk] == sum(
        x.amount_fen for x in in_year if x.district_id == personas.chaoyang.pk
        and x.kind == LandingKind.INVESTMENT)
    assert got["districts.commissioners"] == {personas.haidian.pk: 1, personas.chaoyang.pk: 0}
    assert got["districts.liaison_institutions"][personas.haidian.pk] == 1
    today = timezone.localdate()
    # An event counts as held once its date has passed (the coming one does not, yet).
    held = [e for e in (w.coming_event, w.past_event)
            if e.held_on.year == year.start.year and e.held_on < today]
    assert got["districts.events"][personas.haidian.pk] == len(held)
    assert metrics.get("districts.manager_landings").values(
        [personas.manager.pk], year)[personas.manager.pk] == 1


def test_renewal_follows_the_agreement(personas):
    """Given an agreement, when the officer renews it, then the renewal starts the day after
    it ends and points at it; a second renewal of the same agreement is refused."""
    w = make_world(personas)
    renewal = services.renew_agreement(w.agreement, actor=personas.district_officer,
                                       ends_on=w.agreement.ends_on + datetime.timedelta(days=900))
    assert renewal.starts_on == w.agreement.ends_on + datetime.timedelta(days=1)
    assert renewal.renews == w.agreement
    with pytest.raises(Http404):
        services.renew_agreement(w.agreement, actor=personas.district_officer,
                                 ends_on=renewal.ends_on + datetime.timedelta(days=10))


def test_an_investment_is_an_approved_financing_round_of_the_district(personas):
    """Given the network's financing rounds (issue 15 item 8: investment made, linked
    financing), then an investment without a round, with a round still awaiting its second
    person, or with a round of another district is refused; an approved round of the district
    lands once, with the round's investor, amount and date; once the round is reversed (and
    the reversal approved), the district's investment figure no longer counts it."""
    from tmhub.districts.tests.world import approved_round
    from tmhub.network import financing as rounds
    from tmhub.network.choices import FinancingStatus

    officer, haidian = personas.district_officer, personas.haidian
    day = _today() - datetime.timedelta(days=3)

    def land(financing, **values):
        return services.record_landing(actor=officer, district=haidian,
                                       kind=LandingKind.INVESTMENT, title="天使轮投资",
                                       occurred_on=_today(), financing=financing, **values)

    def refused(financing, code):
        with pytest.raises(ValidationError) as exc:
            land(financing)
        assert exc.value.error_dict["financing"][0].code == code

    refused(None, "financing_missing")
    refused(approved_round(personas, approve=False), "financing_not_effective")
    refused(approved_round(personas, district=personas.chaoyang), "financing_other_district")
    good = approved_round(personas, amount_fen=123_456_00, investor_name="某天使基金",
                          financed_on=day)
    landing = land(good, investor="别的名字", amount_fen=1)
    assert (landing.amount_fen, landing.investor, landing.occurred_on) == (
        123_456_00, "某天使基金", day)
    assert landing.project == good.project
    refused(good, "financing_landed")
    year = Period.year(day.year)
    assert metrics.get("districts.investment").values([haidian.pk], year)[haidian.pk] == (
        123_456_00)
    reversal = rounds.reverse_financing(good, actor=personas.manager, reason="金额录入错误")
    rounds.step(reversal, FinancingStatus.APPROVED, actor=personas.institution_admin)
    assert metrics.get("districts.investment").values([haidian.pk], year)[haidian.pk] == 0


def test_a_contract_lands_in_a_district_once(personas):
    deal = _contract(personas, personas.provider_org)
    values = dict(actor=personas.district_officer, district=personas.haidian,
                  kind=LandingKind.CONTRACT, title="许可落地", occurred_on=_today(), contract=deal)
    services.record_landing(**values)
    with pytest.raises(ValidationError) as exc:
        services.record_landing(**values)
    assert exc.value.error_dict["contract"][0].code == "contract_landed"
