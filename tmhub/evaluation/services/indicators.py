"""Every write to indicator systems (issue 17 item 1): create a draft, edit its tree, publish
it (weights checked, then frozen), copy a version into a new draft.

Each write checks the policy (the city keeps the systems), validates, saves and audits in one
transaction. A published version is refused here with code `version_frozen`, and again by the
model itself (`FrozenVersionError`)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics, policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.evaluation import scoring
from tmhub.evaluation.models import FrozenVersionError, Indicator, IndicatorSystem
from tmhub.evaluation.rating_choices import IndicatorKind, RatingEvent, SubjectKind, SystemStatus

SYSTEM_FIELDS = ("name_zh", "name_en", "basis", "levels")
INDICATOR_FIELDS = ("code", "kind", "name_zh", "name_en", "weight", "order", "metric_key",
                    "curve", "guidance")
# The registry's subjects each kind of system may read.
METRIC_SUBJECTS = {SubjectKind.MANAGER: ("manager",),
                   SubjectKind.INSTITUTION: ("institution", "organization")}


def metrics_for(subject_kind: str) -> list[metrics.Metric]:
    """The registry's figures an indicator of a `subject_kind` system may read."""
    subjects = METRIC_SUBJECTS.get(subject_kind, ())
    return [m for m in metrics.all_metrics() if m.subject in subjects]


def scoring_value(metric: metrics.Metric, value) -> Decimal:
    """A metric's value in the unit curves are written in: money in yuan, the rest as is."""
    value = Decimal(str(value or 0))
    return value / 100 if metric.unit == metrics.FEN else value


# ---------------------------------------------------------------- reading
def tree_of(system: IndicatorSystem) -> tuple[scoring.Node, ...]:
    """The system's tree as `scoring.Node`s (one query)."""
    rows = list(Indicator.objects.filter(system=system).order_by("order", "id"))
    by_parent: dict[int | None, list[Indicator]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def build(row: Indicator) -> scoring.Node:
        curve = None
        if row.kind == IndicatorKind.COMPUTED:
            try:
                curve = scoring.curve_from_data(row.curve)
            except scoring.CurveError:
                curve = None
        return scoring.Node(code=row.code, kind=row.kind, weight=row.weight, curve=curve,
                            name=row.name,
                            children=tuple(build(c) for c in by_parent.get(row.pk, ())))

    return tuple(build(row) for row in by_parent.get(None, ()))


def bands_of(system: IndicatorSystem) -> tuple[scoring.Band, ...]:
    return tuple(scoring.Band(b["code"], Decimal(str(b["min"]))) for b in system.level_bands())


# ---------------------------------------------------------------- validation
def _validate_levels(levels) -> None:
    if not isinstance(levels, list):
        raise field_error("levels", _("Levels are a list of bands."), "levels_invalid")
    seen = set()
    for band in levels:
        try:
            minimum = Decimal(str(band["min"]))
            code = str(band["code"]).strip()
            name = str(band["name_zh"]).strip()
        except (KeyError, TypeError, ArithmeticError) as exc:
            raise field_error("levels", _("Each level needs a code, a Chinese name and a "
                                          "minimum total."), "levels_invalid") from exc
        if not code or not name or not Decimal(0) <= minimum <= Decimal(100):
            raise field_error("levels", _("Each level needs a code, a Chinese name and a "
                                          "minimum total between 0 and 100."),
                              "levels_invalid")
        if code in seen:
            raise field_error("levels", _("Two levels share the code %(code)s.")
                              % {"code": code}, "levels_invalid")
        seen.add(code)


def _refuse_frozen(system: IndicatorSystem) -> None:
    if system.status == SystemStatus.PUBLISHED:
        raise FrozenVersionError()


def _validate_indicator(system: IndicatorSystem, indicator: Indicator) -> None:
    indicator.full_clean(exclude=["system", "parent"])
    if indicator.parent_id is not None:
        parent = indicator.parent
        if parent.system_id != system.pk or parent.kind != IndicatorKind.DIMENSION:
            raise field_error("parent", _("An indicator sits under a dimension of the same "
                                          "system."), "parent_invalid")
        if indicator.pk is not None and (parent.pk == indicator.pk):
            raise field_error("parent", _("An indicator cannot sit under itself."),
                              "parent_invalid")
    if indicator.kind == IndicatorKind.COMPUTED:
        allowed = {m.key for m in metrics_for(system.subject_kind)}
        if indicator.metric_key not in allowed:
            raise field_error("metric_key", _("Choose a figure of the metrics registry about "
                                              "this system's subjects."), "metric_unknown")
        try:
            scoring.curve_from_data(indicator.curve)
        except scoring.CurveError as exc:
            raise field_error("curve", str(exc), "curve_invalid") from exc
    else:
        indicator.metric_key = ""
        indicator.curve = {}
    if indicator.kind != IndicatorKind.DIMENSION and indicator.pk is not None and \
            indicator.children.exists():
        raise field_error("kind", _("A node with indicators under it is a dimension."),
                          "has_children")


# ---------------------------------------------------------------- systems
@transaction.atomic
def create_system(*, actor, code: str, name_zh: str, subject_kind: str, name_en: str = "",
                  basis: str = "", levels=None) -> IndicatorSystem:
    """A new draft system (version 1 of `code`)."""
    system = IndicatorSystem(code=code, name_zh=name_zh, name_en=name_en,
                             subject_kind=subject_kind, basis=basis, levels=levels or [],
                             created_by=actor_user(actor))
    policies.require(actor, "create", system)
    if IndicatorSystem.objects.filter(code=code).exists():
        raise field_error("code", _("A system with this code exists: make a new version of "
                                    "it instead."), "code_taken")
    _validate_levels(system.levels)
    system.full_clean()
    system.save()
    record_change(actor=actor, obj=system, action=ObjectChange.Action.CREATE, before=None)
    return system


@transaction.atomic
def update_system(system: IndicatorSystem, *, actor, **values) -> IndicatorSystem:
    policies.require(actor, "change", system)
    system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
    _refuse_frozen(system)
    before = snapshot(system)
    for key in SYSTEM_FIELDS:
        if key in values:
            setattr(system, key, values[key])
    _validate_levels(system.levels)
    system.full_clean()
    system.save()
    record_change(actor=actor, obj=system, action=ObjectChange.Action.UPDATE, before=before)
    return system


@transaction.atomic
def add_indicator(system: IndicatorSystem, *, actor, parent: Indicator | None = None,
                  **values) -> Indicator:
    policies.require(actor, "change", system)
    system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
    _refuse_frozen(system)
    indicator = Indicator(system=system, parent=parent,
                          **{k: v for k, v in values.items() if k in INDICATOR_FIELDS})
    if Indicator.objects.filter(system=system, code=indicator.code).exists():
        raise field_error("code", _("Another node of this system has this code."),
                          "code_taken")
    _validate_indicator(system, indicator)
    indicator.save()
    record_change(actor=actor, obj=indicator, action=ObjectChange.Action.CREATE, before=None,
                  related=system)
    return indicator


@transaction.atomic
def update_indicator(indicator: Indicator, *, actor, **values) -> Indicator:
    system = IndicatorSystem.objects.select_for_update().get(pk=indicator.system_id)
    policies.require(actor, "change", system)
    _refuse_frozen(system)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = snapshot(indicator)
    for key in INDICATOR_FIELDS:
        if key in values:
            setattr(indicator, key, values[key])
    if "parent" in values:
        indicator.parent = values["parent"]
    _validate_indicator(system, indicator)
    indicator.save()
    record_change(actor=actor, obj=indicator, action=ObjectChange.Action.UPDATE,
                  before=before, related=system)
    return indicator


def weight_field(indicator: Indicator) -> str:
    """The form field (and error key) of one node's weight on the weights page."""
    return f"weight_{indicator.pk}"


@transaction.atomic
def set_weights(system: IndicatorSystem, *, actor, weights: dict[int, Decimal]) -> int:
    """Give a draft's nodes new weights at once ({indicator id: percent}); every level must
    sum to 100, else a field error on each weight of that level (nothing is saved). Each
    changed node is audited. Answers how many changed."""
    policies.require(actor, "change", system)
    system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
    _refuse_frozen(system)
    rows = list(Indicator.objects.filter(system=system))
    proposed = {row.pk: Decimal(str(weights.get(row.pk, row.weight))) for row in rows}
    levels: dict[int | None, list[Indicator]] = {}
    for row in rows:
        levels.setdefault(row.parent_id, []).append(row)
    errors: dict[str, list[ValidationError]] = {}
    for _parent, siblings in levels.items():
        total = sum((proposed[row.pk] for row in siblings), Decimal(0))
        if total != scoring.HUNDRED:
            message = _("The weights at this level sum to %(sum)s%%, not 100%%.") % {
                "sum": scoring.shown(total)}
            for row in siblings:
                errors[weight_field(row)] = [ValidationError(message, code="weights_not_100")]
    for row in rows:
        if not Decimal(0) <= proposed[row.pk] <= scoring.HUNDRED:
            errors[weight_field(row)] = [ValidationError(
                _("A weight lies between 0 and 100."), code="weight_range")]
    if errors:
        raise ValidationError(errors)
    changed = 0
    for row in rows:
        if proposed[row.pk] != row.weight:
            before = snapshot(row)
            row.weight = proposed[row.pk]
            row.save(update_fields=["weight"])
            record_change(actor=actor, obj=row, action=ObjectChange.Action.UPDATE,
                          before=before, related=system)
            changed += 1
    return changed


@transaction.atomic
def remove_indicator(indicator: Indicator, *, actor) -> None:
    system = IndicatorSystem.objects.select_for_update().get(pk=indicator.system_id)
    policies.require(actor, "change", system)
    _refuse_frozen(system)
    if indicator.children.exists():
        raise ValidationError(_("Remove the indicators under this dimension first."),
                              code="has_children")
    before = snapshot(indicator)
    record_change(actor=actor, obj=indicator, action=ObjectChange.Action.DELETE,
                  before=before, related=system)
    indicator.delete()


def publication_errors(system: IndicatorSystem) -> dict[str, list[str]]:
    """What stops `system` from being published, by field (empty: it may be)."""
    errors: dict[str, list[str]] = {}
    rows = list(Indicator.objects.filter(system=system))
    names = {row.code: row.name for row in rows}
    tree = tree_of(system)
    if not tree:
        errors.setdefault("indicators", []).append(_("Add the dimensions and indicators."))
    for parent, found in scoring.weight_errors(tree) if tree else ():
        if parent is None:
            message = _("The weights of the top-level dimensions sum to %(sum)s%%, not 100%%.") \
                % {"sum": scoring.shown(found)}
        else:
            message = _("The weights under “%(node)s” sum to %(sum)s%%, not 100%%.") % {
                "node": names.get(parent, parent), "sum": scoring.shown(found)}
        errors.setdefault("weight", []).append(message)
    for row in rows:
        if row.kind == IndicatorKind.COMPUTED:
            try:
                scoring.curve_from_data(row.curve)
            except scoring.CurveError as exc:
                errors.setdefault("curve", []).append(f"{row.name}: {exc}")
    if not system.levels:
        errors.setdefault("levels", []).append(_("Give the levels of the total."))
    return errors


@transaction.atomic
def publish_system(system: IndicatorSystem, *, actor) -> IndicatorSystem:
    """Check the weights (100 at every level), then freeze the version."""
    policies.require(actor, "publish", system)
    system = IndicatorSystem.objects.select_for_update().get(pk=system.pk)
    _refuse_frozen(system)
    errors = publication_errors(system)
    if errors:
        raise ValidationError({field: [ValidationError(m, code=f"{field}_invalid"
                                                       if field != "weight"
                                                       else "weights_not_100")
                                       for m in messages]
                               for field, messages in errors.items()})
    before = snapshot(system)
    system.status = SystemStatus.PUBLISHED
    system.published_at = timezone.now()
    system.save()
    record_change(actor=actor, obj=system, action=ObjectChange.Action.UPDATE, before=before)
    record_event(actor=actor, obj=system, event_type=RatingEvent.SYSTEM_PUBLISHED,
                 from_state=SystemStatus.DRAFT, to_state=SystemStatus.PUBLISHED)
    return system


@transaction.atomic
def new_version(system: IndicatorSystem, *, actor) -> IndicatorSystem:
    """A draft copy of `system` (its tree, levels and basis) as the next version of its code;
    the copy is the city's own, no longer a template."""
    policies.require(actor, "copy", system)
    latest = IndicatorSystem.objects.filter(code=system.code).aggregate(v=Max("version"))["v"]
    copy = IndicatorSystem(code=system.code, version=(latest or 0) + 1, name_zh=system.name_zh,
                           name_en=system.name_en, subject_kind=system.subject_kind,
                           basis=system.basis, levels=system.levels, is_template=False,
                           copied_from=system, created_by=actor_user(actor))
    copy.save()
    rows = list(Indicator.objects.filter(system=system).order_by("id"))
    new_ids: dict[int, int] = {}
    pending = rows
    while pending:  # parents before children, one INSERT per depth
        ready = [r for r in pending if r.parent_id is None or r.parent_id in new_ids]
        made = Indicator.objects.bulk_create([
            Indicator(system=copy, parent_id=new_ids.get(r.parent_id), code=r.code,
                      kind=r.kind, name_zh=r.name_zh, name_en=r.name_en, weight=r.weight,
                      order=r.order, metric_key=r.metric_key, curve=r.curve,
                      guidance=r.guidance) for r in ready])
        for old, new in zip(ready, made, strict=True):
            new_ids[old.pk] = new.pk
        pending = [r for r in pending if r.pk not in new_ids]
    record_change(actor=actor, obj=copy, action=ObjectChange.Action.CREATE, before=None,
                  related=system)
    return copy
