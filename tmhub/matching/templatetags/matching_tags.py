"""TRANSITIONAL: `{% match_slot object %}` for ``transfer/_matches_slot.html`` only.

A record's page asks matching for what it wants with one include, the record in its context
under its own name (see ``views.py``)::

    {% include "matching/_achievements_for_demand.html" %}   {# demand page: `demand` #}
    {% include "matching/_demands_for_achievement.html" %}   {# achievement page: `achievement` #}
    {% include "matching/_managers_for_project.html" %}      {# project page: `project` #}

Until the transfer pages include those directly, ``matching/_slot.html`` picks the include for
the generic `object` from this fixed table of what matching can rank (not a registry: nothing
else adds to it). Delete this module and ``_slot.html`` with ``transfer/_matches_slot.html``.
"""

from django import template

register = template.Library()

_INCLUDES = {
    "transfer.demand": "matching/_achievements_for_demand.html",
    "transfer.achievement": "matching/_demands_for_achievement.html",
    "transfer.project": "matching/_managers_for_project.html",
}


@register.simple_tag
def match_slot(obj) -> str:
    """The matching include for `obj`'s page ("" when matching ranks nothing for it)."""
    meta = getattr(obj, "_meta", None)
    return _INCLUDES.get(meta.label_lower, "") if meta else ""
