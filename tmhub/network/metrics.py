"""The network's figures in the metrics registry (tmhub.core.metrics).

Ratings count once released (both sides rated, or the rating window closed), in the period
the rating was given. `provider_rating` is per provider organisation (subject
"organization"); `client_rating` per manager of the collaboration (the social evaluation
reads it). Financing figures are per district (subject "district")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import SCORE, among, metric

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
