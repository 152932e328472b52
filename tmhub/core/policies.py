"""One policy per model: which rows a persona sees, which fields, and which steps it may take.

NetBox restricts every queryset by the user's object permissions (utilities/querysets.py) and
keeps those permissions as data (ObjectPermission). TM Hub's rules depend on memberships and on
the record itself (the institution that owns an achievement, the projects a manager is
assigned to), so each model's rules are a small class in its app's ``policies.py``:

    @policies.register
    class DemandPolicy(Policy):
        model = Demand

        def scope_q(self, scope, action):          # rows: a Q, True (all), or None (none)
            ...

        def visible_fields(self, scope, obj):      # fields: what this persona may read
            return self.all_fields() - (set() if self.allows(scope, "view_contact", obj)
                                        else CONTACT_FIELDS)

        def can_view_contact(self, scope, obj):    # verbs beyond view/change
            ...

Everything that reads or writes asks the policy through the functions at the bottom of this
module (`restrict` lives on `RestrictedQuerySet`): views, serializers, exports, templates (the
``{% may %}`` and ``{% visible_fields %}`` tags) and services. Nothing else re-derives a rule.
A refusal looks exactly like a missing record (404).

Policies are discovered: core imports every installed app's ``policies`` module when Django
starts, so an app registers its policies by defining them, with nothing to wire.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.http import Http404

from tmhub.core.access import CHANGE, VIEW, Scope, get_scope
from tmhub.core.actors import is_system

_REGISTRY: dict[type[models.Model], Policy] = {}


class Policy:
    """Rules of one model. Subclasses set `model` and override what differs from "nobody".

    The default is closed: no rows (`scope_q` answers None), and a verb without a
    ``can_<verb>`` method is a programming error, not a yes. Municipal administrators see and
    change every row (the city runs the platform); each verb decides for itself whether it is
    theirs too.
    """

    model: type[models.Model] | None = None
    # Fields `visible_fields` may withhold from some personas (contacts, inventors, terms, ID
    # numbers). Declared so the API schema and the field tests know them without a persona.
    guarded_fields: frozenset[str] = frozenset()

    # ---- rows
    def scope_q(self, scope: Scope, action: str) -> Q | bool | None:
        """Condition on the rows `scope` may `action` (VIEW or CHANGE): a Q, True or None."""
        return None

    def rows(self, queryset, scope: Scope, action: str = VIEW):
        """`queryset` cut to what `scope` may `action`."""
        if scope.is_municipal:
            return queryset
        condition = self.scope_q(scope, action)
        if condition is None or condition is False:
            return queryset.none()
        if condition is True:
            return queryset
        return queryset.filter(condition)

    def covers(self, scope: Scope, obj, action: str = VIEW) -> bool:
        """True when the saved row `obj` lies inside `scope` for `action`."""
        if obj is None or obj.pk is None:
            return False
        return self.rows(type(obj)._base_manager.all(), scope, action).filter(pk=obj.pk).exists()

    # ---- fields
    def all_fields(self) -> frozenset[str]:
        """Every field name of the model (concrete fields and many-to-many relations)."""
        meta = self.model._meta
        return frozenset(f.name for f in (*meta.concrete_fields, *meta.many_to_many))

    def visible_fields(self, scope: Scope, obj) -> frozenset[str]:
        """The fields `scope` may read on `obj` (a row it already sees); all of them by default."""
        return self.all_fields()

    # ---- verbs
    def allows(self, scope: Scope, verb: str, obj) -> bool:
        """May `scope` take `verb` on `obj` (an instance, or the model class for `create`)?"""
        if verb in (VIEW, CHANGE):
            return self.covers(scope, obj, verb)
        check = getattr(self, f"can_{verb}", None)
        if check is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} has no rule for '{verb}' (define can_{verb})."
            )
        return bool(check(scope, obj))


class _Closed(Policy):
    """The policy of a model that has none: no rows, no fields beyond the row's id, no verbs."""

    def allows(self, scope, verb, obj):
        return False


def register(policy_class: type[Policy]) -> type[Policy]:
    """Class decorator: make `policy_class` the one policy of its `model`."""
    model = policy_class.model
    if model is None:
        raise ImproperlyConfigured(f"{policy_class.__name__} names no model.")
    concrete = model._meta.concrete_model
    existing = _REGISTRY.get(concrete)
    if existing is not None and type(existing) is not policy_class:
        raise ImproperlyConfigured(
            f"{model.__name__} already has a policy ({type(existing).__name__})."
        )
    _REGISTRY[concrete] = policy_class()
    return policy_class


def policy_for(model_or_obj) -> Policy:
    """The policy of a model class or instance (a closed one when the model has none)."""
    # __class__, not type(): request.user is a lazy wrapper whose type() is not the model.
    model = model_or_obj if isinstance(model_or_obj, type) else model_or_obj.__class__
    policy = _REGISTRY.get(model._meta.concrete_model)
    if policy is None:
        closed = _Closed()
        closed.model = model
        return closed
    return policy


def has_policy(model) -> bool:
    return model._meta.concrete_model in _REGISTRY


def registered_models() -> list[type[models.Model]]:
    return list(_REGISTRY)


def _scope(actor) -> Scope:
    return actor if isinstance(actor, Scope) else get_scope(actor)


def allows(actor, verb: str, obj) -> bool:
    """True when `actor` (a user, a Scope, or SYSTEM) may take `verb` on `obj`."""
    if is_system(actor):
        return True
    return policy_for(obj).allows(_scope(actor), verb, obj)


def require(actor, verb: str, obj) -> None:
    """Refuse (404, as for a missing record) unless `actor` may take `verb` on `obj`.

    Services call it before they change anything, so the UI, the API and scripts are refused
    alike. SYSTEM (scheduled jobs, seed data) passes; `None` is refused loudly, because an
    actor forgotten by a caller must never mean "the platform itself".
    """
    if actor is None:
        raise ImproperlyConfigured("No actor given: pass the user, or SYSTEM for platform work.")
    if not allows(actor, verb, obj):
        raise Http404


def visible_fields(actor, obj) -> frozenset[str]:
    """The fields of `obj` that `actor` may read."""
    policy = policy_for(obj)
    if is_system(actor):
        return policy.all_fields()
    return policy.visible_fields(_scope(actor), obj)
