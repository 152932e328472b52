"""Template helpers of the training pages."""

from django import template

from tmhub.core.access import get_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_visible(context) -> bool:
    from tmhub.training.dashboard.population import may_view_dashboard

    return may_view_dashboard(get_scope(context["request"].user))
