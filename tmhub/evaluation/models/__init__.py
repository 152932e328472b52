"""Models of the evaluation app: professional titles (titles.py); social evaluation (issue 17)
will sit beside them."""

from tmhub.evaluation.models.titles import (
    EligibilityRule,
    PerformanceCondition,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)

__all__ = [
    "EligibilityRule",
    "PerformanceCondition",
    "TitleDirection",
    "TitleLevel",
    "TitleProcedureRule",
]
