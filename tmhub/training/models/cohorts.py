"""Cohorts and what happens in them: sessions, enrolments, attendance, assessments, mentors."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.training.choices import (
    ACTIVE_ENROLMENT,
    AttendanceStatus,
    CohortStatus,
    DeliveryMode,
    EnrolmentSource,
    EnrolmentStatus,
)

# Enrolments that hold a seat of the cohort's capacity.
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED,
          EnrolmentStatus.ATTENDED)


class Cohort(WorkflowModel, TimeStampedModel):
    """One run of a programme (一期培训班) with a schedule, capacity and waiting list.

    Its status belongs to the cohort workflow (tmhub/training/workflows.py); who may see and
    run it is the cohort policy's (tmhub/training/policies.py).
    """

    programme = models.ForeignKey("training.Programme", verbose_name=_("programme"),
                                  on_delete=models.PROTECT, related_name="cohorts")
    # The code is the cohort's identifier (in URLs of imports and the API); people read the
    # title, in the UI's language (`display_title`).
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CohortStatus.choices,
                              default=CohortStatus.DRAFT, db_index=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    enrolment_deadline = models.DateField(_("enrolment deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    mode = models.CharField(_("delivery mode"), max_length=12, choices=DeliveryMode.choices,
                            default=DeliveryMode.IN_PERSON)
    location = models.CharField(_("location"), max_length=200, blank=True)
    notes = LimitedTextField(_("notes"), max_length=2000, blank=True)
    completion_rule = models.ForeignKey(
        "training.CompletionRule", verbose_name=_("completion rule"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cohorts",
        help_text=_("Fixed when the cohort starts: the rule in force on its start date."),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="training_cohort_dates"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The English title on the English UI when there is one, else the Chinese."""
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title

    def get_absolute_url(self):
        return reverse("training:cohort-detail", args=[self.pk])

    @property
    def level(self) -> str:
        return self.programme.level

    # The states the rules of the workflow and the policy speak of.
    @property
    def is_open(self) -> bool:
        """Open for enrolment (requests are taken)."""
        return self.status == CohortStatus.OPEN

    @property
    def is_running(self) -> bool:
        """Under way: attendance and scores are recorded."""
        return self.status == CohortStatus.RUNNING

    @property
    def has_ended(self) -> bool:
        """Finished or cancelled: nothing changes any more."""
        return self.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED)

    def deadline_passed(self, today=None) -> bool:
        return bool(self.enrolment_deadline) and (
            today or timezone.localdate()) > self.enrolment_deadline

    def seats_taken(self) -> int:
        """Seats held now (a page that counted them already sets `seats_counted`)."""
        counted = self.__dict__.get("seats_counted")
        if counted is not None:
            return counted
        return self.enrolments.filter(status__in=SEATED).count()

    def has_free_seat(self) -> bool:
        return self.seats_taken() < self.capacity


class Session(models.Model):
    """One class meeting of a cohort: a course taught on a date, worth class hours."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE,
                               related_name="sessions")
    course = models.ForeignKey("training.Course", verbose_name=_("course"),
                               on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)
    instructor = models.ForeignKey("training.Instructor", verbose_name=_("instructor"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="sessions")
    # Person-hours credited in this session, kept by the attendance service so the city-wide
    # "hours delivered" never has to sum a million attendance rows.
    credited_hours_total = models.DecimalField(_("person-hours credited"), max_digits=12,
                                               decimal_places=1, default=0)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.course}"


class Enrolment(WorkflowModel, TimeStampedModel):
    """A trainee's place in a cohort: requested, approved (or waitlisted), and how it ended.

    `organization` is the trainee's employer when they enrolled; it decides which institution
    administrators and officers may see the enrolment. Its status belongs to the enrolment
    workflow (tmhub/training/workflows.py).
    """

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.PROTECT,
                               related_name="enrolments")
    trainee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("trainee"),
                                on_delete=models.PROTECT, related_name="training_enrolments")
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("employer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    status = models.CharField(_("status"), max_length=14, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.PENDING, db_index=True)
    source = models.CharField(_("requested"), max_length=12, choices=EnrolmentSource.choices,
                              default=EnrolmentSource.SELF)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     null=True, on_delete=models.SET_NULL, related_name="+")
    motivation = LimitedTextField(_("motivation"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Kept by the attendance service: the sum of credited class hours in this cohort.
    hours_attended = models.DecimalField(_("class hours attended"), max_digits=7,
                                         decimal_places=1, default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "trainee"], condition=Q(status__in=ACTIVE_ENROLMENT),
                name="training_one_active_enrolment",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="training_enrol_created")]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.cohort}"

    def get_absolute_url(self):
        return reverse("training:enrolment-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        """Pending, waiting or enrolled: a claim on a seat (one per trainee and cohort)."""
        return self.status in ACTIVE_ENROLMENT


class Attendance(models.Model):
    """Whether a trainee attended a session, and the class hours it earned them."""

    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"),
                                  on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.CASCADE,
                                related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField(_("class hours credited"), max_digits=5, decimal_places=1,
                                default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["session__date", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"],
                                    name="training_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} · {self.session}: {self.get_status_display()}"


class Assessment(models.Model):
    """An examination or graded assignment of a cohort."""

    cohort = models.ForeignKey(Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE,
                               related_name="assessments")
    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey("training.Course", verbose_name=_("course"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    date = models.DateField(_("date"), null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=6, decimal_places=1,
                                    default=100)
    pass_score = models.DecimalField(_("pass mark"), max_digits=6, decimal_places=1,
                                     default=60)
    is_required = models.BooleanField(_("required for completion"), default=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(condition=Q(pass_score__lte=models.F("max_score")),
                                   name="training_assessment_pass_le_max"),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentResult(models.Model):
    """One trainee's score in one assessment."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"),
                                   on_delete=models.CASCADE, related_name="results")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"),
                                  on_delete=models.CASCADE, related_name="results")
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["assessment", "id"]
        verbose_name = _("assessment result")
        verbose_name_plural = _("assessment results")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "enrolment"],
                                    name="training_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.trainee} · {self.assessment}: {self.score}"

    @property
    def passed(self) -> bool:
        return self.score >= self.assessment.pass_score


class MentorAssignment(TimeStampedModel):
    """An industry mentor (or teacher) assigned to guide one trainee of a cohort."""

    mentor = models.ForeignKey("training.Instructor", verbose_name=_("mentor"),
                               on_delete=models.PROTECT, related_name="assignments")
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("enrolment"),
                                  on_delete=models.CASCADE, related_name="mentors")
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    notes = LimitedTextField(_("notes"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "enrolment"], name="training_mentor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.enrolment.trainee}"
