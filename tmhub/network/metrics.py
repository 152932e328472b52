"""The network's figures in the metrics registry (tmhub.core.metrics).

Ratings count once released (both sides rated, or the rating window closed), in the period
the rating was given. `provider_rating` is per provider organisation (subject
"organization"); `client_rating` per manager of the collaboration (the social evaluation
reads it). Financing figures are per district (subject "district") and per industry
field (subject "field"); the year is the period asked."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import FEN, SCORE, among, metric

ORGANIZATION = "organization"


def _released(side, period):
    from tmhub.network.models import Rating
    from tmhub.network.policies import released_q

    return Rating.objects.filter(released_q(), rater_side=side,
                                 created_at__date__range=(period.start, period.end))


def _score(value):
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP) if value is not None else 0


@metric("provider_rating", label=_("Rating by clients (1–5)"), unit=SCORE,
        subject=ORGANIZATION, order=600,
        definition=_("Average overall score (1–5) the project side gave the provider on "
                     "completed collaborations, ratings given in the period and released."))
def provider_rating(ids, period):
    rows = (among(_released("client", period), "collaboration__provider_id", ids)
            .values("collaboration__provider_id").annotate(avg=Avg("overall")))
    return {r["collaboration__provider_id"]: _score(r["avg"]) for r in rows}


@metric("client_rating", label=_("Rating by service providers (1–5)"), unit=SCORE,
        order=601,
        definition=_("Average overall score (1–5) providers gave the collaborations the "
                     "manager worked on, ratings given in the period and released."))
def client_rating(ids, period):
    rows = (among(_released("provider", period), "collaboration__managers__id", ids)
            .values("collaboration__managers__id").annotate(avg=Avg("overall")))
    return {r["collaboration__managers__id"]: _score(r["avg"]) for r in rows}


def _financed(period):
    from tmhub.network.models import Financing

    return Financing.objects.effective().filter(
        financed_on__range=(period.start, period.end))


@metric("financing_amount_district", label=_("Financing raised (by district)"), unit=FEN,
        subject="district", order=610,
        definition=_("Sum of the approved financing rounds of projects and companies of the "
                     "district, dated in the period (reversed rounds excluded), in fen."))
def financing_by_district(ids, period):
    rows = (among(_financed(period), "district_id", ids).values("district_id")
            .annotate(total=Sum("amount_fen")))
    return {r["district_id"]: r["total"] or 0 for r in rows}


@metric("financing_amount_field", label=_("Financing raised (by field)"), unit=FEN,
        subject="field", order=611,
        definition=_("Sum of the approved financing rounds in the industry field, dated in "
                     "the period (reversed rounds excluded), in fen."))
def financing_by_field(ids, period):
    rows = (among(_financed(period), "field_id", ids).values("field_id")
            .annotate(total=Sum("amount_fen")))
    return {r["field_id"]: r["total"] or 0 for r in rows}


@metric("financing_amount_beijing_fund", label=_("Financing with the Beijing fund (by "
                                                 "district)"), unit=FEN, subject="district",
        order=612,
        definition=_("Sum of the approved rounds in which the Beijing science and technology "
                     "innovation fund took part, by district, dated in the period (reversed "
                     "rounds excluded), in fen."))
def financing_beijing_fund(ids, period):
    rows = (among(_financed(period).filter(beijing_fund=True), "district_id", ids)
            .values("district_id").annotate(total=Sum("amount_fen")))
    return {r["district_id"]: r["total"] or 0 for r in rows}
