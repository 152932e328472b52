"""Choices shared by every app: organisation kinds, municipal departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """Every kind of organisation in SPEC §2, grouped by `ORG_KIND_GROUPS`."""

    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    MEDICAL = "medical", _("Medical and health institution")
    ENTERPRISE = "enterprise", _("Enterprise")
    TRANSFER_AGENCY = "transfer_agency", _("Technology-transfer agency")
    IP_AGENCY = "ip_agency", _("IP agency")
    LAW_FIRM = "law_firm", _("Law firm")
    ACCOUNTING_FIRM = "accounting_firm", _("Accounting firm")
    ANGEL = "angel", _("Angel investor")
    VENTURE_CAPITAL = "venture_capital", _("Venture capital")
    LOAN_GUARANTEE = "loan_guarantee", _("Loan guarantee")
    BANK = "bank", _("Bank")
    NEW_RD_INSTITUTION = "new_rd", _("New-type R&D institution")
    PROOF_OF_CONCEPT = "proof_of_concept", _("Proof-of-concept platform")
    PUBLIC_TECH_PLATFORM = "public_platform", _("Public technology platform")
    INCUBATOR = "incubator", _("Incubator")
    SCIENCE_PARK = "science_park", _("University science park")
    DISTRICT_GOVERNMENT = "district_gov", _("District government")
    MUNICIPAL_DEPARTMENT = "municipal_dept", _("Municipal department")
    # 社会培训评价组织: accredited by the city to run rating rounds (issue 17 item 6a).
    EVALUATION_ORG = "evaluation_org", _("Social training and evaluation organisation")


RESEARCH_KINDS = frozenset({OrgKind.UNIVERSITY, OrgKind.RESEARCH_INSTITUTE, OrgKind.MEDICAL})
SERVICE_PROVIDER_KINDS = frozenset(
    {
        OrgKind.TRANSFER_AGENCY, OrgKind.IP_AGENCY, OrgKind.LAW_FIRM, OrgKind.ACCOUNTING_FIRM,
        OrgKind.ANGEL, OrgKind.VENTURE_CAPITAL, OrgKind.LOAN_GUARANTEE, OrgKind.BANK,
        OrgKind.NEW_RD_INSTITUTION, OrgKind.PROOF_OF_CONCEPT, OrgKind.PUBLIC_TECH_PLATFORM,
        OrgKind.INCUBATOR, OrgKind.SCIENCE_PARK,
    }
)


# Organisations the city may accredit to run rating rounds of social evaluation under its
# oversight (tmhub.evaluation.models.accreditation).
EVALUATION_KINDS = frozenset({OrgKind.EVALUATION_ORG})


class Department(models.TextChoices):
    """Municipal departments with officers on the platform (SPEC §1)."""

    SCIENCE = "science", _("Municipal Science and Technology Commission")
    EDUCATION = "education", _("Municipal Education Commission")
    HEALTH = "health", _("Municipal Health Commission")
    HUMAN_RESOURCES = "human_resources", _("Municipal Human Resources and Social Security Bureau")
    TALENT = "talent", _("Municipal Talent Work Bureau")


# Which institutions each department oversees. Human resources (titles) and talent
# (programmes) are functions rather than institution kinds: their scope is given by
# the modules that implement those functions.
DEPARTMENT_ORG_KINDS: dict[str, frozenset[str]] = {
    # Science (programme officers of municipal funding programmes) is scoped by programme in
    # the pilots module, not by institution kind.
    Department.SCIENCE: frozenset(),
    Department.EDUCATION: frozenset({OrgKind.UNIVERSITY}),
    Department.HEALTH: frozenset({OrgKind.MEDICAL}),
    Department.HUMAN_RESOURCES: frozenset(),
    Department.TALENT: frozenset(),
}
