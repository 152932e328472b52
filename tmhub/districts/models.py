"""各区用好技术经理人 (SPEC §9, issue 15 items 6–9): liaison agreements between a district and
institutions' transfer offices, transfer-commissioner posts in parks and bases with their
applications, matchmaking events with registrations and attendance, and the landings of results
in a district (a company founded, a contract signed, an investment made).

Every write goes through `tmhub.districts.services` (audited); who sees what is decided by
`tmhub.districts.policies`."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField, PhoneField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_happened_date, validate_planned_date
from tmhub.districts.choices import (
    ApplicationStatus,
    EventKind,
    LandingKind,
    ParticipantKind,
    PostStatus,
    TimeBasis,
)


def _bilingual(zh: str, en: str) -> str:
    return en if (get_language() or "").startswith("en") and en else zh


class LiaisonAgreement(TimeStampedModel):
    """对接联络机制: a district government and an institution's transfer office agree to work
    together over a term; a renewal is a new agreement pointing at the one it renews."""

    district = models.ForeignKey("core.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="liaison_agreements")
    institution = models.ForeignKey("orgs.Organization", verbose_name=_("institution"),
                                    on_delete=models.PROTECT, related_name="liaison_agreements")
    district_contact = models.CharField(_("district contact"), max_length=100)
    district_phone = PhoneField(_("district contact phone"), blank=True)
    institution_contact = models.CharField(_("institution contact"), max_length=100)
    institution_phone = PhoneField(_("institution contact phone"), blank=True)
    scope = LimitedTextField(_("scope of cooperation"), max_length=2000)
    scope_en = LimitedTextField(_("scope of cooperation (English)"), max_length=2000,
                                blank=True)
    starts_on = models.DateField(_("term starts"), validators=[validate_planned_date])
    ends_on = models.DateField(_("term ends"), validators=[validate_planned_date])
    renews = models.OneToOneField("self", verbose_name=_("renews"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="renewal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["district__sort_order", "-starts_on", "id"]
        verbose_name = _("liaison agreement")
        verbose_name_plural = _("liaison agreements")

    def __str__(self) -> str:
        return f"{self.district.name} · {self.institution.name}"

    def get_absolute_url(self) -> str:
        return reverse("districts:agreement_detail", args=[self.pk])

    @property
    def scope_text(self) -> str:
        return _bilingual(self.scope, self.scope_en)

    def in_force(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day <= self.ends_on


class CommissionerPost(TimeStampedModel):
    """科技成果转化专员: a post in a park or industrial base of a district, held by a registered
    technology manager for a term; a vacancy is published, managers apply, the district
    appoints one."""

    district = models.ForeignKey("core.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="commissioner_posts")
    title = models.CharField(_("post"), max_length=200)
    title_en = models.CharField(_("post (English)"), max_length=200, blank=True)
    park = models.CharField(_("park or industrial base"), max_length=200)
    time_basis = models.CharField(_("full- or part-time"), max_length=10,
                                  choices=TimeBasis.choices, default=TimeBasis.PART_TIME)
    duties = LimitedTextField(_("duties"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PostStatus.choices,
                              default=PostStatus.DRAFT, db_index=True)
    applications_close_on = models.DateField(_("applications close on"), null=True,
                                             blank=True, validators=[validate_planned_date])
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("commissioner"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="commissioner_posts")
    term_start = models.DateField(_("term starts"), null=True, blank=True,
                                  validators=[validate_planned_date])
    term_end = models.DateField(_("term ends"), null=True, blank=True,
                                validators=[validate_planned_date])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["district__sort_order", "park", "id"]
        verbose_name = _("commissioner post")
        verbose_name_plural = _("commissioner posts")

    def __str__(self) -> str:
        return f"{self.park} · {self.title_text}"

    def get_absolute_url(self) -> str:
        return reverse("districts:post_detail", args=[self.pk])

    @property
    def title_text(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def is_vacant(self) -> bool:
        return self.status == PostStatus.OPEN


class CommissionerApplication(TimeStampedModel):
    """A registered manager's application for a published commissioner vacancy."""

    post = models.ForeignKey(CommissionerPost, verbose_name=_("commissioner post"),
                             on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applicant"),
                                  on_delete=models.PROTECT,
                                  related_name="commissioner_applications")
    statement = LimitedTextField(_("why you apply"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("commissioner application")
        verbose_name_plural = _("commissioner applications")
        constraints = [models.UniqueConstraint(fields=["post", "applicant"],
                                               name="districts_one_application_per_post")]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.post}"

    def get_absolute_url(self) -> str:
        return self.post.get_absolute_url()


class MatchEvent(TimeStampedModel):
    """对接活动: a matchmaking meeting, roadshow or training session a district organises."""

    district = models.ForeignKey("core.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="match_events")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind of event"), max_length=12, choices=EventKind.choices,
                            default=EventKind.MATCHMAKING)
    organiser = models.CharField(_("organiser"), max_length=200)
    held_on = models.DateField(_("held on"), validators=[validate_planned_date], db_index=True)
    place = models.CharField(_("venue"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    field = models.ForeignKey("core.IndustryField", verbose_name=_("theme field"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)],
                                           default=100)
    description = LimitedTextField(_("description"), max_length=2000, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")

    def __str__(self) -> str:
        return self.title_text

    def get_absolute_url(self) -> str:
        return reverse("districts:event_detail", args=[self.pk])

    @property
    def title_text(self) -> str:
        return _bilingual(self.title, self.title_en)

    @property
    def is_past(self) -> bool:
        return self.held_on < timezone.localdate()


class EventRegistration(TimeStampedModel):
    """One person's registration for an event, for an enterprise, an institution or as a
    manager; the organiser marks attendance after the event."""

    event = models.ForeignKey(MatchEvent, verbose_name=_("matchmaking event"),
                              on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("participant"),
                               on_delete=models.PROTECT, related_name="event_registrations")
    participant_kind = models.CharField(_("registered as"), max_length=12,
                                        choices=ParticipantKind.choices)
    organization = models.ForeignKey("orgs.Organization", verbose_name=_("organisation"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    attended = models.BooleanField(_("attended"), default=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        constraints = [models.UniqueConstraint(fields=["event", "person"],
                                               name="districts_one_registration_per_event")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()


class Landing(TimeStampedModel):
    """项目落地: a recorded outcome in a district — a company founded, a contract signed (the
    transferee in the district) or an investment made — attributed to the district, the
    transfer project and the managers, and traced back to the event where it began."""

    district = models.ForeignKey("core.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="landings")
    kind = models.CharField(_("kind of landing"), max_length=12, choices=LandingKind.choices)
    title = models.CharField(_("what landed"), max_length=200)
    occurred_on = models.DateField(_("date"), validators=[validate_happened_date],
                                   db_index=True)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contract = models.ForeignKey("transfer.Contract", verbose_name=_("contract"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="landings")
    financing = models.ForeignKey(
        "network.Financing", verbose_name=_("financing round"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="landings",
        help_text=_("For an investment: the approved financing round it is (its investor and "
                    "amount are taken from it)."))
    investor = models.CharField(_("investor"), max_length=200, blank=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"), default=0,
                                        validators=[MinValueValidator(0)])
    project = models.ForeignKey("transfer.Project", verbose_name=_("transfer project"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="landings")
    event = models.ForeignKey(MatchEvent, verbose_name=_("from the event"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="landings")
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL,
                                      verbose_name=_("technology managers"), blank=True,
                                      related_name="district_landings")
    note = LimitedTextField(_("note"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("landing")
        verbose_name_plural = _("landings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("districts:landing_detail", args=[self.pk])


class EventFollowUp(TimeStampedModel):
    """A follow-up of an event: an introduction made there between two of its attendees (an
    enterprise and an institution, a manager and an enterprise…), with what was agreed next.
    What finally landed is a `Landing` pointing at the event."""

    event = models.ForeignKey(MatchEvent, verbose_name=_("matchmaking event"),
                              on_delete=models.CASCADE, related_name="follow_ups")
    first = models.ForeignKey(EventRegistration, verbose_name=_("introduced"),
                              on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(EventRegistration, verbose_name=_("introduced to"),
                               on_delete=models.PROTECT, related_name="+")
    note = LimitedTextField(_("what was agreed next"), max_length=1000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("event follow-up")
        verbose_name_plural = _("event follow-ups")
        constraints = [
            models.CheckConstraint(condition=~models.Q(first=models.F("second")),
                                   name="districts_follow_up_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.first.person} ↔ {self.second.person}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()
