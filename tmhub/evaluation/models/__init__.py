"""Models of the evaluation app, one module per concern: the title levels and rules
(titles.py), rounds and applications (applications.py); social evaluation (issue 17) will sit
beside them in its own module."""

from tmhub.evaluation.models.applications import (
    Objection,
    ReturnComment,
    TitleApplication,
    TitleRound,
)
from tmhub.evaluation.models.panels import (
    ConflictDeclaration,
    PanelMember,
    ReviewAssignment,
    ReviewScore,
    ScoringCriterion,
    TitleExpert,
    TitlePanel,
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
