"""The service catalogue of the resource network (issue 14 item 1).

`ServiceType` is a data table (seeded by migration 0001, editable in the admin); each
`ProviderService` is one typed service a provider organisation offers, drafted by the
provider's own users and public only after the city has reviewed it.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import BilingualNameMixin, TimeStampedModel
from tmhub.core.workflow import WorkflowModel
from tmhub.network.choices import (
    CollaborationStatus,
    FinancingInstrument,
    FinancingKind,
    FinancingStatus,
    IntroductionStatus,
    NeedStatus,
    RaterSide,
    ServiceCategory,
    ServiceStatus,
)


class ServiceType(BilingualNameMixin):
    """A kind of service (patent drafting, FTO search, angel investment…): data, not code."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")


class ProviderService(WorkflowModel, TimeStampedModel):
    """One service in a provider's catalogue, with its fields, districts and terms."""

    provider = models.ForeignKey("orgs.Organization", verbose_name=_("provider organisation"),
                                 on_delete=models.PROTECT, related_name="network_services")
    service_type = models.ForeignKey(ServiceType, verbose_name=_("service type"),
                                     on_delete=models.PROTECT, related_name="services")
    title = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = LimitedTextField(_("description"), max_length=2000, blank=True)
    fields = models.ManyToManyField("core.IndustryField", verbose_name=_("fields served"),
                                    blank=True, related_name="network_services")
    districts = models.ManyToManyField("core.District", verbose_name=_("districts served"),
                                       blank=True, related_name="network_services")
    price_min_fen = models.PositiveBigIntegerField(_("price from (fen)"), null=True, blank=True)
    price_max_fen = models.PositiveBigIntegerField(_("price up to (fen)"), null=True, blank=True)
    price_on_request = models.BooleanField(_("price on request"), default=False)
    capacity = models.PositiveIntegerField(_("capacity (cases a year)"), null=True, blank=True,
                                           validators=[MinValueValidator(1)])
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    international = models.BooleanField(_("international reach"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices,
                              default=ServiceStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["service_type__sort_order", "title"]
        verbose_name = _("provider service")
        verbose_name_plural = _("provider services")

    def __str__(self) -> str:
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    def get_absolute_url(self):
        return reverse("network:service-detail", args=[self.pk])

    @property
    def price_text(self) -> str:
        """The terms in words, in yuan: a range, a lower or upper bound, or on request."""
        def yuan(fen):
            return f"{fen / 100:,.2f}".rstrip("0").rstrip(".")

        low, high = self.price_min_fen, self.price_max_fen
        if self.price_on_request or (low is None and high is None):
            return gettext("on request")
        if low is not None and high is not None:
            return gettext("%(low)s – %(high)s yuan") % {"low": yuan(low), "high": yuan(high)}
        if low is not None:
            return gettext("from %(low)s yuan") % {"low": yuan(low)}
        return gettext("up to %(high)s yuan") % {"high": yuan(high)}


class ServiceNeed(WorkflowModel, TimeStampedModel):
    """A service a transfer project needs (issue 14 item 2): posted by the project's
    institution or its active managers, answered by the providers they introduce."""

    project = models.ForeignKey("transfer.Project", verbose_name=_("project"),
                                on_delete=models.PROTECT, related_name="network_needs")
    service_type = models.ForeignKey(ServiceType, verbose_name=_("service type"),
                                     on_delete=models.PROTECT, related_name="needs")
    field = models.ForeignKey("core.IndustryField", verbose_name=_("field"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("core.District", verbose_name=_("district"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("what is needed"), max_length=200)
    description = LimitedTextField(_("details"), max_length=2000, blank=True)
    budget_fen = models.PositiveBigIntegerField(_("budget (fen)"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=NeedStatus.choices,
                              default=NeedStatus.OPEN, db_index=True)
    posted_by = models.ForeignKey("accounts.User", verbose_name=_("posted by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("service need")
        verbose_name_plural = _("service needs")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self):
        return reverse("network:need-detail", args=[self.pk])

    @property
    def budget_text(self) -> str:
        if self.budget_fen is None:
            return gettext("to be agreed")
        return gettext("%(amount)s yuan") % {
            "amount": f"{self.budget_fen / 100:,.2f}".rstrip("0").rstrip(".")}


class Introduction(WorkflowModel, TimeStampedModel):
    """A provider introduced to a need, with the reasons it was ranked for it, and its answer."""

    # The reasons are kept in both languages: a change log would show both on one page.
    AUDIT_EXCLUDE = ("reasons",)

    need = models.ForeignKey(ServiceNeed, verbose_name=_("service need"),
                             on_delete=models.PROTECT, related_name="introductions")
    provider = models.ForeignKey("orgs.Organization", verbose_name=_("provider organisation"),
                                 on_delete=models.PROTECT, related_name="network_introductions")
    service = models.ForeignKey(ProviderService, verbose_name=_("matching service"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    # The ranking's reasons as the introducer saw them, in each UI language {"zh": …, "en": …}
    reasons = models.JSONField(_("why it was ranked"), default=dict, blank=True)
    message = LimitedTextField(_("message to the provider"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IntroductionStatus.choices,
                              default=IntroductionStatus.SENT, db_index=True)
    introduced_by = models.ForeignKey("accounts.User", verbose_name=_("introduced by"),
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    answered_by = models.ForeignKey("accounts.User", verbose_name=_("answered by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [models.UniqueConstraint(fields=["need", "provider"],
                                               name="network_one_introduction_per_provider")]

    def __str__(self) -> str:
        return f"{self.need} → {self.provider}"

    def get_absolute_url(self):
        return reverse("network:introduction-detail", args=[self.pk])

    @property
    def reasons_text(self) -> str:
        english = (get_language() or "").startswith("en")
        return (self.reasons or {}).get("en" if english else "zh", "")


class Collaboration(WorkflowModel, TimeStampedModel):
    """An accepted introduction at work (issue 14 item 3): the project's managers and the
    provider, with scope, dates, fee and outcome; rated by both sides once completed."""

    introduction = models.OneToOneField(Introduction, verbose_name=_("introduction"),
                                        on_delete=models.PROTECT,
                                        related_name="collaboration")
    project = models.ForeignKey("transfer.Project", verbose_name=_("project"),
                                on_delete=models.PROTECT, related_name="network_collaborations")
    provider = models.ForeignKey("orgs.Organization", verbose_name=_("provider organisation"),
                                 on_delete=models.PROTECT,
                                 related_name="network_collaborations")
    managers = models.ManyToManyField("accounts.User", verbose_name=_("managers"),
                                      related_name="network_collaborations")
    scope = LimitedTextField(_("scope of work"), max_length=2000)
    started_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("planned end date"), null=True, blank=True)
    fee_fen = models.PositiveBigIntegerField(_("fee (fen)"), null=True, blank=True)
    outcome = LimitedTextField(_("outcome"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CollaborationStatus.choices,
                              default=CollaborationStatus.ACTIVE, db_index=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    rating_closes_on = models.DateField(_("rating window closes on"), null=True, blank=True)
    ratings_released_at = models.DateTimeField(_("ratings released at"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")

    def __str__(self) -> str:
        return f"{self.project.title} · {self.provider}"

    def get_absolute_url(self):
        return reverse("network:collaboration-detail", args=[self.pk])

    @property
    def fee_text(self) -> str:
        if self.fee_fen is None:
            return "—"
        return gettext("%(amount)s yuan") % {
            "amount": f"{self.fee_fen / 100:,.2f}".rstrip("0").rstrip(".")}

    def ratings_released(self, today=None) -> bool:
        """Both sides have rated, or the rating window has closed."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.ratings_released_at is not None or (
            self.rating_closes_on is not None and self.rating_closes_on < today)


class CollaborationDocument(TimeStampedModel):
    """A file of a collaboration (engagement letter, report, invoice), served to its sides."""

    collaboration = models.ForeignKey(Collaboration, verbose_name=_("collaboration"),
                                      on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="network/collaborations/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("collaboration document")
        verbose_name_plural = _("collaboration documents")

    def __str__(self) -> str:
        return self.title


class Rating(TimeStampedModel):
    """One side's rating of the other after a completed collaboration: 1–5 on each named
    criterion (choices.CRITERIA) and a comment; never edited once given."""

    collaboration = models.ForeignKey(Collaboration, verbose_name=_("collaboration"),
                                      on_delete=models.PROTECT, related_name="ratings")
    rater_side = models.CharField(_("side"), max_length=10, choices=RaterSide.choices)
    scores = models.JSONField(_("scores"), default=dict)
    overall = models.DecimalField(_("overall score"), max_digits=3, decimal_places=2)
    comment = LimitedTextField(_("comment"), max_length=1000, blank=True)
    rated_by = models.ForeignKey("accounts.User", verbose_name=_("rated by"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["collaboration", "rater_side"],
                                               name="network_one_rating_per_side")]

    def __str__(self) -> str:
        return f"{self.collaboration} · {self.get_rater_side_display()} · {self.overall}"

    def criteria(self):
        """[(label, score)] in the criteria's order."""
        from tmhub.network.choices import CRITERIA

        return [(label, self.scores.get(code)) for code, label in
                CRITERIA[self.rater_side].items() if code in self.scores]


class FinancingQuerySet(RestrictedQuerySet):
    def effective(self):
        """Rounds that count: approved by a second person, not a reversal, and without an
        approved reversal (a correction is a reversal and a new record, never an edit of an
        amount)."""
        return (self.filter(status=FinancingStatus.APPROVED, reversal_of__isnull=True)
                .exclude(reversals__status=FinancingStatus.APPROVED))


class Financing(WorkflowModel, TimeStampedModel):
    """One financing round of a project and/or the company it created (issue 14 item 4), with
    whether the Beijing science and technology innovation fund took part. Amounts in fen;
    recorded once, approved by a second person (four-eyes), corrected by a reversal that is
    approved the same way; never edited."""

    project = models.ForeignKey("transfer.Project", verbose_name=_("project"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="network_financings")
    company = models.ForeignKey("orgs.Organization", verbose_name=_("company"), null=True,
                                blank=True, on_delete=models.PROTECT,
                                related_name="network_financings")
    kind = models.CharField(_("kind of financing"), max_length=20,
                            choices=FinancingKind.choices)
    instrument = models.CharField(_("instrument"), max_length=20,
                                  choices=FinancingInstrument.choices)
    investor = models.ForeignKey("orgs.Organization", verbose_name=_("investor organisation"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="network_investments")
    investor_name = models.CharField(_("investor (if not registered)"), max_length=200,
                                     blank=True)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))
    financed_on = models.DateField(_("date"))
    equity_share = models.DecimalField(_("equity share (%)"), max_digits=5, decimal_places=2,
                                       null=True, blank=True,
                                       validators=[MinValueValidator(0),
                                                   MaxValueValidator(100)])
    beijing_fund = models.BooleanField(
        _("the Beijing science and technology innovation fund took part"), default=False)
    district = models.ForeignKey("core.District", verbose_name=_("district"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+")
    field = models.ForeignKey("core.IndustryField", verbose_name=_("field"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    # A returned reversal leaves the round as it was, so a round may have several reversals
    # over time; at most one is pending or approved (financing.reverse_financing).
    reversal_of = models.ForeignKey("self", verbose_name=_("reverses"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="reversals")
    reason = models.CharField(_("reason for the reversal"), max_length=500, blank=True)
    recorded_by = models.ForeignKey("accounts.User", verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=FinancingStatus.choices,
                              default=FinancingStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("approved or returned by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)

    objects = FinancingQuerySet.as_manager()

    class Meta:
        ordering = ["-financed_on", "-pk"]
        verbose_name = _("financing round")
        verbose_name_plural = _("financing rounds")

    def __str__(self) -> str:
        whom = self.company or self.project
        return f"{whom} · {self.get_kind_display()} · {self.financed_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("network:financing-detail", args=[self.pk])

    @property
    def amount_text(self) -> str:
        return gettext("%(amount)s yuan") % {
            "amount": f"{self.amount_fen / 100:,.2f}".rstrip("0").rstrip(".")}

    @property
    def counts(self) -> bool:
        """Whether the round counts in the figures now (see FinancingQuerySet.effective)."""
        return (self.status == FinancingStatus.APPROVED and self.reversal_of_id is None
                and not self.reversals.filter(status=FinancingStatus.APPROVED).exists())

    def open_reversal(self):
        """The reversal awaiting approval or approved, if any."""
        return self.reversals.exclude(status=FinancingStatus.RETURNED).first()

    @property
    def investor_label(self) -> str:
        return self.investor.name if self.investor_id else (self.investor_name or "—")
