"""Collaborations and their ratings (issue 14 item 3): every write with its actor, in one
transaction, audited."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import notifications, policies
from tmhub.core.access import VIEW, get_scope
from tmhub.core.actors import actor_user, is_system
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.network import notices
from tmhub.network.choices import (
    CRITERIA,
    CollaborationStatus,
    IntroductionStatus,
    RaterSide,
)
from tmhub.network.models import Collaboration, CollaborationDocument, Rating
from tmhub.network.needs import provider_users
from tmhub.network.policies import rater_side
from tmhub.network.workflows import COLLABORATION_WORKFLOW

TERMS = ("scope", "started_on", "ends_on", "fee_fen", "outcome")


def _check_dates(collaboration) -> None:
    if (collaboration.ends_on and collaboration.started_on
            and collaboration.ends_on < collaboration.started_on):
        raise ValidationError({"ends_on": ValidationError(
            _("The end date must not be before the start date."), code="dates_order")})


@transaction.atomic
def start_collaboration(introduction, *, actor, **data) -> Collaboration:
    """Turn an accepted introduction into a collaboration (who works the project); its
    managers are who introduced the provider, who posted the need, and the actor."""
    need = introduction.need
    collaboration = Collaboration(introduction=introduction, project=need.project,
                                  provider=introduction.provider, created_by=actor_user(actor))
    policies.require(actor, "create", collaboration)
    if introduction.status != IntroductionStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted introduction becomes a collaboration."),
                              code="introduction_not_accepted")
    if Collaboration.objects.filter(introduction=introduction).exists():
        raise ValidationError(_("This introduction is already a collaboration."),
                              code="already_collaborating")
    COLLABORATION_WORKFLOW.set_initial(collaboration, CollaborationStatus.ACTIVE)
    for name in TERMS:
        if name in data:
            setattr(collaboration, name, data[name])
    _check_dates(collaboration)
    collaboration.full_clean(exclude=["introduction", "project", "provider", "created_by",
                                      "status"])
    try:
        with transaction.atomic():
            collaboration.save()
    except IntegrityError as exc:
        raise ValidationError(_("This introduction is already a collaboration."),
                              code="already_collaborating") from exc
    managers = {u.pk: u for u in (introduction.introduced_by, need.posted_by,
                                  None if is_system(actor) else actor_user(actor)) if u}
    collaboration.managers.set(list(managers.values()))
    record_change(actor=actor, obj=collaboration, action=ObjectChange.Action.CREATE,
                  before=None, related=introduction)
    return collaboration


@transaction.atomic
def update_collaboration(collaboration, *, actor, **data) -> Collaboration:
    """Change the terms or record the outcome while the collaboration is in progress."""
    collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    policies.require(actor, "change", collaboration)
    if collaboration.status != CollaborationStatus.ACTIVE:
        raise ValidationError(_("Only a collaboration in progress can be changed."),
                              code="collaboration_closed")
    before = snapshot(collaboration)
    for name in TERMS:
        if name in data:
            setattr(collaboration, name, data[name])
    _check_dates(collaboration)
    collaboration.full_clean(exclude=["introduction", "project", "provider", "created_by",
                                      "status"])
    collaboration.save()
    record_change(actor=actor, obj=collaboration, action=ObjectChange.Action.UPDATE,
                  before=before, related=collaboration.introduction)
    return collaboration


def step(collaboration, target: str, *, actor, reason: str = "") -> Collaboration:
    """Complete (rating window opens, both sides told) or cancel."""
    policies.require(actor, VIEW, collaboration)
    with transaction.atomic():
        COLLABORATION_WORKFLOW.transition(collaboration, target, actor=actor, reason=reason)
        if target == CollaborationStatus.COMPLETED:
            notifications.notify(
                [*collaboration.managers.all(), *provider_users(collaboration.provider)],
                kind=notices.RATING_DUE.key, about=collaboration,
                subject=gettext_lazy("Rate the collaboration %(name)s by %(date)s"),
                params={"name": str(collaboration),
                        "date": collaboration.rating_closes_on.isoformat()},
                url=collaboration.get_absolute_url())
    return collaboration


@transaction.atomic
def add_document(collaboration, *, actor, title: str, upload) -> CollaborationDocument:
    from tmhub.transfer.services.achievements import check_attachment

    policies.require(actor, VIEW, collaboration)
    policies.require(actor, "add_document", collaboration)
    name = check_attachment(upload)
    document = CollaborationDocument(collaboration=collaboration, title=title or name,
                                     original_name=name, uploaded_by=actor_user(actor))
    document.file.save(name, upload, save=False)
    document.save()
    record_change(actor=actor, obj=document, action=ObjectChange.Action.CREATE, before=None,
                  related=collaboration)
    return document


def _clean_scores(side, scores) -> dict:
    wanted = CRITERIA[side]
    errors = {}
    clean = {}
    for code in wanted:
        value = (scores or {}).get(code)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or str(number) != str(value).strip() or not 1 <= number <= 5:
            errors[code] = ValidationError(_("Give a whole score from 1 to 5."),
                                           code="score_range")
        else:
            clean[code] = number
    unknown = set(scores or {}) - set(wanted)
    if unknown:
        errors["scores"] = ValidationError(_("Unknown criteria: %(names)s")
                                           % {"names": ", ".join(sorted(unknown))},
                                           code="unknown_criterion")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def rate(collaboration, *, actor, scores: dict, comment: str = "") -> Rating:
    """One side's rating (1–5 on each of its criteria, a comment), once, after completion
    and before the window closes; only a manager of the collaboration or a user of its
    provider rates. Both sides rated: the ratings are released."""
    policies.require(actor, VIEW, collaboration)
    collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    side = rater_side(get_scope(actor), collaboration)
    if side is None:
        raise ValidationError(_("Only the collaboration's managers and its provider rate it."),
                              code="not_a_party")
    if collaboration.status != CollaborationStatus.COMPLETED:
        raise ValidationError(_("A collaboration is rated once it is completed."),
                              code="not_completed")
    if collaboration.rating_closes_on < timezone.localdate():
        raise ValidationError(_("The rating window has closed."), code="window_closed")
    if collaboration.ratings.filter(rater_side=side).exists():
        raise ValidationError(_("Your side has already rated this collaboration."),
                              code="already_rated")
    clean = _clean_scores(side, scores)
    overall = (Decimal(sum(clean.values())) / len(clean)).quantize(Decimal("0.01"),
                                                                    ROUND_HALF_UP)
    rating = Rating(collaboration=collaboration, rater_side=side, scores=clean,
                    overall=overall, comment=comment or "", rated_by=actor_user(actor))
    rating.full_clean(exclude=["collaboration", "rated_by"])
    rating.save()
    record_change(actor=actor, obj=rating, action=ObjectChange.Action.CREATE, before=None,
                  related=collaboration)
    if collaboration.ratings.count() == len(RaterSide.values):
        before = snapshot(collaboration)
        collaboration.ratings_released_at = timezone.now()
        collaboration.save(update_fields=["ratings_released_at", "updated_at"])
        record_change(actor=actor, obj=collaboration, action=ObjectChange.Action.UPDATE,
                      before=before, related=collaboration.introduction)
    return rating
