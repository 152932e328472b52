"""What awaits a training provider: enrolment requests to decide, attendance to record
(read by My work, tmhub.core.work_items)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies, work_items
from tmhub.core.access import CHANGE
from tmhub.training.choices import CohortStatus, EnrolmentStatus
from tmhub.training.models import Attendance, Cohort, Enrolment, Session

LIMIT = 300


@work_items.register("training.decide_enrolment", module="training",
                     label=gettext_lazy("Enrolment requests to approve"))
def enrolments_to_decide(scope):
    rows = Enrolment.objects.filter(status=EnrolmentStatus.PENDING).select_related(
        "trainee", "cohort__programme__provider").order_by("cohort__enrolment_deadline", "pk")
    if scope.is_municipal:
        # The provider decides; the city's own list would be every provider's queue.
        rows = rows.filter(cohort__programme__provider__organization__in=scope.orgs())
    for enrolment in work_items.restrict(rows, scope, CHANGE)[:LIMIT]:
        if not policies.allows(scope, "decide", enrolment):
            continue
        yield work_items.WorkItem(
            title=_("Decide on the enrolment of %(trainee)s in %(cohort)s") % {
                "trainee": enrolment.trainee, "cohort": enrolment.cohort},
            url=reverse("training:enrolment-detail", args=[enrolment.pk]),
            action_label=_("Decide"), due_on=enrolment.cohort.enrolment_deadline,
            record=enrolment)


@work_items.register("training.record_attendance", module="training",
                     label=gettext_lazy("Attendance to record"))
def attendance_to_record(scope):
    cohorts = work_items.restrict(Cohort.objects.filter(status=CohortStatus.RUNNING), scope,
                                CHANGE)
    if scope.is_municipal:
        cohorts = cohorts.filter(programme__provider__organization__in=scope.orgs())
    rows = (Session.objects.filter(cohort__in=cohorts.values("pk"),
                                   date__lte=timezone.localdate())
            .annotate(recorded=Exists(Attendance.objects.filter(session=OuterRef("pk"))))
            .filter(recorded=False).select_related("cohort__programme__provider", "course")
            .order_by("date", "pk"))
    for session in rows[:LIMIT]:
        if not policies.allows(scope, "mark_attendance", session.cohort):
            continue
        yield work_items.WorkItem(
            title=_("Record the attendance of %(session)s (%(cohort)s)") % {
                "session": session, "cohort": session.cohort},
            url=reverse("training:session-attendance", args=[session.pk]),
            action_label=_("Record attendance"), due_on=session.date, record=session)
