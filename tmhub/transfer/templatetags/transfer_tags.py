"""Template helpers of the transfer pages."""

from django import template

from tmhub.transfer.rewards_engine import format_fen

register = template.Library()


@register.filter
def yuan(fen):
    """Fen (integer) shown as yuan with two decimals, exactly."""
    if fen is None or fen == "":
        return "—"
    return format_fen(int(fen))


@register.filter
def stage_badge(stage):
    """A Bootstrap colour per stage group: early, middle, deal, landed."""
    early = {"mining", "cultivation", "incubation", "maturation"}
    middle = {"evaluation", "promotion"}
    deal = {"negotiation", "transaction"}
    if stage in early:
        return "secondary"
    if stage in middle:
        return "info"
    if stage in deal:
        return "warning"
    return "success"


@register.filter
def stage_label(value):
    from tmhub.transfer.choices import Stage

    try:
        return Stage(value).label
    except ValueError:
        return value
