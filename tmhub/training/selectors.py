"""Read-only questions other apps ask of the training system.

`training_hours(user, year)` feeds the talent pool's annual filing (registered in
TrainingConfig.ready) and the social-evaluation metrics: credited class hours in platform
cohorts whose session fell in `year`, plus hours recorded from outside activities.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from tmhub.training.choices import CREDITED_ATTENDANCE, CertificateStatus

ZERO = Decimal("0")


def training_hours_exact(user, year: int) -> Decimal:
    from tmhub.training.models import Attendance, ExternalHours

    cohort_hours = Attendance.objects.filter(
        enrolment__trainee=user, session__date__year=year, status__in=CREDITED_ATTENDANCE
    ).aggregate(total=Sum("hours"))["total"] or ZERO
    external = ExternalHours.objects.filter(trainee=user, date__year=year).aggregate(
        total=Sum("hours"))["total"] or ZERO
    return cohort_hours + external


def training_hours(user, year: int) -> int:
    """Whole class hours (half up) for the annual filing form."""
    return int(training_hours_exact(user, year).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


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


def valid_certificates(user):
    from tmhub.training.models import Certificate

    return Certificate.objects.filter(trainee=user, status=CertificateStatus.VALID)


def highest_level(user) -> str:
    """The highest level the user holds a valid certificate of ('' when none)."""
    from tmhub.training.choices import LEVEL_ORDER

    levels = set(valid_certificates(user).values_list("level", flat=True))
    return max(levels, key=lambda lv: LEVEL_ORDER.get(lv, 0)) if levels else ""
