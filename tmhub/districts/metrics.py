"""The districts' figures (SPEC §9), defined once in the core metrics registry: each takes a
set of district ids and a period and answers {district id: value} in one grouped query. The
district page, its API and later the city dashboard read them here."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum
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
from tmhub.transfer.choices import Stage

DISTRICT = "district"  # subject ids are core.District ids
# The work plan's period (2022–2025), which the district pages show beside this year.
PLAN_PERIOD = Period(datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))


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


# ------------------------------------------------------------------ the chain in the district
# Issue 15 item 8: demand publication → technology matching → negotiation → landing, followed
# as a cohort: the district's demands published in the period, and how far each has gone since
# (to today). Each step's demands are among the step before's, so the rates read as conversions.
NEGOTIATION_OR_LATER = (Stage.NEGOTIATION, Stage.TRANSACTION, Stage.LANDING)


def _annotated_demands(ids, period: Period):
    """The districts' demands published in `period`, each marked with how far it has gone:
    an introduction asked for, carried by a project, by a project at negotiation or later,
    landed (a landing in the demand's own district of a project carrying it)."""
    from tmhub.matching.models import IntroductionRequest
    from tmhub.transfer.models import Demand, Project

    carriers = Project.demands.through.objects.filter(demand_id=OuterRef("pk"))
    return among(Demand.objects.filter(
        published_at__isnull=False,
        published_at__date__range=(period.start, period.end)), "district_id", ids).annotate(
        asked=Exists(IntroductionRequest.objects.filter(demand_id=OuterRef("pk"))),
        carried=Exists(carriers),
        negotiating=Exists(carriers.filter(project__stage__in=NEGOTIATION_OR_LATER)),
        landed=Exists(Landing.objects.filter(project__demands=OuterRef("pk"),
                                             district_id=OuterRef("district_id"))))


# What each step asks of an annotated demand; each implies the step before's.
STEP_CONDITIONS = {
    "published": Q(),
    "matched": Q(asked=True) | Q(carried=True),
    "negotiation": Q(negotiating=True) | Q(landed=True),
    "landed": Q(landed=True),
}


def chain_demands(step: str, ids, period: Period):
    """The demands of the districts `ids` published in `period` that have reached `step`
    (published, matched, negotiation or landed)."""
    if step not in STEP_CONDITIONS:
        raise LookupError(f"no chain step '{step}'")
    return _annotated_demands(ids, period).filter(STEP_CONDITIONS[step])


def chain_counts(ids, period: Period) -> dict[str, dict[int, int]]:
    """{step: {district id: demands}} of every step, in one grouped query."""
    rows = _annotated_demands(ids, period).values("district_id").order_by().annotate(**{
        step: Count("pk", filter=condition) if condition else Count("pk")
        for step, condition in STEP_CONDITIONS.items()})
    return {step: {row["district_id"]: row[step] for row in rows if row[step]}
            for step in STEP_CONDITIONS}


def _chain_count(step, ids, period) -> dict:
    return chain_counts(ids, period)[step]


@metric("districts.chain_published", label=_("Demands published"), unit=COUNT,
        subject=DISTRICT, order=40,
        definition=_("Technology demands of enterprises in the district published in the "
                     "period."))
def chain_published(ids, period):
    return _chain_count("published", ids, period)


@metric("districts.chain_matched", label=_("Matched with a technology"), unit=COUNT,
        subject=DISTRICT, order=41,
        definition=_("Of the demands published in the period, those since matched with a "
                     "technology: an introduction was asked for from either side of a match, "
                     "or a transfer project carries the demand."))
def chain_matched(ids, period):
    return _chain_count("matched", ids, period)


@metric("districts.chain_negotiation", label=_("Reached negotiation"), unit=COUNT,
        subject=DISTRICT, order=42,
        definition=_("Of the demands published in the period, those carried by a transfer "
                     "project that has reached matching and negotiation or a later stage, or "
                     "that has landed."))
def chain_negotiation(ids, period):
    return _chain_count("negotiation", ids, period)


@metric("districts.chain_landed", label=_("Landed in the district"), unit=COUNT,
        subject=DISTRICT, order=43,
        definition=_("Of the demands published in the period, those carried by a transfer "
                     "project with a landing recorded in the demand's district."))
def chain_landed(ids, period):
    return _chain_count("landed", ids, period)


# (short name, metric key), in the chain's order
CHAIN_STEPS = [("published", "districts.chain_published"),
               ("matched", "districts.chain_matched"),
               ("negotiation", "districts.chain_negotiation"),
               ("landed", "districts.chain_landed")]

DISTRICT_FIGURES = ["districts.landings", "districts.companies_founded",
                    "districts.contract_value", "districts.investment", "districts.events",
                    "districts.attendance", "districts.commissioners",
                    "districts.liaison_institutions"]

__all__ = ["CHAIN_STEPS", "DISTRICT", "DISTRICT_FIGURES", "PLAN_PERIOD", "Q"]
