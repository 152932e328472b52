"""A record's history as people read it: one entry per action, in words.

The audit log (tmhub.core.audit) keeps raw values: ids, fen, ISO timestamps, choice codes,
state codes, event-type codes. Those stay raw in the Django admin. A record's detail page shows
`entries_for(obj, viewer)` instead, where

* the rows written by one request or job (one `operation_id`) make one entry: an approval
  that moved a status, stamped a date and listed a profile reads as one step;
* a field is named by its verbose name in the active language; a foreign key by the related
  record's name (looked up once per model for the whole page, not per row); a choice by its
  label; money stored in fen (a field named `*_fen`) in yuan; dates and times in Beijing time
  without seconds' fractions; booleans as yes/no;
* a workflow event is named by its event type's label and its states by the status field's
  labels (`Submitted → Registered`, never `submitted → registered`);
* fields the model keeps out of the log (`AUDIT_EXCLUDE`, such as encrypted ID numbers),
  fields derived for search, and fields the viewer's policy does not let them read on that
  record (`visible_fields`) are not shown at all.
"""

from __future__ import annotations

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tmhub.core import metrics, policies
from tmhub.core.audit import MASKED, history_for
from tmhub.core.models import ObjectChange

# How many audit rows of each layer a page reads; the entries are built from them.
ROWS_READ = 200
# Fields kept for the machine that say nothing to a reader: search indexes, row stamps, the
# edit counter that detects concurrent edits, the copy of a rule (its name is shown).
DERIVED_FIELDS = frozenset(
    {"search_text", "search_vector", "created_at", "updated_at", "version", "rule_snapshot"}
)
# A money field's verbose name may name its storage unit; the history shows yuan.
FEN_SUFFIXES = (" (fen)", "（分）", "(分)")
# JSON fields whose keys are field names of another model (the values before and after an
# identity change of an organisation).
JSON_KEY_MODELS = {
    ("orgs", "identitychangerequest", "old_values"): ("orgs", "organization"),
    ("orgs", "identitychangerequest", "new_values"): ("orgs", "organization"),
    ("talent", "managerregistration", "field_comments"): ("talent", "managerprofile"),
}
LONG_TEXT = 120  # characters of a long text shown before it is cut
# What happened to a record, as a history line says it (a context of its own: "Created" alone
# is a column heading elsewhere).
ACTIONS = {
    ObjectChange.Action.CREATE: lambda: pgettext("history action", "Created"),
    ObjectChange.Action.UPDATE: lambda: pgettext("history action", "Changed"),
    ObjectChange.Action.DELETE: lambda: pgettext("history action", "Deleted"),
}


@dataclass
class FieldChange:
    """One field of one change in words; `before` is None on a creation."""

    label: str
    before: str | None
    after: str


@dataclass
class ChangeLine:
    """One ObjectChange in words: what happened to which record, and its fields."""

    action: str
    subject: str  # the record's type and name when it is not the page's own record
    fields: list[FieldChange]


@dataclass
class StepLine:
    """One WorkflowEvent in words."""

    label: str
    source: str
    target: str
    subject: str


@dataclass
class Entry:
    """Everything one request or job wrote about the record."""

    time: datetime.datetime
    actor: str
    steps: list[StepLine] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    changes: list[ChangeLine] = field(default_factory=list)


# ----------------------------------------------------------------- labels
def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def event_labels() -> dict[str, object]:
    """Every typed event's label by its value: the `TextChoices` of every app's event types,
    found among the loaded choices (event types are dotted, `app.record.step`)."""
    labels = {}
    for choices in _all_subclasses(models.TextChoices):
        for member in choices:
            if "." in member.value:
                labels.setdefault(member.value, member.label)
    return labels


def _state_field(model, source: str, target: str):
    """The status field a workflow event moved: the model's workflow field (or any field with
    choices) whose choices hold both states."""
    names = getattr(model, "WORKFLOW_FIELDS", ())
    candidates = [model._meta.get_field(n) for n in names] + [
        f for f in model._meta.concrete_fields if f.choices and f.name not in names
    ]
    for candidate in candidates:
        keys = {str(k) for k in dict(candidate.flatchoices)}
        if {s for s in (source, target) if s} <= keys:
            return candidate
    return None


def _choice(model_field, value) -> str:
    labels = {str(k): v for k, v in model_field.flatchoices}
    return str(labels.get(str(value), value))


def field_label(model_field) -> str:
    label = str(model_field.verbose_name)
    if is_money(model_field):
        for suffix in FEN_SUFFIXES:
            if label.endswith(suffix):
                label = label[: -len(suffix)]
    return capfirst(label)


def is_money(model_field) -> bool:
    """Money is stored as whole fen in an integer field named `*_fen`."""
    return model_field.name.endswith("_fen") and isinstance(model_field, models.IntegerField)


def yuan(fen) -> str:
    """Fen as the pages show money: ¥1,234.00."""
    from tmhub.transfer.rewards_engine import format_fen  # the one money formatter

    fen = int(fen)
    return f"{'-' if fen < 0 else ''}¥{format_fen(abs(fen))}"


def list_text(items) -> str:
    return pgettext("list separator", ", ").join(str(i) for i in items)


# ----------------------------------------------------------------- values
class Names:
    """Names of the records that foreign keys and many-to-many lists point to, fetched in
    one query per related model for the whole page."""

    def __init__(self):
        self._wanted: dict[type, set] = defaultdict(set)
        self._found: dict[type, dict] = {}

    def want(self, model_field, value) -> None:
        related = model_field.related_model
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v not in (None, "", MASKED):
                self._wanted[related._meta.concrete_model].add(v)

    def fetch(self) -> None:
        for model, pks in self._wanted.items():
            found = model._base_manager.in_bulk(list(pks))
            self._found[model] = {str(pk): str(obj) for pk, obj in found.items()}

    def name(self, model_field, pk) -> str:
        found = self._found.get(model_field.related_model._meta.concrete_model, {})
        return found.get(str(pk)) or _("(a record since deleted)")


def _relation(model_field) -> bool:
    return (
        model_field.is_relation
        and model_field.related_model is not None
        and (model_field.many_to_one or model_field.one_to_one or model_field.many_to_many)
    )


def _json_text(owner_model, model_field, value, names: Names) -> str:
    if isinstance(value, list):
        return list_text(_plain_text(v) for v in value) or "—"
    if not isinstance(value, dict):
        return _plain_text(value)
    key_model = _json_key_model(owner_model, model_field)
    parts = []
    for key, item in value.items():
        label, text = _json_item(key_model, key, item, names)
        parts.append(f"{label}: {text}")
    return "; ".join(parts) or "—"


def _json_key_model(owner_model, model_field):
    meta = owner_model._meta
    target = JSON_KEY_MODELS.get((meta.app_label, meta.model_name, model_field.name))
    if target is None:
        return None
    return ContentType.objects.get_by_natural_key(*target).model_class()


def _json_item(key_model, key, item, names: Names) -> tuple[str, str]:
    """A key of a JSON figure or field dict in words: a metric, or a field of `key_model`."""
    try:
        metric = metrics.get(key)
    except LookupError:
        metric = None
    if metric is not None:
        money = metric.unit == metrics.FEN
        label = str(metric.label)
        if money:
            for suffix in FEN_SUFFIXES:
                label = label.removesuffix(suffix)
        return label, (yuan(item) if money and item not in (None, "") else _plain_text(item))
    if key_model is not None:
        try:
            key_field = key_model._meta.get_field(key)
        except Exception:  # noqa: BLE001 — a key no longer a field reads as itself
            key_field = None
        if key_field is not None and not _relation(key_field):
            return field_label(key_field), value_text(key_model, key_field, item, names)
    if key.endswith("_fen") and isinstance(item, int):
        return key, yuan(item)
    return key, _plain_text(item)


def _plain_text(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return pgettext("boolean", "Yes") if value else pgettext("boolean", "No")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return list_text(_plain_text(v) for v in value)
    text = str(value)
    return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"


def _moment(value: str, kind) -> str:
    if kind is models.DateTimeField:
        moment = parse_datetime(value)
        if moment is None:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return dateformat.format(moment, "Y-m-d H:i")
    if kind is models.DateField:
        day = parse_date(value[:10])
        return dateformat.format(day, "Y-m-d") if day else value
    moment = parse_time(value)
    return dateformat.time_format(moment, "H:i") if moment else value


def value_text(model, model_field, value, names: Names) -> str:
    """One stored value (as the audit snapshot holds it) as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if value == MASKED:
        return MASKED
    if _relation(model_field):
        if isinstance(value, list):
            return list_text(names.name(model_field, pk) for pk in value)
        return names.name(model_field, value)
    if model_field.choices:
        return _choice(model_field, value)
    if isinstance(model_field, models.BooleanField):
        return pgettext("boolean", "Yes") if value else pgettext("boolean", "No")
    if is_money(model_field):
        return yuan(value)
    for kind in (models.DateTimeField, models.DateField, models.TimeField):
        if isinstance(model_field, kind) and isinstance(value, str):
            return _moment(value, kind)
    if isinstance(model_field, models.FileField):
        return os.path.basename(str(value))
    if isinstance(model_field, models.JSONField):
        # A model whose JSON is a document of its own (a snapshot of figures read from the
        # records) says in words what it holds; its page shows the figures themselves.
        summary = getattr(model, "history_summary", None)
        text = summary(model_field.name, value) if summary else None
        return text if text is not None else _json_text(model, model_field, value, names)
    return _plain_text(value)


# ----------------------------------------------------------------- entries
def _shown_fields(model, obj_fields: set[str] | None):
    """The fields of `model` a history line may name (and `obj_fields` allows)."""
    excluded = set(getattr(model, "AUDIT_EXCLUDE", ())) | DERIVED_FIELDS
    fields = {}
    for f in (*model._meta.concrete_fields, *model._meta.many_to_many):
        if f.primary_key or f.name in excluded or getattr(f, "auto_now", False):
            continue
        if obj_fields is not None and f.name not in obj_fields:
            continue
        fields[f.name] = f
    return fields


def _overrides_visible_fields(model) -> bool:
    return type(policies.policy_for(model)).visible_fields is not policies.Policy.visible_fields


def _visible(changes, viewer, page_obj) -> dict[tuple[int, str], set[str] | None]:
    """For each changed record whose policy hides fields from some people: the fields
    `viewer` may read on it (None: every field). One query per such record type."""
    wanted: dict[type, set[str]] = defaultdict(set)
    for c in changes:
        model = c.content_type.model_class()
        if model is not None and _overrides_visible_fields(model):
            wanted[model].add(c.object_id)
    visible = {}
    for model, pks in wanted.items():
        ct_id = ContentType.objects.get_for_model(model, for_concrete_model=False).pk
        found = {str(o.pk): o for o in model._base_manager.filter(pk__in=pks)}
        if isinstance(page_obj, model):
            found[str(page_obj.pk)] = page_obj
        guarded = set(policies.policy_for(model).guarded_fields)
        for pk in pks:
            obj = found.get(pk)
            fields = (
                policies.visible_fields(viewer, obj)
                if obj is not None
                else policies.policy_for(model).all_fields() - guarded
            )
            visible[(ct_id, pk)] = set(fields)
    return visible


def _actor(row) -> str:
    if row.actor is not None:
        return str(row.actor)
    if not row.actor_name or row.actor_name == "system":
        return _("System")
    return row.actor_name


def _current_names(changes, page_ct, page_pk) -> dict[tuple[int, str], str]:
    """What the rows belonging with the page's record are called now, in the reader's
    language (the stored `object_repr` is in the language of the moment it was written: a
    role or a document kind written on the Chinese UI read 牵头技术经理人 on the English one).
    One query per kind of row; a deleted row keeps its stored name."""
    wanted: dict[int, set[str]] = {}
    for row in changes:
        if not (row.content_type_id == page_ct.pk and row.object_id == str(page_pk)):
            wanted.setdefault(row.content_type_id, set()).add(row.object_id)
    names = {}
    for ct_id, object_ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        keys = [k for k in object_ids if k.isdigit()] if isinstance(
            model._meta.pk, (models.AutoField, models.BigAutoField)) else list(object_ids)
        for pk, instance in model._base_manager.in_bulk(keys).items():
            names[(ct_id, str(pk))] = str(instance)
    return names


def _subject(row, page_ct, page_pk, current=None) -> str:
    if row.content_type_id == page_ct.pk and row.object_id == str(page_pk):
        return ""
    model = row.content_type.model_class()
    kind = capfirst(str(model._meta.verbose_name)) if model else ""
    name = (current or {}).get((row.content_type_id, row.object_id)) or getattr(
        row, "object_repr", "")
    return f"{kind}: {name}" if kind and name else kind


def _step_line(event, page_ct, page_pk, labels) -> StepLine:
    model = event.content_type.model_class()
    state = _state_field(model, event.from_state, event.to_state) if model else None
    source = _choice(state, event.from_state) if state and event.from_state else ""
    target = _choice(state, event.to_state) if state and event.to_state else ""
    label = str(labels.get(event.event_type) or target or _("Step recorded"))
    subject = ""
    if not (event.content_type_id == page_ct.pk and event.object_id == str(page_pk)):
        subject = capfirst(str(model._meta.verbose_name)) if model else ""
    return StepLine(label=label, source=source, target=target, subject=subject)


def _points_to(model_field, value, page_ct, page_pk) -> bool:
    return (
        _relation(model_field)
        and not model_field.many_to_many
        and model_field.related_model._meta.concrete_model
        is page_ct.model_class()._meta.concrete_model
        and str(value) == str(page_pk)
    )


def _change_line(change, fields, names: Names, page_ct, page_pk,
                 current=None) -> ChangeLine | None:
    model = change.content_type.model_class()
    subject = _subject(change, page_ct, page_pk, current)
    action = ACTIONS[change.action]() if change.action in ACTIONS else change.action
    if model is None or change.action == ObjectChange.Action.DELETE:
        return ChangeLine(action=action, subject=subject or change.object_repr, fields=[])
    lines = []
    creating = change.before is None
    changed = {name: (before, after) for name, before, after in change.changed_fields()}
    for name, model_field in fields.items():  # in the model's order, as its form shows them
        if name not in changed:
            continue
        before, after = changed[name]
        if subject and _points_to(model_field, after, page_ct, page_pk):
            continue  # a row of the page's record need not name the record again
        if creating and after in (None, "", [], {}, False):
            continue  # a new record lists what was filled in
        lines.append(
            FieldChange(
                label=field_label(model_field),
                before=None if creating else value_text(model, model_field, before, names),
                after=value_text(model, model_field, after, names),
            )
        )
    if not lines and not creating:
        return None  # only fields this reader may not see (or derived ones) changed
    return ChangeLine(action=action, subject=subject, fields=lines)


def entries_for(obj: models.Model, viewer, limit: int = 50) -> list[Entry]:
    """The history of `obj` (and of the rows recorded as belonging with it) as `viewer` may
    read it: newest action first, one entry per operation, at most `limit` entries."""
    changes, events = history_for(obj)
    changes, events = list(changes[:ROWS_READ]), list(events[:ROWS_READ])
    page_ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    visible = _visible(changes, viewer, obj)

    names = Names()
    shown: dict[int, dict] = {}
    for c in changes:
        model = c.content_type.model_class()
        if model is None:
            continue
        fields = _shown_fields(model, visible.get((c.content_type_id, c.object_id)))
        shown[c.pk] = fields
        for name, before, after in c.changed_fields():
            model_field = fields.get(name)
            if model_field is not None and _relation(model_field):
                names.want(model_field, before)
                names.want(model_field, after)
    names.fetch()
    current = _current_names(changes, page_ct, obj.pk)

    labels = event_labels() if events else {}
    entries: dict[str, Entry] = {}
    rows = sorted([*events, *changes], key=lambda r: (r.time, r.pk))
    for row in rows:
        key = row.operation_id or f"{type(row).__name__}-{row.pk}"
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = Entry(time=row.time, actor=_actor(row))
        entry.time = max(entry.time, row.time)
        if isinstance(row, ObjectChange):
            line = _change_line(row, shown.get(row.pk, {}), names, page_ct, obj.pk, current)
            if line is not None:
                entry.changes.append(line)
        else:
            entry.steps.append(_step_line(row, page_ct, obj.pk, labels))
            if row.reason:
                entry.reasons.append(row.reason)
    ordered = [e for e in entries.values() if e.steps or e.changes]
    ordered.sort(key=lambda e: e.time, reverse=True)
    return ordered[:limit]
