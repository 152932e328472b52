"""What awaits a person's action, declared by each module: the registry behind "My work".

Every workflow already knows who must act next and when; a module says so once, in its own
``work_items.py`` (discovered by core when Django starts, like ``policies.py``):

    from tmhub.core import work_items

    @work_items.register("talent.review_registration", module="talent",
                         label=_("Registrations to review"))
    def registrations_to_review(scope):
        rows = work_items.restrict(ManagerProfile.objects.filter(status=SUBMITTED), scope)
        for profile in rows:
            yield work_items.WorkItem(
                title=_("Review the registration of %(name)s") % {"name": profile.name},
                url=reverse("talent:profile-detail", args=[profile.pk]),
                action_label=_("Review"), due_on=profile.review_due_on, record=profile)

A source answers only the items of the scope it is given, and must narrow its rows through the
model's policy (never its own rule): an item nobody may act on is not work. The "My work" page,
its API (`/api/v1/my/items/`), the navigation count and the reminder job all read
``items_for``; a new module's items appear there without touching any of them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils import timezone


@dataclass(frozen=True)
class WorkItem:
    """One thing a person must do: what, where to do it, by when, and on which record.

    ``kind``, ``module`` and ``kind_label`` are filled from the source's registration; a source
    gives the rest. ``due_on`` is None for work without a deadline (it sorts after dated work).
    """

    title: str
    url: str
    action_label: str = ""
    due_on: datetime.date | None = None
    record: object | None = None
    kind: str = ""
    module: str = ""
    kind_label: str = ""
    detail: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.due_on is not None and self.due_on < today

    def days_left(self, today: datetime.date | None = None) -> int | None:
        today = today or timezone.localdate()
        return None if self.due_on is None else (self.due_on - today).days


@dataclass(frozen=True)
class WorkSource:
    """A registered kind of work: its code, module, label and the function listing items."""

    kind: str
    module: str
    label: str
    items: Callable[[object], Iterable[WorkItem]]


REGISTRY: dict[str, WorkSource] = {}
logger = logging.getLogger(__name__)


def register(kind: str, *, module: str, label) -> Callable:
    """Decorator: register ``function(scope) -> iterable of WorkItem`` as the source of ``kind``.

    Registering the same kind twice is a programming error (two modules claiming one code)."""

    def decorator(function):
        if kind in REGISTRY and REGISTRY[kind].items is not function:
            raise ValueError(f"work item kind {kind!r} is registered twice")
        REGISTRY[kind] = WorkSource(kind=kind, module=module, label=label, items=function)
        return function

    return decorator


def sources(module: str | None = None) -> list[WorkSource]:
    """The registered sources, optionally of one module, in registration order."""
    return [s for s in REGISTRY.values() if module is None or s.module == module]


def items_for(scope, *, module: str | None = None, due_within_days: int | None = None,
              today: datetime.date | None = None) -> list[WorkItem]:
    """Every item awaiting ``scope``: overdue and soonest first, undated work last.

    ``due_within_days`` keeps dated items due within that many days (overdue ones included)
    and drops undated ones; ``module`` keeps one module's items."""
    if not getattr(scope, "is_authenticated", False):
        return []
    if hasattr(scope, "_meta"):  # a user was given: its sources read a scope
        from tmhub.core.access import get_scope

        scope = get_scope(scope)
    today = today or timezone.localdate()
    found: list[WorkItem] = []
    for source in sources(module):
        try:
            listed = list(source.items(scope) or ())
        except Exception:  # one module's fault must not hide everyone's other work
            from django.conf import settings

            # ... but in the suite it fails the test, as a failing event subscriber does.
            if getattr(settings, "EVENTS_RAISE_SUBSCRIBER_ERRORS", False):
                raise
            logger.exception("work item source %s failed", source.kind)
            continue
        for item in listed:
            found.append(replace(item, kind=source.kind, module=source.module,
                                 kind_label=str(source.label)))
    if due_within_days is not None:
        limit = today + datetime.timedelta(days=due_within_days)
        found = [item for item in found if item.due_on is not None and item.due_on <= limit]
    return sorted(found, key=lambda item: (item.due_on is None, item.due_on or today,
                                           item.module, item.kind, str(item.title)))


def count_for(scope) -> int:
    """How many items await ``scope`` (the navigation's badge)."""
    return len(items_for(scope))


def restrict(queryset, scope, action: str = "view"):
    """``queryset`` cut to the rows ``scope`` may ``action``, by the model's policy."""
    from tmhub.core.policies import policy_for

    return policy_for(queryset.model).rows(queryset, scope, action)


def steps_open_to(workflow, obj, scope, *, enabled_only: bool = False) -> list:
    """The transitions of ``workflow`` that ``scope`` may take on ``obj`` now: the workflow's
    own rule (never a source's), read for a scope rather than a user. ``enabled_only`` keeps
    only the steps no guard or four-eyes rule blocks (what the record's page would enable)."""
    from django.core.exceptions import ValidationError

    state = getattr(obj, workflow.status_field)
    found = []
    for transition in workflow.transitions_from(state):
        if not transition.permitted(scope, obj):
            continue
        if enabled_only:
            if transition.four_eyes is not None and scope.user_id is not None:
                from django.contrib.auth import get_user_model

                user = get_user_model().objects.filter(pk=scope.user_id).first()
                if user is None or transition.four_eyes.refusal(obj, user) is not None:
                    continue
            try:
                for guard in transition.guards:
                    guard(obj)
            except ValidationError:
                continue
        found.append(transition)
    return found
