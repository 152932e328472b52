"""The use of rating results (issue 17 item 4): a manager's latest published rating cited by
their title application, the latest rating shown on the annual filing and on an institution's
registry page, and a round's results exported for appointments and performance reviews.

Who may do and see what is decided in policies_rating_use.py (and, for reading a rating
itself, policies_ratings.py); every write here checks the application's policy and is
audited in the application's history, as representative works are (services/works.py)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_scope
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.evaluation.models import (
    Indicator,
    Rating,
    RatingEvidence,
    RatingItem,
    RatingRound,
    TitleApplication,
)
from tmhub.evaluation.policies_rating_use import export_q
from tmhub.evaluation.rating_choices import RatingObjectionStatus, RoundStatus, SubjectKind

CENT = Decimal("0.01")
# Newest cut-off first; of two rounds with the same cut-off, the one published last.
LATEST_FIRST = ("-round__period_end", "-round__published_at", "-id")


def _cent(value) -> str:
    return str(Decimal(value).quantize(CENT, ROUND_HALF_UP))


# ---------------------------------------------------------------- the latest rating
def latest_published(kind: str, subject_id: int | None) -> Rating | None:
    """The subject's rating in the published round with the latest cut-off (or None)."""
    if subject_id is None:
        return None
    key = "manager_id" if kind == SubjectKind.MANAGER else "institution_id"
    return (Rating.objects.filter(subject_kind=kind, round__status=RoundStatus.PUBLISHED,
                                  **{key: subject_id})
            .select_related("round", "system").order_by(*LATEST_FIRST).first())


def dimension_scores(rating: Rating) -> list[dict]:
    """The top level of the rating's tree (its dimensions) with their weights, points and
    contributions, in the tree's order."""
    items = {i.indicator_id: i for i in RatingItem.objects.filter(
        rating=rating, indicator__parent__isnull=True)}
    rows = []
    for node in Indicator.objects.filter(system_id=rating.system_id, parent__isnull=True) \
            .order_by("order", "id"):
        item = items.get(node.pk)
        rows.append({"code": node.code, "name_zh": node.name_zh, "name_en": node.name_en,
                     "weight": _cent(node.weight),
                     "points": _cent(item.points if item else 0),
                     "contribution": _cent(item.contribution if item else 0)})
    return rows


def _figures_of(rating: Rating) -> dict:
    """The snapshot's fields, read from the rating (never typed)."""
    system = rating.system
    level_zh = level_en = ""
    for band in system.levels or []:
        if band.get("code") == rating.level:
            level_zh, level_en = band.get("name_zh", ""), band.get("name_en", "")
    return {"rating": rating, "round_name": rating.round.name,
            "system_name_zh": system.name_zh, "system_name_en": system.name_en,
            "system_version": system.version, "cutoff": rating.round.cutoff,
            "total": rating.total, "level": rating.level, "level_name_zh": level_zh,
            "level_name_en": level_en, "dimensions": dimension_scores(rating),
            "rating_computed_at": rating.computed_at}


# ---------------------------------------------------------------- title evidence
def attachable_rating(application: TitleApplication) -> Rating | None:
    """The rating the applicant may cite: their own latest published one."""
    return latest_published(SubjectKind.MANAGER, application.applicant.user_id)


def is_stale(evidence: RatingEvidence | None) -> bool:
    """Was the cited rating computed again since it was attached (an upheld objection)?"""
    if evidence is None or evidence.rating_id is None:
        return False
    # read afresh unless the caller loaded it with the evidence (lists: select_related)
    computed_at = Rating.objects.filter(pk=evidence.rating_id).values_list(
        "computed_at", flat=True).first() if not RatingEvidence.rating.is_cached(evidence) \
        else evidence.rating.computed_at
    return computed_at is not None and computed_at != evidence.rating_computed_at


def _objection_open(rating_id) -> bool:
    from tmhub.evaluation.models import RatingObjection

    return RatingObjection.objects.filter(rating_id=rating_id,
                                          status=RatingObjectionStatus.OPEN).exists()


def _editable(application, actor) -> TitleApplication:
    policies.require(actor, CHANGE, application)
    application = TitleApplication.objects.select_for_update().select_related(
        "applicant").get(pk=application.pk)
    if not policies.allows(actor, CHANGE, application):
        raise ValidationError(_("Only a draft or a returned application can be changed."),
                              code="not_editable")
    return application


@transaction.atomic
def attach_rating(application: TitleApplication, *, actor, rating_id) -> RatingEvidence:
    """Cite the applicant's latest published rating; its figures are copied now (see
    models/rating_evidence.py for why). Attaching again replaces the snapshot."""
    application = _editable(application, actor)
    try:
        rating_id = int(rating_id)
    except (TypeError, ValueError):
        rating_id = None
    # Another person's rating is answered as a missing one: its existence does not leak.
    rating = Rating.objects.select_related("round", "system").filter(
        pk=rating_id, subject_kind=SubjectKind.MANAGER,
        manager_id=application.applicant.user_id).first() if rating_id else None
    if rating is None:
        raise field_error("rating", _("Pick your own rating."), "not_your_rating")
    if rating.round.status != RoundStatus.PUBLISHED:
        raise field_error("rating", _("Only a rating of a published round can be cited."),
                          "round_not_published")
    latest = attachable_rating(application)
    if latest is None or latest.pk != rating.pk:
        raise field_error("rating", _("Cite your latest published rating."), "not_latest")
    if _objection_open(rating.pk):
        raise field_error("rating", _("An objection to this rating is being resolved: its "
                                      "figures may still change."), "objection_open")
    figures = _figures_of(rating)
    evidence = RatingEvidence.objects.filter(application=application).first()
    before = snapshot(evidence) if evidence else None
    if evidence is None:
        evidence = RatingEvidence(application=application)
    for name, value in figures.items():
        setattr(evidence, name, value)
    evidence.attached_by = actor_user(actor)
    evidence.attached_at = timezone.now()
    evidence.save()
    record_change(actor=actor, obj=evidence, before=before, related=application,
                  action=ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE)
    return evidence


@transaction.atomic
def detach_rating(application: TitleApplication, *, actor) -> None:
    application = _editable(application, actor)
    evidence = RatingEvidence.objects.filter(application=application).first()
    if evidence is None:
        raise ValidationError(_("No rating is cited."), code="nothing_cited")
    record_change(actor=actor, obj=evidence, action=ObjectChange.Action.DELETE,
                  before=snapshot(evidence), related=application)
    evidence.delete()


def check_evidence_current(application: TitleApplication) -> None:
    """Guard of the submission: the cited figures are what the rating says now."""
    evidence = RatingEvidence.objects.filter(application=application).first()
    if evidence is None:
        return
    if is_stale(evidence):
        raise field_error("rating", _("The cited rating was computed again after an "
                                      "objection: attach it again (or remove it) before "
                                      "submitting."), "rating_stale")
    if evidence.rating_id and _objection_open(evidence.rating_id):
        raise field_error("rating", _("An objection to the cited rating is being resolved: "
                                      "wait for the outcome, or remove the rating, before "
                                      "submitting."), "rating_objection_open")


# ---------------------------------------------------------------- exports
def exportable_rounds(user):
    """Published rounds whose results `user` may export (newest first)."""
    from tmhub.evaluation.policies_rating_use import may_export_results

    if not may_export_results(get_scope(user)):
        return RatingRound.objects.none()
    return RatingRound.objects.filter(status=RoundStatus.PUBLISHED).order_by(
        "-period_end", "-id")


def exported_ratings(round_: RatingRound, user, kind: str):
    """The round's ratings of `kind` in `user`'s export scope (policies_rating_use.export_q)."""
    condition = export_q(get_scope(user), kind)
    if condition is None:
        return Rating.objects.none()
    queryset = Rating.objects.filter(round=round_, subject_kind=kind)
    if condition is not True:
        queryset = queryset.filter(condition)
    return queryset.select_related("manager__manager_profile", "institution", "employer",
                                   "round", "system").order_by("-total", "id")


def _system_of(round_: RatingRound, kind: str):
    return round_.manager_system if kind == SubjectKind.MANAGER else round_.institution_system


def export_columns(round_: RatingRound, kind: str, ratings) -> list[ExportColumn]:
    """Subject, institution, total, level, each dimension's points, cut-off. The points of
    every dimension are read in one query for all the exported ratings."""
    system = _system_of(round_, kind)
    dimensions = list(Indicator.objects.filter(system=system, parent__isnull=True)
                      .order_by("order", "id")) if system else []
    points: dict[tuple[int, int], Decimal] = {}
    ids = [r.pk for r in ratings]
    for start in range(0, len(ids), 5000):
        for rating_id, indicator_id, value in RatingItem.objects.filter(
                rating_id__in=ids[start:start + 5000], indicator__parent__isnull=True
        ).values_list("rating_id", "indicator_id", "points"):
            points[(rating_id, indicator_id)] = value

    def dimension(node):
        return lambda r: float(Decimal(points.get((r.pk, node.pk), 0)).quantize(CENT))

    def institution(r):
        if kind == SubjectKind.INSTITUTION:
            return r.institution.name if r.institution else ""
        return r.employer.name if r.employer else ""

    return [
        ExportColumn(gettext_lazy("Rated subject"), lambda r: r.subject_name),
        ExportColumn(gettext_lazy("Institution"), institution),
        ExportColumn(gettext_lazy("Total (0–100)"), lambda r: float(r.total)),
        ExportColumn(gettext_lazy("Level"), lambda r: r.level_name),
        *[ExportColumn(node.name, dimension(node)) for node in dimensions],
        ExportColumn(gettext_lazy("Cut-off date"), lambda r: r.round.cutoff),
    ]


def people_of(ratings) -> list:
    """The managers' profiles among exported ratings (the personal-data access log's rows)."""
    return [r.manager.manager_profile for r in ratings
            if r.subject_kind == SubjectKind.MANAGER and r.manager_id
            and getattr(r.manager, "manager_profile", None) is not None]


def dossier_rows(application: TitleApplication) -> list[tuple[str, str]]:
    """(label, value) of the cited rating for the dossier: the figures kept when it was
    cited, then one row per dimension (weight, points, contribution)."""
    evidence = RatingEvidence.objects.filter(application=application).first()
    if evidence is None:
        return [("", _("No rating cited."))]
    rows = [(_("Rating round"), evidence.round_name),
            (_("Indicator system"), _("%(name)s (version %(version)s)") % {
                "name": evidence.system_name, "version": evidence.system_version}),
            (_("Cut-off date"), evidence.cutoff.isoformat()),
            (_("Total (0–100)"), str(evidence.total)),
            (_("Level"), evidence.level_name or "—"),
            (_("Cited at"), timezone.localtime(evidence.attached_at).strftime("%Y-%m-%d %H:%M"))]
    for d in evidence.dimension_rows():
        rows.append((_("%(name)s (weight %(weight)s%%)") % {"name": d["name"],
                                                            "weight": d["weight"]},
                     _("%(points)s points, %(contribution)s of the total") % {
                         "points": d["points"], "contribution": d["contribution"]}))
    return rows
