"""The network's figures in the metrics registry (tmhub.core.metrics).

Ratings count once released (both sides rated, or the rating window closed), in the period
the rating was given. `provider_rating` is per provider organisation (subject
"organization"); `client_rating` per manager of the collaboration (the social evaluation
reads it). Financing figures are per district (subject "district") and per industry
field (subject "field"), and per manager (`financing_raised_fen`, the rounds of the projects
they work or worked on); the year is the period asked.

As of a cut-off (`Period.as_of`, a rating round's): a rating counts if it was released by
then, a financing round if it was approved by then and no reversal of it was approved by then.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import FEN, SCORE, Period, among, metric

ORGANIZATION = "organization"


def released_by(period: Period) -> Q:
    """Ratings released by `period.as_of` (both sides rated by then, or the window closed
    before that day); without a cut-off, `network.policies.released_q` (released now)."""
    from tmhub.network.policies import released_q

    if period.as_of is None:
        return released_q()
    return (period.known_by("collaboration__ratings_released_at")
            | Q(collaboration__rating_closes_on__lt=period.as_of))


def _released(side, period):
    from tmhub.network.models import Rating

    return Rating.objects.filter(released_by(period), rater_side=side,
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


def financed(period: Period):
    """The financing rounds that count in `period`: dated in it, approved and not reversed
    (`Financing.objects.effective()`) — as of `period.as_of` when given: approved by then,
    with no reversal approved by then."""
    from tmhub.network.choices import FinancingStatus
    from tmhub.network.models import Financing

    dated = Financing.objects.filter(financed_on__range=(period.start, period.end))
    if period.as_of is None:
        return dated.effective()
    approved = Q(status=FinancingStatus.APPROVED) & period.known_by("decided_at")
    reversed_by_then = Financing.objects.filter(
        approved, reversal_of=OuterRef("pk"))
    return dated.filter(approved, reversal_of__isnull=True).exclude(Exists(reversed_by_then))


_financed = financed


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


@metric("financing_raised_fen", label=_("Financing raised by the manager's projects (fen)"),
        unit=FEN, order=613,
        definition=_("Sum of the approved financing rounds of the transfer projects the "
                     "manager works or worked on, dated in the period (reversed rounds "
                     "excluded; each project's rounds counted once per manager), in fen."))
def financing_raised(ids, period):
    from tmhub.transfer.models import ProjectAssignment

    per_project = dict(financed(period).filter(project__isnull=False).values_list("project_id")
                       .order_by().annotate(total=Sum("amount_fen")))
    if not per_project:
        return {}
    projects: dict[int, set[int]] = defaultdict(set)
    for user_id, project_id in (among(ProjectAssignment.objects.filter(
            project_id__in=list(per_project)), "user_id", ids)
            .values_list("user_id", "project_id").distinct()):
        projects[user_id].add(project_id)
    return {user_id: sum(per_project[p] for p in mine) for user_id, mine in projects.items()}
