"""What awaits action in the organisation registry (read by My work, tmhub.core.work_items)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import work_items
from tmhub.core.access import VIEW
from tmhub.orgs.choices import RegistrationStatus
from tmhub.orgs.models import InstitutionRegistration

# A source reads at most this many rows (the city sees every institution's).
LIMIT = 300


def _registrations(scope, statuses):
    rows = InstitutionRegistration.objects.filter(status__in=statuses).select_related(
        "organization").order_by("submitted_at", "pk")
    return work_items.restrict(rows, scope, VIEW)[:LIMIT]


@work_items.register("orgs.review_registration", module="orgs",
                     label=gettext_lazy("Institution registrations to review"))
def registrations_to_review(scope):
    from tmhub.orgs.workflows import REGISTRATION_WORKFLOW

    for registration in _registrations(scope, [RegistrationStatus.SUBMITTED]):
        if not work_items.steps_open_to(REGISTRATION_WORKFLOW, registration, scope):
            continue
        yield work_items.WorkItem(
            title=_("Review the registration of %(name)s") % {
                "name": registration.organization.name},
            url=reverse("orgs:registration-detail", args=[registration.pk]),
            action_label=_("Review"), record=registration,
            detail=_("Submitted on %(date)s") % {
                "date": registration.submitted_at.date().isoformat()}
            if registration.submitted_at else "")


@work_items.register("orgs.resubmit_registration", module="orgs",
                     label=gettext_lazy("Institution registrations returned for changes"))
def registrations_to_resubmit(scope):
    from tmhub.orgs.workflows import REGISTRATION_WORKFLOW

    for registration in _registrations(scope, [RegistrationStatus.RETURNED]):
        if scope.is_municipal and registration.organization_id not in scope.orgs():
            continue  # the applicant resubmits, not the city that returned it
        if not work_items.steps_open_to(REGISTRATION_WORKFLOW, registration, scope):
            continue
        yield work_items.WorkItem(
            title=_("Change and resubmit the registration of %(name)s") % {
                "name": registration.organization.name},
            url=reverse("orgs:registration-detail", args=[registration.pk]),
            action_label=_("Resubmit"), record=registration)
