"""The training figures other apps read: class hours per manager and period.

One definition of the hours that count (ARCHITECTURE §4a): the class hours credited for
attendance (present or late) at sessions of platform cohorts held in the period, plus the hours
an institution administrator recorded for activities outside the platform in the period. Each
figure is computed for any number of managers in a constant number of queries.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, FILING, HOURS, Period, among, metric
from tmhub.training.choices import CREDITED_ATTENDANCE
from tmhub.training.models import Attendance, ExternalHours

WHOLE_HOUR = Decimal("1")


@metric(
    "continuing_education_hours",
    label=_("Continuing-education class hours (exact)"),
    unit=HOURS,
    order=41,
    definition=_(
        "Class hours credited for attendance (present or late) at sessions of platform "
        "cohorts held in the period, plus class hours recorded for training outside "
        "the platform in the period; the figure compared with the annual "
        "continuing-education requirement."
    ),
)
def continuing_education_hours(user_ids: list[int], period: Period) -> dict[int, Decimal]:
    """{user id: exact class hours} in two GROUP BYs, whatever the number of users."""
    totals: dict[int, Decimal] = {}
    cohort_rows = (
        among(Attendance.objects, "enrolment__trainee_id", user_ids).filter(
            session__date__range=(period.start, period.end),
            status__in=CREDITED_ATTENDANCE,
        )
        .values_list("enrolment__trainee_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    external_rows = (
        among(ExternalHours.objects, "trainee_id", user_ids).filter(
            date__range=(period.start, period.end)
        )
        .values_list("trainee_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for rows in (cohort_rows, external_rows):
        for user_id, total in rows:
            totals[user_id] = totals.get(user_id, Decimal(0)) + (total or Decimal(0))
    return totals


@metric(
    "training_hours",
    label=_("Continuing-education class hours"),
    unit=HOURS,
    tags={FILING},
    order=40,
    definition=_(
        "The continuing-education class hours of the period rounded to whole hours "
        "(half up) per manager, as the annual filing records them."
    ),
)
def training_hours(user_ids: list[int], period: Period) -> dict[int, Decimal]:
    """{user id: whole class hours}: the exact figure, each manager's rounded on its own (an
    institution's filing adds its managers' filed hours)."""
    return {
        user_id: hours.quantize(WHOLE_HOUR, rounding=ROUND_HALF_UP)
        for user_id, hours in continuing_education_hours(user_ids, period).items()
    }


@metric(
    "certificates_held",
    label=_("Training certificates issued"),
    unit=COUNT,
    order=42,
    definition=_(
        "Training certificates issued to the manager in the period and not revoked by its "
        "last day: a manager with one or more counts as trained in the period, as the "
        "training dashboard counts people against the plan's target."
    ),
)
def certificates_held(user_ids: list[int], period: Period) -> dict[int, int]:
    """{user id: certificates} in one GROUP BY over the certificates (not the attendance rows):
    a revocation after the period's end does not change the figure of the period."""
    from tmhub.training.models import Certificate

    rows = (
        among(Certificate.objects, "trainee_id", user_ids)
        .filter(issued_at__date__range=(period.start, period.end))
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=period.end))
        .values_list("trainee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)
