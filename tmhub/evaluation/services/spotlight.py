"""Every write to the spotlight of outstanding managers (issue 17 item 6).

A person picks each entry (`draft_entry`) from a rating of a published round — nothing here
or in the rating round creates entries by itself. The consent of the manager is recorded
(`record_consent`: by the city, with the evidence, or by the manager confirming on the
platform) before the workflow lets the entry be published; steps go through the workflow
(tmhub.evaluation.spotlight_workflows), which audits each one."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.evaluation.models import Rating, SpotlightEntry
from tmhub.evaluation.policies_spotlight import may_pick
from tmhub.evaluation.spotlight_choices import SpotlightEvent, SpotlightStatus
from tmhub.evaluation.spotlight_workflows import SPOTLIGHT_WORKFLOW

CITATION_FIELDS = ("citation_zh", "citation_en")


def published_entries():
    """The public spotlight: published entries only, whoever asks (the city's drafts too are
    not public), newest first."""
    return (SpotlightEntry.objects.filter(status=SpotlightStatus.PUBLISHED)
            .select_related("rating__round", "rating__system", "rating__employer",
                            "rating__manager__manager_profile"))


def _clean_citation(citation_zh: str, citation_en: str) -> tuple[str, str]:
    citation_zh, citation_en = (citation_zh or "").strip(), (citation_en or "").strip()
    if not citation_zh:
        raise field_error("citation_zh", _("Write the citation in Chinese."), "citation_missing")
    return citation_zh, citation_en


@transaction.atomic
def draft_entry(*, actor, rating: Rating, citation_zh: str,
                citation_en: str = "") -> SpotlightEntry:
    """The city picks the manager of `rating` (a manager's rating in a published round) for
    the spotlight, with its citation. Refused for anyone else's pick and for a rating that is
    not a published round's result."""
    policies.require(actor, "create", SpotlightEntry)
    rating = Rating.objects.select_related("round").get(pk=rating.pk)
    if not may_pick(actor, rating):
        raise ValidationError(_("Only managers rated in a published round can be in the "
                                "spotlight."), code="round_not_published")
    if SpotlightEntry.objects.filter(rating=rating).exclude(
            status=SpotlightStatus.WITHDRAWN).exists():
        raise ValidationError(_("This manager is already in the spotlight for this round."),
                              code="already_picked")
    citation_zh, citation_en = _clean_citation(citation_zh, citation_en)
    entry = SpotlightEntry(rating=rating, citation_zh=citation_zh, citation_en=citation_en,
                           created_by=actor_user(actor))
    SPOTLIGHT_WORKFLOW.set_initial(entry, SpotlightStatus.DRAFT)
    entry.full_clean(exclude=["created_by", "rating"])
    entry.save()
    record_change(actor=actor, obj=entry, action=ObjectChange.Action.CREATE, before=None)
    return entry


def _locked(entry: SpotlightEntry) -> SpotlightEntry:
    return SpotlightEntry.objects.select_for_update().select_related("rating__round").get(
        pk=entry.pk)


@transaction.atomic
def edit_citation(entry: SpotlightEntry, *, actor, citation_zh: str,
                  citation_en: str = "") -> SpotlightEntry:
    """Change the citation of a draft (a submitted entry is returned first)."""
    policies.require(actor, "manage", entry)
    entry = _locked(entry)
    if entry.status != SpotlightStatus.DRAFT:
        raise ValidationError(_("Only a draft can be edited: return it to its drafter first."),
                              code="not_editable")
    before = snapshot(entry)
    entry.citation_zh, entry.citation_en = _clean_citation(citation_zh, citation_en)
    entry.full_clean(exclude=["created_by", "rating"])
    entry.save()
    record_change(actor=actor, obj=entry, action=ObjectChange.Action.UPDATE, before=before)
    return entry


@transaction.atomic
def record_consent(entry: SpotlightEntry, *, actor, given_on: datetime.date,
                   note: str) -> SpotlightEntry:
    """Record that the manager agreed to be in the spotlight: on `given_on`, with `note` as
    the evidence (how they agreed). The city records it; the manager may confirm their own."""
    user = actor_user(actor)
    entry = _locked(entry)
    by_manager = user is not None and user.pk == entry.rating.manager_id
    if not by_manager:
        policies.require(actor, "manage", entry)
    note = (note or "").strip()
    if by_manager and not note:
        note = _("Confirmed by the manager on the platform.")
    if not note:
        raise field_error("note", _("Say how the manager agreed (the evidence)."),
                          "consent_evidence_missing")
    if given_on is None or given_on > timezone.localdate():
        raise field_error("given_on", _("Give the day the manager agreed (not in the future)."),
                          "consent_date_invalid")
    if entry.status == SpotlightStatus.WITHDRAWN:
        raise ValidationError(_("The entry was withdrawn."), code="withdrawn")
    before = snapshot(entry)
    entry.consent_given_on = given_on
    entry.consent_note = note[:1000]
    entry.consent_recorded_by = user
    entry.consent_recorded_at = timezone.now()
    entry.save()
    record_change(actor=actor, obj=entry, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=entry, event_type=SpotlightEvent.CONSENT_RECORDED,
                 data={"given_on": str(given_on), "by_manager": by_manager})
    return entry


@transaction.atomic
def step_entry(entry: SpotlightEntry, target: str, *, actor, reason: str = "") -> SpotlightEntry:
    """Take one step of the entry's workflow (submit, approve, return, withdraw)."""
    policies.require(actor, "manage", entry)
    entry = _locked(entry)
    SPOTLIGHT_WORKFLOW.transition(entry, target, actor=actor, reason=reason, locked=True)
    return entry
