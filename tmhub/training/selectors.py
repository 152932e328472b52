"""Read-only questions other apps and the training pages ask of the training system.

The class-hour figures per manager and period are defined once in `tmhub.training.metrics`
(`continuing_education_hours`, and `training_hours` as the annual filing records it); this
module answers the per-person questions of the training pages.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from tmhub.core import metrics
from tmhub.training.choices import CREDITED_ATTENDANCE

ZERO = Decimal("0")


def training_hours_exact(user, year: int) -> Decimal:
    """The manager's continuing-education class hours in `year` (the registry's figure)."""
    return metrics.get("continuing_education_hours").values(
        [user.pk], metrics.Period.year(year))[user.pk]


def hours_by_year(user) -> dict[int, Decimal]:
    """{year: class hours} for every year with hours, most recent first."""
    from django.db.models.functions import ExtractYear

    from tmhub.training.models import Attendance, ExternalHours

    totals: dict[int, Decimal] = {}
    for row in (Attendance.objects.filter(enrolment__trainee=user,
                                          status__in=CREDITED_ATTENDANCE)
                .annotate(y=ExtractYear("session__date")).values("y")
                .annotate(total=Sum("hours"))):
        totals[row["y"]] = totals.get(row["y"], ZERO) + row["total"]
    for row in (ExternalHours.objects.filter(trainee=user).annotate(y=ExtractYear("date"))
                .values("y").annotate(total=Sum("hours"))):
        totals[row["y"]] = totals.get(row["y"], ZERO) + row["total"]
    return dict(sorted(totals.items(), reverse=True))


def annual_requirement(year: int) -> Decimal | None:
    """Continuing-education hours required in `year` (the rule in force on 31 December)."""
    import datetime

    from tmhub.training.models import ContinuingEducationRule

    rule = ContinuingEducationRule.objects.in_force(datetime.date(year, 12, 31)).first()
    return rule.annual_hours if rule else None
