"""Template helpers of the districts pages."""

from django import template

register = template.Library()


@register.filter
def zip_metrics(values, metrics):
    """Pairs (value, metric) of a row of figures and the metrics of its columns."""
    return list(zip(values, metrics, strict=False))
