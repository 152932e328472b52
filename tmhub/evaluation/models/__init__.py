"""Models of the evaluation app, one module per concern: the title levels and rules
(titles.py), rounds and applications (applications.py); social evaluation (issue 17): indicator
systems (indicators.py), rating rounds and ratings (ratings.py)."""

from tmhub.evaluation.models.accreditation import EvaluationAccreditation
from tmhub.evaluation.models.applications import (
    Objection,
    ReturnComment,
    TitleApplication,
    TitleRound,
)
from tmhub.evaluation.models.indicators import FrozenVersionError, Indicator, IndicatorSystem
from tmhub.evaluation.models.panels import (
    ConflictDeclaration,
    PanelMember,
    ReviewAssignment,
    ReviewScore,
    ScoringCriterion,
    TitleExpert,
    TitlePanel,
)
from tmhub.evaluation.models.ratings import (
    Rating,
    RatingItem,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.models.titles import (
    EligibilityRule,
    PerformanceCondition,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)
from tmhub.evaluation.models.works import RepresentativeWork

__all__ = [
    "ConflictDeclaration",
    "EvaluationAccreditation",
    "FrozenVersionError",
    "Indicator",
    "IndicatorSystem",
    "Rating",
    "RatingItem",
    "RatingObjection",
    "RatingReview",
    "RatingRound",
    "PanelMember",
    "ReviewAssignment",
    "ReviewScore",
    "ScoringCriterion",
    "TitleExpert",
    "TitlePanel",
    "EligibilityRule",
    "Objection",
    "PerformanceCondition",
    "RepresentativeWork",
    "ReturnComment",
    "TitleApplication",
    "TitleDirection",
    "TitleLevel",
    "TitleProcedureRule",
    "TitleRound",
]
