"""The districts' figures (SPEC §9), defined once in the core metrics registry: each takes a
set of district ids and a period and answers {district id: value} in one grouped query. The
district page, its API and later the city dashboard read them here."""

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, FEN, MANAGER, Period, among, metric
from tmhub.districts.choices import LandingKind, PostStatus
from tmhub.districts.models import (
    CommissionerPost,
    EventRegistration,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)

DISTRICT = "district"  # subject ids are core.District ids


def _grouped(queryset, field: str, value) -> dict:
    return {row[field]: row["value"] or 0
            for row in queryset.values(field).order_by().annotate(value=value)}


def _landings(ids, period: Period, kind=None):
    rows = among(Landing.objects.filter(occurred_on__range=(period.start, period.end)),
                 "district_id", ids)
    return rows.filter(kind=kind) if kind else rows


@metric("districts.landings", label=_("Landings"), unit=COUNT, subject=DISTRICT, order=10,
        definition=_("Results recorded as landed in the district in the period: companies "
                     "founded, contracts signed with a transferee in the district and "
                     "investments made."))
def landings(ids, period):
    return _grouped(_landings(ids, period), "district_id", Count("id"))


@metric("districts.companies_founded", label=_("Companies founded"), unit=COUNT,
        subject=DISTRICT, order=11,
        definition=_("Landings of the kind 'company founded' dated in the period."))
def companies_founded(ids, period):
    return _grouped(_landings(ids, period, LandingKind.COMPANY), "district_id", Count("id"))


@metric("districts.contract_value", label=_("Value of contracts landed"), unit=FEN,
        subject=DISTRICT, order=12,
        definition=_("Sum of the amounts of the contracts landed in the district in the "
                     "period."))
def contract_value(ids, period):
    return _grouped(_landings(ids, period, LandingKind.CONTRACT), "district_id",
                    Sum("amount_fen"))


@metric("districts.investment", label=_("Investment landed"), unit=FEN, subject=DISTRICT,
        order=13, definition=_("Sum of the approved financing rounds recorded as landings in "
                               "the period (a round reversed since does not count)."))
def investment(ids, period):
    from tmhub.network.choices import FinancingStatus

    # A round reversed since it landed no longer counts (corrections are reversals).
    rows = _landings(ids, period, LandingKind.INVESTMENT).exclude(
        financing__reversals__status=FinancingStatus.APPROVED)
    return _grouped(rows, "district_id", Sum("amount_fen"))


@metric("districts.events", label=_("Events held"), unit=COUNT, subject=DISTRICT, order=20,
        definition=_("Published matchmaking events, roadshows and training sessions held in "
                     "the period; an event counts as held once its date has passed."))
def events(ids, period):
    today = timezone.localdate()
    rows = among(MatchEvent.objects.filter(is_published=True, held_on__lt=today,
                                           held_on__range=(period.start, period.end)),
                 "district_id", ids)
    return _grouped(rows, "district_id", Count("id"))


@metric("districts.attendance", label=_("Attendances"), unit=COUNT, subject=DISTRICT,
        order=21, definition=_("Registrations marked as attended at the district's events "
                               "held in the period."))
def attendance(ids, period):
    rows = among(EventRegistration.objects.filter(
        attended=True, event__held_on__range=(period.start, period.end)),
        "event__district_id", ids)
    return _grouped(rows, "event__district_id", Count("id"))


@metric("districts.commissioners", label=_("Commissioners in post"), unit=COUNT,
        subject=DISTRICT, order=30,
        definition=_("Filled commissioner posts whose term overlaps the period."))
def commissioners(ids, period):
    rows = among(CommissionerPost.objects.filter(
        status=PostStatus.FILLED, term_start__lte=period.end, term_end__gte=period.start),
        "district_id", ids)
    return _grouped(rows, "district_id", Count("id"))


@metric("districts.liaison_institutions", label=_("Institutions in liaison"), unit=COUNT,
        subject=DISTRICT, order=31,
        definition=_("Institutions with a liaison agreement in force at some time in the "
                     "period (each counted once)."))
def liaison_institutions(ids, period):
    rows = among(LiaisonAgreement.objects.filter(starts_on__lte=period.end,
                                                 ends_on__gte=period.start),
                 "district_id", ids)
    return _grouped(rows, "district_id", Count("institution_id", distinct=True))


@metric("districts.manager_landings", label=_("Landings credited"), unit=COUNT,
        subject=MANAGER, order=140,
        definition=_("Landings in any district in the period that credit the manager."))
def manager_landings(ids, period):
    rows = among(Landing.objects.filter(occurred_on__range=(period.start, period.end)),
                 "managers", ids).filter(managers__isnull=False)
    return _grouped(rows, "managers", Count("id", distinct=True))


DISTRICT_FIGURES = ["districts.landings", "districts.companies_founded",
                    "districts.contract_value", "districts.investment", "districts.events",
                    "districts.attendance", "districts.commissioners",
                    "districts.liaison_institutions"]

__all__ = ["DISTRICT", "DISTRICT_FIGURES", "Q"]
