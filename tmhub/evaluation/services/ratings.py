"""Every write to rating rounds, reviewer scores, ratings and objections (issue 17 items 2–4).

The computation (`run_computation`, the Celery job of tmhub.evaluation.tasks) reads every
computed indicator from the metrics registry over the round's period — one set-based query per
metric for all subjects at once, so records dated after the cut-off never count — and the
reviewers' scores, scores the tree (`tmhub.evaluation.scoring`) and writes the ratings in bulk,
a chunk at a time, storing its progress on the round. The same records and scores give the
same ratings however often it runs. Its audit is the round's workflow events (the job's rows
are written in bulk); scores and objections are audited one by one."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics, policies
from tmhub.core.actors import SYSTEM, actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.evaluation import scoring
from tmhub.evaluation.models import (
    Indicator,
    IndicatorSystem,
    Rating,
    RatingItem,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import (
    IndicatorKind,
    RatingEvent,
    RatingObjectionStatus,
    RoundPurpose,
    RoundRunner,
    RoundStatus,
    SubjectKind,
)
from tmhub.evaluation.rating_workflows import ROUND_WORKFLOW
from tmhub.evaluation.services.indicators import bands_of, scoring_value, tree_of

log = logging.getLogger(__name__)

CHUNK = 2000  # subjects written per INSERT batch (and per progress update)
REVIEWABLE = (RoundStatus.OPEN, RoundStatus.COMPUTED)
ROUND_FIELDS = ("name", "period_start", "period_end", "manager_system", "institution_system",
                "objection_days", "purpose", "subject_filter")
FILTER_KEYS = ("districts", "institution_kinds", "institutions", "fields")


def runner_for(organization) -> str:
    """Who runs a round set up for `organization` (None: the city)."""
    from tmhub.core.choices import EVALUATION_KINDS, RESEARCH_KINDS

    if organization is None:
        return RoundRunner.CITY
    if organization.kind in EVALUATION_KINDS:
        return RoundRunner.ORGANISATION
    if organization.kind in RESEARCH_KINDS:
        return RoundRunner.INTERNAL
    raise field_error("organization", _("Only the city, an accredited evaluation organisation "
                                        "or a university, institute or hospital (for its own "
                                        "staff) runs a round."), "runner_invalid")


def clean_subject_filter(data) -> dict:
    """The round's subject filter with known keys only, ids as ints, kinds checked."""
    from tmhub.core.choices import OrgKind

    if not data:
        return {}
    if not isinstance(data, dict) or set(data) - set(FILTER_KEYS):
        raise field_error("subject_filter", _("Filter the subjects by districts, kinds of "
                                              "institution, institutions or fields."),
                          "filter_invalid")
    cleaned = {}
    for key in FILTER_KEYS:
        values = data.get(key) or []
        if not isinstance(values, list | tuple):
            raise field_error("subject_filter", _("Each criterion is a list."),
                              "filter_invalid")
        try:
            values = sorted({str(v) if key == "institution_kinds" else int(v) for v in values})
        except (TypeError, ValueError) as exc:
            raise field_error("subject_filter", _("Give the ids of what to filter by."),
                              "filter_invalid") from exc
        if key == "institution_kinds" and set(values) - set(OrgKind.values):
            raise field_error("subject_filter", _("Unknown kind of institution."),
                              "filter_invalid")
        if values:
            cleaned[key] = values
    return cleaned


# ---------------------------------------------------------------- rounds
def _validate_round(round_: RatingRound) -> None:
    round_.full_clean(exclude=["created_by"])
    if round_.period_end < round_.period_start:
        raise field_error("period_end", _("The period ends before it starts."),
                          "dates_reversed")
    if round_.manager_system_id is None and round_.institution_system_id is None:
        raise field_error("manager_system", _("Choose the indicator system of the managers "
                                              "or of the institutions."), "no_system")
    for field, kind in (("manager_system", SubjectKind.MANAGER),
                        ("institution_system", SubjectKind.INSTITUTION)):
        system = getattr(round_, field)
        if system is None:
            continue
        if not system.is_published:
            raise field_error(field, _("Only a published indicator system can be used."),
                              "system_not_published")
        if system.subject_kind != kind:
            raise field_error(field, _("This system rates other subjects."),
                              "system_wrong_subject")
    if round_.runner == RoundRunner.INTERNAL:
        if round_.institution_system_id is not None:
            raise field_error("institution_system", _("An internal round rates the "
                                                      "institution's own managers only."),
                              "internal_managers_only")
        if round_.purpose not in RoundPurpose.values:
            raise field_error("purpose", _("Say what the internal round is for: an "
                                           "appointment or a performance review."),
                              "purpose_required")


@transaction.atomic
def create_round(*, actor, name: str, period_start, period_end,
                 manager_system: IndicatorSystem | None = None,
                 institution_system: IndicatorSystem | None = None,
                 objection_days: int = 15, organization=None, purpose: str = "",
                 subject_filter: dict | None = None) -> RatingRound:
    """Set up a round (a draft: reviewers are assigned, then it is opened), run by the city
    (no `organization`), by an accredited evaluation organisation, or by an institution
    internally for its own staff (`purpose`: appointment or performance review)."""
    round_ = RatingRound(name=name, period_start=period_start, period_end=period_end,
                         manager_system=manager_system, institution_system=institution_system,
                         objection_days=objection_days, created_by=actor_user(actor),
                         runner=runner_for(organization), organization=organization,
                         purpose=purpose or "",
                         subject_filter=clean_subject_filter(subject_filter))
    policies.require(actor, "create", round_)
    _validate_round(round_)
    round_.save()
    record_change(actor=actor, obj=round_, action=ObjectChange.Action.CREATE, before=None)
    return round_


@transaction.atomic
def step_round(round_: RatingRound, target: str, *, actor, reason: str = "") -> RatingRound:
    """Take one step of the round's workflow (open, compute, publish). Computing queues the
    job once the transaction commits (eager, in-process, without a broker)."""
    policies.require(actor, "view", round_)
    round_ = RatingRound.objects.select_for_update().get(pk=round_.pk)
    ROUND_WORKFLOW.transition(round_, target, actor=actor, reason=reason, locked=True)
    return round_


def subject_filter_labels(round_: RatingRound) -> list[tuple[str, list[str]]]:
    """The round's subject filter in words: [(criterion, [names])]."""
    from tmhub.core.choices import OrgKind
    from tmhub.core.models import District, IndustryField
    from tmhub.orgs.models import Organization

    chosen = round_.subject_filter or {}
    readers = {
        "districts": (_("districts"), lambda ids: District.objects.filter(pk__in=ids)),
        "institution_kinds": (_("kinds of institution"),
                              lambda kinds: [OrgKind(k).label for k in kinds]),
        "institutions": (_("institutions"), lambda ids: Organization.objects.filter(pk__in=ids)),
        "fields": (_("industry fields"), lambda ids: IndustryField.objects.filter(pk__in=ids)),
    }
    return [(str(readers[key][0]), [str(x) for x in readers[key][1](values)])
            for key, values in chosen.items() if key in readers and values]


def _manager_filter(round_: RatingRound) -> dict:
    chosen = round_.subject_filter or {}
    lookups = {"districts": "work_district_id__in", "institution_kinds": "employer__kind__in",
               "institutions": "employer_id__in", "fields": "fields__in"}
    found = {lookups[k]: v for k, v in chosen.items() if k in lookups}
    if round_.runner == RoundRunner.INTERNAL:  # its own staff only, whatever the filter
        found["employer_id"] = round_.organization_id
    return found


def _institution_filter(round_: RatingRound) -> dict:
    chosen = round_.subject_filter or {}
    lookups = {"districts": "organization__district_id__in",
               "institution_kinds": "organization__kind__in",
               "institutions": "organization_id__in", "fields": "organization__fields__in"}
    return {lookups[k]: v for k, v in chosen.items() if k in lookups}


def round_subjects(round_: RatingRound, kind: str) -> list[tuple[int, int | None]]:
    """[(subject id, employer id)] of everyone the round rates of `kind`, as registered on
    its cut-off day: managers whose registration is in force and dates from the cut-off or
    before; institutions whose registration was approved by then — narrowed by the round's
    subject filter, and to the institution's own staff for an internal round."""
    if kind == SubjectKind.MANAGER:
        from tmhub.talent.models import ManagerProfile

        return list(ManagerProfile.objects.filter(
            is_listed=True, registered_at__date__lte=round_.cutoff, **_manager_filter(round_))
            .order_by("user_id").values_list("user_id", "employer_id").distinct())
    from tmhub.orgs.choices import RegistrationStatus
    from tmhub.orgs.models import InstitutionRegistration

    ids = (InstitutionRegistration.objects.filter(
        status=RegistrationStatus.APPROVED, decided_at__date__lte=round_.cutoff,
        **_institution_filter(round_))
        .order_by("organization_id").values_list("organization_id", flat=True).distinct())
    return [(i, None) for i in ids]


# ---------------------------------------------------------------- the computation
class _Engine:
    """Scores subjects of one kind on one system for one round."""

    def __init__(self, round_: RatingRound, system: IndicatorSystem, *, as_of=None):
        self.round = round_
        self.system = system
        self.kind = system.subject_kind
        self.tree = tree_of(system)
        self.bands = bands_of(system)
        self.rows = {i.code: i for i in Indicator.objects.filter(system=system)}
        # As of the cut-off: records count by their own date within the period, and statuses
        # with a history (approvals, reversals, releases) as they stood at the end of it.
        self.period = metrics.Period(round_.period_start, round_.period_end,
                                     as_of=as_of or round_.cutoff)

    def evaluate(self, subject_ids: list[int]) -> dict[int, scoring.Result]:
        raw: dict[int, dict[str, Decimal]] = defaultdict(dict)
        by_metric: dict[str, dict[int, object]] = {}
        for code, row in self.rows.items():
            if row.kind != IndicatorKind.COMPUTED:
                continue
            metric = metrics.get(row.metric_key)
            if row.metric_key not in by_metric:
                by_metric[row.metric_key] = metric.found_among(subject_ids, self.period)
            for subject_id, value in by_metric[row.metric_key].items():
                raw[subject_id][code] = scoring_value(metric, value)
        reviews: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        subject_field = "manager_id" if self.kind == SubjectKind.MANAGER else "institution_id"
        scored = RatingReview.objects.filter(
            round=self.round, indicator__system=self.system, score__isnull=False)
        if len(subject_ids) <= metrics.IN_LIST_LIMIT:
            scored = scored.filter(**{f"{subject_field}__in": subject_ids})
        wanted = set(subject_ids)
        for subject_id, code, value in scored.order_by("id").values_list(
                subject_field, "indicator__code", "score"):
            if subject_id in wanted:
                reviews[subject_id][code].append(value)
        return {sid: scoring.score(self.tree, raw.get(sid, {}), reviews.get(sid, {}),
                                   self.bands) for sid in subject_ids}

    def items_of(self, rating_id: int, result: scoring.Result) -> list[RatingItem]:
        return [RatingItem(rating_id=rating_id, indicator_id=self.rows[code].pk,
                           metric_key=self.rows[code].metric_key, source=item.source,
                           raw_value=None if item.raw is None else item.raw.quantize(
                               scoring.FINE),
                           points=item.points.quantize(scoring.FINE),
                           contribution=item.contribution.quantize(scoring.FINE),
                           reviewer_count=item.reviewer_count)
                for code, item in result.items.items()]

    def subject_kwargs(self, subject_id: int) -> dict:
        key = "manager_id" if self.kind == SubjectKind.MANAGER else "institution_id"
        return {"subject_kind": self.kind, key: subject_id}


def _raw_delete(queryset) -> None:
    """Delete without loading rows or sending signals (the job's rows are bulk rows)."""
    queryset._raw_delete(queryset.db)


def _compute_kind(round_: RatingRound, system: IndicatorSystem, subjects, computed_at) -> int:
    engine = _Engine(round_, system)
    ids = [sid for sid, _employer in subjects]
    employer = dict(subjects)
    results = engine.evaluate(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        with transaction.atomic():
            made = Rating.objects.bulk_create([
                Rating(round=round_, system=system, employer_id=employer[sid],
                       total=results[sid].total, level=results[sid].level,
                       computed_at=computed_at, **engine.subject_kwargs(sid))
                for sid in chunk])
            RatingItem.objects.bulk_create(
                [item for rating, sid in zip(made, chunk, strict=True)
                 for item in engine.items_of(rating.pk, results[sid])], batch_size=5000)
            RatingRound.objects.filter(pk=round_.pk).update(
                progress_done=F("progress_done") + len(chunk))
    return len(ids)


def run_computation(round_id: int) -> int:
    """The job: rate every subject of the round, then move it to `computed` (as SYSTEM).
    Ratings of an earlier run of the round are replaced. Answers the ratings written."""
    round_ = RatingRound.objects.select_related("manager_system", "institution_system").get(
        pk=round_id)
    if round_.status != RoundStatus.COMPUTING:
        return 0
    try:
        plan = [(system, round_subjects(round_, system.subject_kind))
                for system in round_.systems()]
        with transaction.atomic():
            _raw_delete(RatingItem.objects.filter(rating__round=round_))
            _raw_delete(Rating.objects.filter(round=round_))
            RatingRound.objects.filter(pk=round_.pk).update(
                progress_done=0, progress_total=sum(len(s) for _sys, s in plan))
        computed_at = timezone.now()
        written = sum(_compute_kind(round_, system, subjects, computed_at)
                      for system, subjects in plan)
    except Exception as exc:  # the job must leave the round in a state the city can act on
        log.exception("rating round %s failed", round_id)
        round_ = RatingRound.objects.get(pk=round_id)
        round_.last_error = str(exc)[:500]
        ROUND_WORKFLOW.transition(round_, RoundStatus.OPEN, actor=SYSTEM,
                                  reason=str(exc)[:500])
        return 0
    round_ = RatingRound.objects.get(pk=round_id)
    ROUND_WORKFLOW.transition(round_, RoundStatus.COMPUTED, actor=SYSTEM,
                              data={"ratings": written, "cutoff": str(round_.cutoff)})
    return written


def _recompute_one(rating: Rating) -> Rating:
    """Rate one subject again (an upheld objection): same round, same system, same cut-off;
    the rating row stays (its objections hang on it), its items are replaced. Statuses are
    read as they stand today, so a correction recorded since the cut-off (a reversal, a late
    approval) is what the objection is upheld for."""
    engine = _Engine(rating.round, rating.system, as_of=timezone.localdate())
    result = engine.evaluate([rating.subject_id])[rating.subject_id]
    _raw_delete(RatingItem.objects.filter(rating=rating))
    RatingItem.objects.bulk_create(engine.items_of(rating.pk, result))
    Rating.objects.filter(pk=rating.pk).update(total=result.total, level=result.level,
                                               computed_at=timezone.now())
    rating.refresh_from_db()
    return rating


# ---------------------------------------------------------------- reviewers
def scored_indicators(round_: RatingRound):
    return Indicator.objects.filter(system__in=round_.systems(), kind=IndicatorKind.SCORED)


@transaction.atomic
def assign_reviewer(round_: RatingRound, *, actor, indicator: Indicator, reviewer,
                    subject_ids: Iterable[int] | None = None) -> int:
    """Ask `reviewer` (an expert user) to score `indicator` for the given subjects of the
    round (all of them by default). Answers how many new reviews were made."""
    from tmhub.core.access import get_scope
    from tmhub.core.roles import Role

    policies.require(actor, "run", round_)
    round_ = RatingRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status not in (RoundStatus.DRAFT, *REVIEWABLE):
        raise ValidationError(_("Reviewers are assigned before the round is published."),
                              code="round_closed")
    if indicator.kind != IndicatorKind.SCORED or indicator.system not in round_.systems():
        raise field_error("indicator", _("Choose an indicator of this round scored by "
                                         "reviewers."), "indicator_invalid")
    if not get_scope(reviewer).has_role(Role.REVIEWER):
        raise field_error("reviewer", _("Only a registered expert reviews."),
                          "not_a_reviewer")
    known = dict(round_subjects(round_, indicator.system.subject_kind))
    wanted = sorted(known if subject_ids is None else {int(i) for i in subject_ids} & set(known))
    key = "manager_id" if indicator.system.subject_kind == SubjectKind.MANAGER \
        else "institution_id"
    existing = set(RatingReview.objects.filter(round=round_, indicator=indicator,
                                               reviewer=reviewer)
                   .values_list(key, flat=True))
    new = [RatingReview(round=round_, indicator=indicator, reviewer=reviewer,
                        subject_kind=indicator.system.subject_kind, **{key: sid})
           for sid in wanted if sid not in existing]
    RatingReview.objects.bulk_create(new, batch_size=5000)
    record_event(actor=actor, obj=round_, event_type=RatingEvent.REVIEWERS_ASSIGNED,
                 data={"indicator": indicator.code, "reviewer": reviewer.pk,
                       "reviews": len(new)})
    return len(new)


@transaction.atomic
def enter_score(review: RatingReview, *, actor, score, comment: str = "") -> RatingReview:
    """The reviewer scores one indicator of one subject (0–100), while the round is open or
    computed (computing again takes the new score)."""
    policies.require(actor, "score", review)
    review = RatingReview.objects.select_for_update().select_related("round").get(pk=review.pk)
    if review.round.status not in REVIEWABLE:
        raise ValidationError(_("The round does not take scores now."), code="round_closed")
    try:
        value = Decimal(str(score))
    except ArithmeticError as exc:
        raise field_error("score", _("Give a score from 0 to 100."), "score_range") from exc
    if not Decimal(0) <= value <= Decimal(100):
        raise field_error("score", _("Give a score from 0 to 100."), "score_range")
    before = snapshot(review)
    review.score = value
    review.comment = (comment or "").strip()
    review.scored_at = timezone.now()
    review.full_clean()
    review.save()
    record_change(actor=actor, obj=review, action=ObjectChange.Action.UPDATE, before=before,
                  related=review.round)
    return review


# ---------------------------------------------------------------- objections
@transaction.atomic
def file_objection(rating: Rating, *, actor, text: str) -> RatingObjection:
    """The rated subject (the manager, or their institution's administrators for an
    institution) objects within the round's window."""
    policies.require(actor, "object", rating)
    round_ = rating.round
    until = round_.objections_until
    if round_.status != RoundStatus.PUBLISHED or until is None or \
            timezone.localdate() > until:
        raise ValidationError(_("Objections to this round were taken until %(until)s.")
                              % {"until": until or "—"}, code="objection_window_closed")
    if rating.objections.filter(status=RatingObjectionStatus.OPEN).exists():
        raise ValidationError(_("An objection to this rating is being resolved."),
                              code="objection_open")
    objection = RatingObjection(rating=rating, text=(text or "").strip(),
                                filed_by=actor_user(actor))
    if not objection.text:
        raise field_error("text", _("Say what is wrong with the rating."), "required")
    objection.full_clean()
    objection.save()
    record_change(actor=actor, obj=objection, action=ObjectChange.Action.CREATE, before=None,
                  related=rating)
    record_event(actor=actor, obj=objection, event_type=RatingEvent.OBJECTION_FILED,
                 to_state=RatingObjectionStatus.OPEN, related=rating)
    return objection


@transaction.atomic
def resolve_objection(objection: RatingObjection, *, actor, upheld: bool,
                      resolution: str = "") -> RatingObjection:
    """The city upholds (the subject is rated again over the same cut-off: corrected records
    and scores count) or rejects with a reason."""
    policies.require(actor, "resolve", objection)
    objection = RatingObjection.objects.select_for_update().get(pk=objection.pk)
    if not objection.is_open:
        raise ValidationError(_("This objection is resolved."), code="objection_resolved")
    resolution = (resolution or "").strip()
    if not upheld and not resolution:
        raise field_error("resolution", _("Give the reason for rejecting the objection."),
                          "reason_required")
    before = snapshot(objection)
    rating = Rating.objects.select_related("round", "system").get(pk=objection.rating_id)
    objection.total_before = rating.total
    data = {"total_before": str(rating.total), "level_before": rating.level}
    if upheld:
        rating = _recompute_one(rating)
        data.update(total_after=str(rating.total), level_after=rating.level)
    objection.status = RatingObjectionStatus.UPHELD if upheld else RatingObjectionStatus.REJECTED
    objection.resolution = resolution
    objection.resolved_by = actor_user(actor)
    objection.resolved_at = timezone.now()
    objection.save()
    record_change(actor=actor, obj=objection, action=ObjectChange.Action.UPDATE,
                  before=before, related=rating)
    record_event(actor=actor, obj=objection,
                 event_type=RatingEvent.OBJECTION_UPHELD if upheld
                 else RatingEvent.OBJECTION_REJECTED,
                 from_state=RatingObjectionStatus.OPEN, to_state=objection.status,
                 reason=resolution, data=data, related=rating)
    return objection


# ---------------------------------------------------------------- accreditation (item 6a)
@transaction.atomic
def accredit(*, actor, organization, reference: str, valid_from, valid_until=None,
             scope_note: str = ""):
    """The city accredits a social training and evaluation organisation to run rounds."""
    from tmhub.core.choices import EVALUATION_KINDS
    from tmhub.evaluation.models import EvaluationAccreditation

    accreditation = EvaluationAccreditation(
        organization=organization, reference=(reference or "").strip(), valid_from=valid_from,
        valid_until=valid_until, scope_note=(scope_note or "").strip(),
        granted_by=actor_user(actor))
    policies.require(actor, "create", accreditation)
    if organization.kind not in EVALUATION_KINDS:
        raise field_error("organization", _("Only a social training and evaluation "
                                            "organisation is accredited."), "not_evaluator")
    if valid_until is not None and valid_until < valid_from:
        raise field_error("valid_until", _("The accreditation ends before it starts."),
                          "dates_reversed")
    accreditation.full_clean()
    accreditation.save()
    record_change(actor=actor, obj=accreditation, action=ObjectChange.Action.CREATE,
                  before=None, related=organization)
    record_event(actor=actor, obj=accreditation, event_type=RatingEvent.ACCREDITATION_GRANTED,
                 data={"reference": accreditation.reference,
                       "valid_from": str(valid_from), "valid_until": str(valid_until or "")},
                 related=organization)
    return accreditation


@transaction.atomic
def revoke_accreditation(accreditation, *, actor, reason: str):
    """The city revokes an accreditation (the row stays; its rounds can no longer be run)."""
    policies.require(actor, "revoke", accreditation)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give the reason for revoking."), "reason_required")
    before = snapshot(accreditation)
    accreditation.revoked_at = timezone.now()
    accreditation.revoked_by = actor_user(actor)
    accreditation.revoke_reason = reason[:500]
    accreditation.save()
    record_change(actor=actor, obj=accreditation, action=ObjectChange.Action.UPDATE,
                  before=before, related=accreditation.organization)
    record_event(actor=actor, obj=accreditation, event_type=RatingEvent.ACCREDITATION_REVOKED,
                 reason=reason, related=accreditation.organization)
    return accreditation
