"""年度备案: annual filing of registered managers and institutions, pre-filled from records.

`open_filings(year)` creates one filing per registered manager and registered institution with
the figures the platform already knows (see filing_sources.py); the filer confirms or corrects
them with `submit_filing`. `enforce_filing_deadlines` (a Celery beat task) flags overdue filings
and, after the grace period of the FilingPolicy in force, suspends the manager's registration.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.validators import validate_past_year
from tmhub.orgs.choices import RegistrationStatus as OrgStatus
from tmhub.orgs.models import InstitutionRegistration
from tmhub.talent.choices import FilingStatus, FilingSubject, RegistrationEvent
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.filing_sources import compute_prefill, filing_sources, to_json_number
from tmhub.talent.models import AnnualFiling, FilingPolicy, ManagerRegistration


def due_date_for(year: int) -> datetime.date:
    """The filing for `year` is due in the following year, on the policy's date."""
    policy = FilingPolicy.current(datetime.date(year + 1, 1, 1))
    return datetime.date(year + 1, policy.due_month, policy.due_day)


def _institution_users(organization):
    from tmhub.accounts.models import User

    return list(User.objects.filter(
        manager_profile__employer=organization, manager_profile__is_listed=True,
    ))


def prefill_for(filing: AnnualFiling) -> dict:
    if filing.registration_id:
        return compute_prefill([filing.registration.profile.user], filing.year)
    organization = filing.institution_registration.organization
    users = _institution_users(organization)
    figures = compute_prefill(users, filing.year)
    figures["registered_managers"] = len(users)
    return figures


@transaction.atomic
def open_filings(year: int, *, actor) -> int:
    """Create the missing filings of `year` for every registered manager and institution."""
    validate_past_year(year)
    due = due_date_for(year)
    created = 0
    have_managers = set(AnnualFiling.objects.filter(year=year, registration__isnull=False)
                        .values_list("registration_id", flat=True))
    for registration in ManagerRegistration.objects.filter(
        status__in=(S.REGISTERED, S.SUSPENDED)
    ).select_related("profile__user").exclude(pk__in=have_managers):
        filing = AnnualFiling(subject=FilingSubject.MANAGER, year=year,
                              registration=registration, due_date=due)
        filing.prefilled = prefill_for(filing)
        filing.save()
        record_change(actor=actor, obj=filing, action=ObjectChange.Action.CREATE, before=None)
        created += 1
    have_orgs = set(AnnualFiling.objects.filter(year=year, institution_registration__isnull=False)
                    .values_list("institution_registration_id", flat=True))
    for registration in InstitutionRegistration.objects.filter(
        status=OrgStatus.APPROVED
    ).select_related("organization").exclude(pk__in=have_orgs):
        filing = AnnualFiling(subject=FilingSubject.INSTITUTION, year=year,
                              institution_registration=registration, due_date=due)
        filing.prefilled = prefill_for(filing)
        filing.save()
        record_change(actor=actor, obj=filing, action=ObjectChange.Action.CREATE, before=None)
        created += 1
    return created


def figure_keys(filing: AnnualFiling) -> list[str]:
    """The figures the form asks for: every registered source, plus what was pre-filled."""
    keys = [s.key for s in filing_sources()]
    for key in filing.prefilled:
        if key not in keys:
            keys.append(key)
    return keys


@transaction.atomic
def refresh_prefill(filing: AnnualFiling, *, actor) -> AnnualFiling:
    """Recompute the pre-filled figures of an open filing (records may have changed)."""
    filing = AnnualFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.status != FilingStatus.OPEN:
        raise ValidationError(_("This filing has already been submitted."), code="filed")
    before = snapshot(filing)
    filing.prefilled = prefill_for(filing)
    filing.save()
    record_change(actor=actor, obj=filing, action=ObjectChange.Action.UPDATE, before=before)
    return filing


@transaction.atomic
def submit_filing(filing: AnnualFiling, *, actor, figures: dict, summary: str = "",
                  corrections_note: str = "") -> AnnualFiling:
    """Confirm (or correct) the pre-filled figures; a correction needs an explanation."""
    filing = AnnualFiling.objects.select_for_update().get(pk=filing.pk)
    if filing.status != FilingStatus.OPEN:
        raise ValidationError(_("This filing has already been submitted."), code="filed")
    before = snapshot(filing)
    confirmed, errors = {}, {}
    for key in figure_keys(filing):
        value = figures.get(key, filing.prefilled.get(key))
        number = to_json_number(value)
        if value not in (None, "") and number is None:
            errors[key] = _("Enter a number.")
        elif number is not None and int(float(number)) < 0:
            errors[key] = _("Figures cannot be negative.")
        confirmed[key] = number
    if errors:
        raise ValidationError(errors, code="invalid")
    corrected = [k for k in confirmed if confirmed[k] != filing.prefilled.get(k)]
    if corrected and not corrections_note.strip():
        raise ValidationError(
            {"corrections_note": _("Explain why you corrected the pre-filled figures.")},
            code="required",
        )
    filing.figures = confirmed
    filing.summary = summary
    filing.corrections_note = corrections_note
    filing.status = FilingStatus.SUBMITTED
    filing.submitted_at = timezone.now()
    filing.submitted_by = actor if getattr(actor, "pk", None) else None
    filing.overdue_since = None
    filing.save()
    record_change(actor=actor, obj=filing, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=filing, event_type=RegistrationEvent.FILING_SUBMITTED,
                 from_state=FilingStatus.OPEN, to_state=FilingStatus.SUBMITTED,
                 data={"corrected": corrected})
    return filing


def _filing_people(filing):
    from tmhub.accounts.models import User

    if filing.registration_id:
        return [filing.registration.profile.user]
    return list(User.objects.filter(
        memberships__role=Role.INSTITUTION_ADMIN, memberships__is_active=True,
        memberships__organization=filing.institution_registration.organization_id,
    ).distinct())


def enforce_filing_deadlines(*, today: datetime.date | None = None) -> dict:
    """Flag overdue filings; suspend managers whose filing is past the grace period.

    Institutions are flagged only: their registration workflow (orgs) has no suspended state.
    """
    from tmhub.core.actors import SYSTEM
    from tmhub.talent.registration import transition_registration

    today = today or timezone.localdate()
    policy = FilingPolicy.current(today)
    flagged = suspended = 0
    overdue = AnnualFiling.objects.filter(status=FilingStatus.OPEN, due_date__lt=today)
    for filing in overdue.filter(overdue_since__isnull=True).select_related(
        "registration__profile__user", "institution_registration__organization"
    ):
        with transaction.atomic():
            filing.overdue_since = today
            filing.save(update_fields=["overdue_since", "updated_at"])
            record_event(actor=None, obj=filing, event_type=RegistrationEvent.FILING_OVERDUE,
                         data={"due_date": filing.due_date.isoformat()})
            notify(_filing_people(filing),
                   subject=_("Your annual filing for %(year)s is overdue") % {"year": filing.year},
                   url=filing.get_absolute_url())
        flagged += 1
    limit = today - datetime.timedelta(days=policy.grace_days)
    for filing in overdue.filter(due_date__lt=limit, registration__status=S.REGISTERED):
        transition_registration(
            filing.registration, S.SUSPENDED, actor=SYSTEM,
            reason=_("Annual filing for %(year)s not submitted within %(days)s days of the "
                     "deadline.") % {"year": filing.year, "days": policy.grace_days},
        )
        suspended += 1
    return {"flagged": flagged, "suspended": suspended}
