"""Template helpers of the training pages."""

from django import template

from tmhub.core import policies

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_visible(context) -> bool:
    """The dashboard policy's answer for the navigation (every training page shows it)."""
    from tmhub.training.models import DashboardFigure

    return policies.allows(context["request"].user, "view_dashboard", DashboardFigure)
