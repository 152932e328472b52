"""`{% match_slot object %}`: which matches a record's page loads, and under what heading."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def match_slot(obj) -> dict | None:
    """{"url", "heading"} of the ranked matches for an achievement, demand or project."""
    from tmhub.transfer.models import Achievement, Demand, Project

    if isinstance(obj, Demand):
        return {"url": reverse("matching:achievements-for-demand", args=[obj.pk]),
                "heading": _("Matching achievements")}
    if isinstance(obj, Achievement):
        return {"url": reverse("matching:demands-for-achievement", args=[obj.pk]),
                "heading": _("Matching demands")}
    if isinstance(obj, Project):
        return {"url": reverse("matching:managers-for-project", args=[obj.pk]),
                "heading": _("Recommended technology managers")}
    return None
