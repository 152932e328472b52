"""Models of the evaluation app, one module per concern: the title levels and rules
(titles.py), rounds and applications (applications.py); social evaluation (issue 17): indicator
systems (indicators.py), rating rounds and ratings (ratings.py), a rating cited by a title
application (rating_evidence.py)."""

from tmhub.evaluation.models.accreditation import EvaluationAccreditation
from tmhub.evaluation.models.applications import (
    Objection,
    ReturnComment,
    TitleApplication,
    TitleRound,
)
from tmhub.evaluation.models.cases import CaseConsent, TransferCase
from tmhub.evaluation.models.indicators import FrozenVersionError, Indicator, IndicatorSystem
from tmhub.evaluation.models.nominations import Nomination, TalentProgramme
from tmhub.evaluation.models.panels import (
    ConflictDeclaration,
    PanelMember,
    ReviewAssignment,
    ReviewScore,
    ScoringCriterion,
    TitleExpert,
    TitlePanel,
)
from tmhub.evaluation.models.rating_evidence import RatingEvidence
from tmhub.evaluation.models.ratings import (
    Rating,
    RatingItem,
    RatingObjection,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.models.spotlight import SpotlightEntry
from tmhub.evaluation.models.titles import (
    EligibilityRule,
    PerformanceCondition,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)
from tmhub.evaluation.models.works import RepresentativeWork

__all__ = [
    "CaseConsent",
    "TransferCase",
    "ConflictDeclaration",
    "EvaluationAccreditation",
    "FrozenVersionError",
    "Indicator",
    "IndicatorSystem",
    "Nomination",
    "SpotlightEntry",
    "TalentProgramme",
    "Rating",
    "RatingEvidence",
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
