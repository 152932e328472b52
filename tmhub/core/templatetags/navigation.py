"""`{% may_model "create" "transfer.Project" as can_create %}`: the policy's answer for a verb
on a model (not a record), so a page shows an action button only to those who may take it,
whatever view renders the page. Records use `{% may %}` (tmhub.py)."""

from django import template
from django.apps import apps

from tmhub.core import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def may_model(context, verb, model_label):
    return policies.allows(context["request"].user, verb, apps.get_model(model_label))
