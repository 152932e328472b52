"""Training models, split by use case (rules, catalogue, cohorts, certificates)."""

from tmhub.training.models.catalogue import (  # noqa: F401
    Course,
    Instructor,
    Programme,
    TrainingProvider,
)
from tmhub.training.models.certificates import (  # noqa: F401
    Certificate,
    ExternalHours,
    TrainedManager,
)
from tmhub.training.models.cohorts import (  # noqa: F401
    Assessment,
    AssessmentResult,
    Attendance,
    Cohort,
    Enrolment,
    MentorAssignment,
    Session,
)
from tmhub.training.models.figures import DashboardFigure, FigureMetric  # noqa: F401
from tmhub.training.models.revocations import CertificateRevocation  # noqa: F401
from tmhub.training.models.rules import (  # noqa: F401
    CompletionRule,
    CompletionRuleModule,
    ContinuingEducationRule,
    PlanTarget,
)
