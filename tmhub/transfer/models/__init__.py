"""Models of the transfer chain (SPEC §4), one module per use case."""

from tmhub.transfer.models.achievements import Achievement, Attachment, Inventor, IPRecord
from tmhub.transfer.models.contracts import Contract, ContractParty, Cost, Installment, Receipt
from tmhub.transfer.models.demands import Demand
from tmhub.transfer.models.evidence import ProjectEvidence, StageGate
from tmhub.transfer.models.projects import Activity, Project, ProjectAssignment
from tmhub.transfer.models.rewards import RewardRule, RewardSplit, SplitAllocation

__all__ = [
    "Achievement", "Activity", "Attachment", "Contract", "ContractParty", "Cost", "Demand",
    "IPRecord", "Installment", "Inventor", "Project", "ProjectAssignment", "ProjectEvidence",
    "Receipt", "RewardRule", "RewardSplit", "SplitAllocation", "StageGate",
]
