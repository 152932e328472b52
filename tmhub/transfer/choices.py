"""Choices of the transfer chain: statuses, stages, transfer modes, contract kinds, events."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AchievementStatus(models.TextChoices):
    """A disclosure is confidential until published; withdrawn hides it again."""

    DRAFT = "draft", _("Draft (confidential)")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TransferMode(models.TextChoices):
    """The six modes of the Law on Promoting the Transformation of Scientific Achievements."""

    SELF_IMPLEMENTATION = "self", _("Self-implementation")
    ASSIGNMENT = "assignment", _("Assignment")
    LICENCE = "licence", _("Licence")
    COOPERATION = "cooperation", _("Cooperation")
    EQUITY = "equity", _("Equity investment")
    OTHER = "other", _("Other")


class IPType(models.TextChoices):
    INVENTION = "invention", _("Invention patent")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design patent")
    SOFTWARE = "software", _("Software copyright")
    IC_LAYOUT = "ic_layout", _("Integrated-circuit layout design")
    PLANT_VARIETY = "plant_variety", _("Plant variety")
    KNOW_HOW = "know_how", _("Technical secret")
    OTHER = "other", _("Other")


PATENT_TYPES = frozenset({IPType.INVENTION, IPType.UTILITY_MODEL, IPType.DESIGN})


class IPStatus(models.TextChoices):
    FILED = "filed", pgettext_lazy("patent", "Filed")
    PUBLISHED = "published", _("Published (pending examination)")
    GRANTED = "granted", _("Granted")
    LAPSED = "lapsed", _("Lapsed")
    REJECTED = "rejected", _("Rejected")
    ABANDONED = "abandoned", pgettext_lazy("patent", "Abandoned")
    REGISTERED = "registered", _("Registered")


class DemandStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Stage(models.TextChoices):
    """岗位职责 stages of a transfer project, in order."""

    MINING = "mining", _("Discovery")  # 挖掘
    CULTIVATION = "cultivation", _("Cultivation")  # 培育
    INCUBATION = "incubation", _("Incubation")  # 孵化
    MATURATION = "maturation", _("Maturation")  # 熟化
    EVALUATION = "evaluation", _("Evaluation")  # 评价
    PROMOTION = "promotion", _("Promotion")  # 推广
    NEGOTIATION = "negotiation", _("Matching and negotiation")  # 对接谈判
    TRANSACTION = "transaction", _("Transaction")  # 交易
    LANDING = "landing", _("Landing")  # 落地


STAGE_ORDER = [s.value for s in Stage]


class EvidenceKind(models.TextChoices):
    """What a stage gate accepts as evidence. Contracts and receipts are read from the
    contract records (`DERIVED_EVIDENCE`); the others are recorded on the project."""

    VALUATION_REPORT = "valuation_report", _("Valuation report")  # 资产评估报告
    EVALUATION_REPORT = "evaluation_report", _("Evaluation report")  # 成果评价报告
    SIGNED_CONTRACT = "signed_contract", _("Signed technology contract")
    CONTRACT_RECEIPT = "contract_receipt", _("Payment received under a contract")
    COMPANY_FOUNDED = "company_founded", _("Company founded")
    INVESTMENT_MADE = "investment_made", _("Investment made")


DERIVED_EVIDENCE = frozenset({EvidenceKind.SIGNED_CONTRACT, EvidenceKind.CONTRACT_RECEIPT})
# The kinds a person records on a project (the API's evidence `kind`; its own schema enum).
RECORDED_EVIDENCE_CHOICES = [(k.value, k.label) for k in EvidenceKind if k not in DERIVED_EVIDENCE]


class ManagerRole(models.TextChoices):
    LEAD = "lead", _("Lead manager")
    SUPPORTING = "supporting", _("Supporting manager")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EVALUATION = "evaluation", _("Evaluation")
    INTRODUCTION = "introduction", _("Introduction")
    NEGOTIATION = "negotiation", _("Negotiation")
    VISIT = "visit", _("Site visit")
    NOTE = "note", _("Note")


class ContractKind(models.TextChoices):
    """技术合同 types registered under the Civil Code."""

    DEVELOPMENT = "development", _("Technology development")
    ASSIGNMENT = "assignment", _("Technology assignment")
    LICENCE = "licence", _("Technology licence")
    CONSULTING = "consulting", _("Technology consulting")
    SERVICE = "service", _("Technology service")


# The reward rule that applies by default to income from each contract kind.
CONTRACT_KIND_MODE = {
    ContractKind.DEVELOPMENT: TransferMode.OTHER,
    ContractKind.ASSIGNMENT: TransferMode.ASSIGNMENT,
    ContractKind.LICENCE: TransferMode.LICENCE,
    ContractKind.CONSULTING: TransferMode.OTHER,
    ContractKind.SERVICE: TransferMode.OTHER,
}


class PartyRole(models.TextChoices):
    SELLER = "seller", _("Transferor / provider")
    BUYER = "buyer", _("Transferee / client")
    INTERMEDIARY = "intermediary", _("Intermediary")
    OTHER = "other", _("Other party")


class Currency(models.TextChoices):
    CNY = "CNY", _("Renminbi (CNY)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")


class CostCategory(models.TextChoices):
    """Deductible costs before net income (valuation, IP maintenance, agency fees, taxes…)."""

    VALUATION = "valuation", _("Valuation and evaluation")
    IP = "ip", _("Patent filing and maintenance")
    AGENCY = "agency", _("Agency and legal fees")
    TAX = "tax", _("Taxes")
    OTHER = "other", _("Other deductible cost")


class RuleLevel(models.IntegerChoices):
    """Where a reward rule comes from; a more specific level wins."""

    NATIONAL = 1, _("National fallback")
    CITY = 2, _("City default (Beijing)")
    INSTITUTION = 3, _("Institution")


class RewardBasis(models.TextChoices):
    NET_INCOME = "net_income", _("Net income from assignment or licence")
    EQUITY = "equity", _("Equity formed by the investment")
    OPERATING_PROFIT = "operating_profit", _("Annual operating profit")


class SplitStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved (frozen)")
    CANCELLED = "cancelled", _("Cancelled")


class TransferEvent(models.TextChoices):
    """Typed workflow events of the transfer chain."""

    ACHIEVEMENT_PUBLISHED = "transfer.achievement.published", _("Achievement published")
    ACHIEVEMENT_WITHDRAWN = "transfer.achievement.withdrawn", _("Achievement withdrawn")
    DEMAND_PUBLISHED = "transfer.demand.published", _("Demand published")
    DEMAND_CLOSED = "transfer.demand.closed", _("Demand closed")
    STAGE_FORWARD = "transfer.project.stage_forward", _("Project moved forward")
    STAGE_BACK = "transfer.project.stage_back", _("Project moved back")
    STAGE_GATE_OVERRIDDEN = (
        "transfer.project.stage_gate_overridden",
        _("Project moved past a stage gate without its evidence (municipal override)"),
    )
    MANAGER_ASSIGNED = "transfer.project.manager_assigned", _("Manager assigned")
    MANAGER_RELEASED = "transfer.project.manager_released", _("Manager released")
    INTRODUCTION = "transfer.project.introduction", _("Introduction made")
    SPLIT_APPROVED = "transfer.split.approved", _("Reward split approved")
    SPLIT_CANCELLED = "transfer.split.cancelled", _("Reward split cancelled")
