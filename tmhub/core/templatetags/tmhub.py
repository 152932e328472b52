"""Template helpers shared by every module; access questions go to the model's policy."""

from django import template

from tmhub.core import policies
from tmhub.core.audit import history_for

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, verb, obj):
    """`{% may "view_contact" demand as can_contact %}`: the policy's answer for this user."""
    return policies.allows(context["request"].user, verb, obj)


@register.simple_tag(takes_context=True)
def visible_fields(context, obj):
    """`{% visible_fields profile as shown %}` … `{% if "phone" in shown %}`."""
    return policies.visible_fields(context["request"].user, obj)


@register.inclusion_tag("core/_history.html", takes_context=True)
def record_history(context, obj):
    changes, events = history_for(obj)
    return {"changes": changes[:50], "events": events[:50], "request": context["request"]}


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    query = context.get("querystring", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"
