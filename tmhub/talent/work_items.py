"""What awaits action in the manager registry: registrations to endorse or review, annual
filings due (read by My work, tmhub.core.work_items)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tmhub.core import policies, work_items
from tmhub.core.access import CHANGE, VIEW
from tmhub.talent.choices import FilingStatus, RegistrationStatus
from tmhub.talent.models import AnnualFiling, ManagerRegistration

LIMIT = 300


def _registrations(scope, statuses, verb):
    rows = ManagerRegistration.objects.filter(status__in=statuses).select_related(
        "profile").order_by("submitted_at", "pk")
    for registration in work_items.restrict(rows, scope, VIEW)[:LIMIT]:
        if policies.allows(scope, verb, registration):
            yield registration


def _item(registration, title, action):
    return work_items.WorkItem(
        title=title % {"name": registration.profile.full_name},
        url=reverse("talent:registration-detail", args=[registration.pk]),
        action_label=action, record=registration,
        detail=_("Submitted on %(date)s") % {"date": registration.submitted_at.date().isoformat()}
        if registration.submitted_at else "")


@work_items.register("talent.endorse_registration", module="talent",
                     label=gettext_lazy("Manager registrations to endorse"))
def registrations_to_endorse(scope):
    for registration in _registrations(scope, [RegistrationStatus.SUBMITTED], "endorse"):
        yield _item(registration, _("Endorse the registration of %(name)s"), _("Endorse"))


@work_items.register("talent.review_registration", module="talent",
                     label=gettext_lazy("Manager registrations to review"))
def registrations_to_review(scope):
    statuses = [RegistrationStatus.ENDORSED, RegistrationStatus.UNDER_REVIEW]
    for registration in _registrations(scope, statuses, "review"):
        yield _item(registration, _("Review the registration of %(name)s"), _("Review"))


@work_items.register("talent.annual_filing", module="talent",
                     label=gettext_lazy("Annual filings due"))
def filings_due(scope):
    rows = AnnualFiling.objects.filter(status=FilingStatus.OPEN).select_related(
        "registration__profile", "institution_registration__organization").order_by(
        "due_date", "pk")
    for filing in work_items.restrict(rows, scope, CHANGE)[:LIMIT]:
        if scope.is_municipal and not _files_it(scope, filing):
            continue  # the city oversees filings; the manager or the institution files them
        who = (filing.registration.profile.full_name if filing.registration_id
               else filing.institution_registration.organization.name)
        yield work_items.WorkItem(
            title=_("File the %(year)s annual filing of %(name)s") % {
                "year": filing.year, "name": who},
            url=reverse("talent:filing-detail", args=[filing.pk]),
            action_label=pgettext("my work", "File"), due_on=filing.due_date, record=filing)


def _files_it(scope, filing) -> bool:
    if filing.registration_id:
        return filing.registration.profile.user_id == scope.user_id
    return filing.institution_registration.organization_id in scope.orgs()
