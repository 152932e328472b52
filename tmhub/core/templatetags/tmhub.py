"""Template helpers shared by every module."""

from django import template

from tmhub.core.access import can as can_access
from tmhub.core.audit import history_for

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, obj, action="change"):
    return can_access(context["request"].user, obj, action)


@register.inclusion_tag("core/_history.html", takes_context=True)
def record_history(context, obj):
    changes, events = history_for(obj)
    return {"changes": changes[:50], "events": events[:50], "request": context["request"]}


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    query = context.get("querystring", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"
