"""Template helpers shared by every module; access questions go to the model's policy."""

from django import template
from django.utils.html import format_html

from tmhub.core import policies
from tmhub.core.history import entries_for
from tmhub.core.validators import format_phone, parse_phone

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
    """`{% record_history obj %}`: the record's history in words, one entry per action, as the
    signed-in user may read it (tmhub.core.history); raw values only in the admin."""
    request = context["request"]
    return {"entries": entries_for(obj, request.user), "request": request}


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    query = context.get("querystring", "")
    return f"?{query}&page={page_number}" if query else f"?page={page_number}"


@register.filter
def phone(value):
    """`{{ org.contact_phone|phone }}`: a stored E.164 number as a telephone link that reads as
    people dial it (010 6278 0000, 138 0013 8000, +44 20 7946 0958); a number that could not be
    read is shown as it was typed, without a link."""
    if not value:
        return ""
    shown = format_phone(value)
    if parse_phone(value) is None:
        return shown
    return format_html('<a href="tel:{}">{}</a>', value, shown)
