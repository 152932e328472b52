"""Continuing-education hours earned outside the platform's cohorts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_dates, validate_happened_date
from tmhub.training.models import ExternalHours
from tmhub.training.services.enrolment import employer_of


@transaction.atomic
def record_external_hours(*, actor, trainee, date, title, hours, organiser="") -> ExternalHours:
    """The manager's institution administrator records hours earned elsewhere."""
    row = ExternalHours(trainee=trainee, organization=employer_of(trainee), date=date,
                        title=title, hours=hours, organiser=organiser,
                        recorded_by=actor_user(actor))
    if not policies.allows(actor, "create", row):
        raise ValidationError(_("Only the manager's institution administrator may record "
                                "these hours."), code="forbidden")
    validate_dates({"date": date}, date=validate_happened_date)
    row.full_clean()
    row.save()
    record_change(actor=actor, obj=row, action=ObjectChange.Action.CREATE, before=None)
    return row
