"""Template helpers of the transfer pages: money, and the colour of a status or stage badge.

Colours are looked up by the record's own status value here, so no template compares a
status or stage string.
"""

from django import template

from tmhub.transfer.choices import STAGE_ORDER, AchievementStatus, DemandStatus, SplitStatus, Stage
from tmhub.transfer.models import Achievement, Demand, RewardSplit
from tmhub.transfer.rewards_engine import format_fen

register = template.Library()

# Bootstrap classes of a status badge, per model; anything not listed is grey.
STATUS_BADGES = {
    Achievement: {AchievementStatus.PUBLISHED: "bg-success"},
    Demand: {DemandStatus.PUBLISHED: "bg-success"},
    RewardSplit: {SplitStatus.APPROVED: "bg-success", SplitStatus.DRAFT: "bg-warning text-dark"},
}

# Stage groups: early work, evaluation and promotion, the deal, landed.
STAGE_COLOURS = {
    Stage.MINING: "secondary",
    Stage.CULTIVATION: "secondary",
    Stage.INCUBATION: "secondary",
    Stage.MATURATION: "secondary",
    Stage.EVALUATION: "info",
    Stage.PROMOTION: "info",
    Stage.NEGOTIATION: "warning",
    Stage.TRANSACTION: "warning",
    Stage.LANDING: "success",
}


@register.filter
def yuan(fen):
    """Fen (integer) shown as yuan with two decimals, exactly."""
    if fen is None or fen == "":
        return "—"
    return format_fen(int(fen))


@register.filter
def status_badge(record) -> str:
    """`{{ achievement|status_badge }}`: the badge classes of the record's status."""
    return STATUS_BADGES.get(type(record), {}).get(getattr(record, "status", None), "bg-secondary")


@register.filter
def stage_badge(project_or_stage):
    """A Bootstrap colour per stage group (early, middle, deal, landed), of a project's stage or
    of a stage."""
    return STAGE_COLOURS.get(getattr(project_or_stage, "stage", project_or_stage), "success")


@register.filter
def stage_label(value):
    try:
        return Stage(value).label
    except ValueError:
        return value


@register.simple_tag
def stage_progress(project) -> list[tuple[Stage, str]]:
    """`{% stage_progress project as progress %}`: every stage in order with its badge classes
    (the current one, those already passed, those ahead)."""
    current = STAGE_ORDER.index(project.stage)
    return [
        (
            Stage(s),
            "bg-primary"
            if n == current
            else "bg-success"
            if n < current
            else "bg-light text-muted border",
        )
        for n, s in enumerate(STAGE_ORDER)
    ]
