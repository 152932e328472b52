"""The case library (典型案例, SPEC §10, issue 17 item 5).

A case tells how one transfer project that reached 交易 or 落地 was done: the facts come from
the platform's records, the story from the people who did it.

**The figures are a snapshot, not a live reading.** `facts` holds what the records said when
the case was drafted (or when its drafters last pressed "read the records again",
`facts_as_of`): parties, stages with their dates, contracts and their value, income received,
the approved reward split, the managers and their roles, financing and landings. A reviewer
approves exactly the figures the public will read, and a published case keeps stating what
was true when it was published, even after a receipt is reversed or a new contract signed.
Reading the records again is an explicit step (`services.cases.refresh_facts`), allowed only
while the case is being drafted (draft or returned), audited with the figures before and
after; a published case is unpublished and reopened to take it.

Confidential figures are withheld per case by four flags (contract value, income, reward
split, financing amount), on by default: the public never reads a withheld figure, in the
page, the API or any data embedded in either (`tmhub.evaluation.case_facts.public_facts`).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.fields import LimitedTextField
from tmhub.core.models import TimeStampedModel
from tmhub.core.validators import validate_happened_date
from tmhub.core.workflow import WorkflowModel
from tmhub.evaluation.case_choices import CaseStatus, WithheldFigure
from tmhub.transfer.choices import ContractKind, TransferMode

# The narrative, written in Chinese (required) and in English (optional).
NARRATIVE = ("title", "background", "actions", "lessons")
# Each withheld figure and the flag on the case that withholds it.
WITHHOLD_FLAGS = {
    WithheldFigure.CONTRACT_VALUE: "withhold_contract_value",
    WithheldFigure.INCOME: "withhold_income",
    WithheldFigure.REWARDS: "withhold_rewards",
    WithheldFigure.FINANCING: "withhold_financing",
}


def _english() -> bool:
    return (get_language() or "").startswith("en")


class TransferCase(WorkflowModel, TimeStampedModel):
    """One typical case, drafted from a transfer project at 交易 or 落地 by the project's
    institution (its administrators or assigned managers) or by the city; reviewed by the
    institution, then the city, and published with the parties' consent (`CaseConsent`)."""

    project = models.ForeignKey("transfer.Project", verbose_name=_("transfer project"),
                                on_delete=models.PROTECT, related_name="typical_cases")
    institution = models.ForeignKey(
        "orgs.Organization", verbose_name=_("owner institution"), on_delete=models.PROTECT,
        related_name="typical_cases", editable=False,
        help_text=_("The institution whose project it is (it reviews the case)."))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    background_zh = LimitedTextField(_("background (Chinese)"), max_length=5000)
    background_en = LimitedTextField(_("background (English)"), max_length=5000, blank=True)
    actions_zh = LimitedTextField(_("what the managers did (Chinese)"), max_length=5000)
    actions_en = LimitedTextField(_("what the managers did (English)"), max_length=5000,
                                  blank=True)
    lessons_zh = LimitedTextField(_("lessons (Chinese)"), max_length=5000)
    lessons_en = LimitedTextField(_("lessons (English)"), max_length=5000, blank=True)
    field = models.ForeignKey("core.IndustryField", verbose_name=_("industry field"),
                              null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", editable=False)
    discipline = models.ForeignKey("core.Discipline", verbose_name=_("discipline"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)
    transfer_mode = models.CharField(_("transfer mode"), max_length=20,
                                     choices=TransferMode.choices, blank=True, editable=False)
    contract_kind = models.CharField(_("contract kind"), max_length=20,
                                     choices=ContractKind.choices, blank=True, editable=False)
    withhold_contract_value = models.BooleanField(_("withhold the contract value"),
                                                  default=True)
    withhold_income = models.BooleanField(_("withhold the income received"), default=True)
    withhold_rewards = models.BooleanField(_("withhold the reward split"), default=True)
    withhold_financing = models.BooleanField(_("withhold the financing amount"), default=True)
    facts = models.JSONField(_("figures from the records"), default=dict, blank=True,
                             editable=False)
    facts_as_of = models.DateTimeField(_("figures read at"), null=True, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT, db_index=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True,
                                        editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("drafted by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at", "-id"]
        verbose_name = _("typical case")
        verbose_name_plural = _("typical cases")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def history_summary(cls, field_name: str, value) -> str | None:
        """The history names the snapshot and its headline figures, not its JSON keys."""
        if field_name != "facts" or not isinstance(value, dict):
            return None
        from tmhub.core.history import yuan

        return _("figures from the records: contract value ¥%(value)s, income received "
                 "¥%(income)s") % {
            "value": yuan(value.get("contract_value_fen") or 0),
            "income": yuan((value.get("income") or {}).get("received_fen") or 0)}

    def get_absolute_url(self):
        return reverse("evaluation:case-manage-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("evaluation:case-detail", args=[self.pk])

    def _text(self, name: str) -> str:
        english = getattr(self, f"{name}_en")
        return english if english and _english() else getattr(self, f"{name}_zh")

    @property
    def title(self) -> str:
        return self._text("title")

    @property
    def background(self) -> str:
        return self._text("background")

    @property
    def actions(self) -> str:
        return self._text("actions")

    @property
    def lessons(self) -> str:
        return self._text("lessons")

    @property
    def shows_chinese_original(self) -> bool:
        """On the English UI, some of the narrative has no English text: the page says the
        Chinese original is shown instead."""
        return _english() and not all(getattr(self, f"{n}_en") for n in NARRATIVE)

    def withheld(self) -> frozenset[str]:
        """The figures this case keeps from the public."""
        return frozenset(figure for figure, flag in WITHHOLD_FLAGS.items()
                         if getattr(self, flag))

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED


def consent_evidence_path(instance, filename):
    # Random names under MEDIA_ROOT (outside the web root); the original name is kept in the row.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evaluation/cases/{instance.case_id}/{uuid.uuid4().hex}.{suffix}"


class CaseConsent(TimeStampedModel):
    """A party's consent to the publication of a case: who gave it on the party's behalf, on
    which day, and the evidence (a signed letter uploaded, or a note of how it was given)."""

    case = models.ForeignKey(TransferCase, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="consents")
    party = models.ForeignKey("orgs.Organization", verbose_name=_("party"),
                              on_delete=models.PROTECT, related_name="+")
    consented_by = models.CharField(_("consent given by (name and position)"), max_length=200)
    consented_on = models.DateField(_("consent given on"), validators=[validate_happened_date])
    note = LimitedTextField(_("note on the consent"), max_length=2000, blank=True,
                            help_text=_("How the consent was given, and its scope."))
    evidence = models.FileField(_("consent document"), upload_to=consent_evidence_path,
                                blank=True)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+",
                                    editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["consented_on", "id"]
        verbose_name = _("consent to publication")
        verbose_name_plural = _("consents to publication")

    def __str__(self) -> str:
        return f"{self.party} · {self.consented_on}"

    def get_absolute_url(self):
        return self.case.get_absolute_url() + f"#consent-{self.pk}"
