"""The figures of a case, read from the platform's records, and what of them the public reads.

`read_facts(project)` is the snapshot a case keeps (see tmhub.evaluation.models.cases for why a
snapshot): plain JSON with codes, ids, ISO dates and amounts in fen, so the same data feeds the
pages (through `readable`) and the API. `public_facts(facts, withheld)` removes every withheld
figure — each money amount is listed once here with the figure that withholds it, so a new
amount cannot be published by accident without being named below.
"""

from __future__ import annotations

import copy

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.models import WorkflowEvent
from tmhub.evaluation.case_choices import WithheldFigure as W
from tmhub.transfer.choices import Currency, PartyRole, SplitStatus, Stage, TransferEvent

OWNER = "owner"
PARTNER = "partner"
STAGE_EVENTS = (TransferEvent.STAGE_FORWARD, TransferEvent.STAGE_BACK)


def _person(user) -> str:
    profile = getattr(user, "manager_profile", None)
    return profile.full_name if profile else str(user)


def _parties(project) -> list[dict]:
    """The owner institution, then every party of the project's contracts and its partners,
    each organisation once (with the first role it has)."""
    from tmhub.transfer.models import ContractParty

    rows = [{"organization": project.institution_id, "name": project.institution.name,
             "role": OWNER}]
    seen = {project.institution_id}
    parties = ContractParty.objects.filter(contract__project=project).select_related(
        "organization").order_by("contract__signed_on", "role", "id")
    for party in parties:
        if party.organization_id not in seen:
            seen.add(party.organization_id)
            rows.append({"organization": party.organization_id,
                         "name": party.organization.name, "role": party.role})
    for partner in project.partners.order_by("id"):
        if partner.pk not in seen:
            seen.add(partner.pk)
            rows.append({"organization": partner.pk, "name": partner.name, "role": PARTNER})
    return rows


def _stages(project) -> list[dict]:
    """The day the project started, then each stage move in order (from its workflow events,
    back moves included, so the path reads as it happened)."""
    from tmhub.transfer.models import Project

    rows = [{"stage": Stage.MINING.value, "on": project.started_on.isoformat(), "back": False}]
    events = WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=str(project.pk),
        event_type__in=[str(e) for e in STAGE_EVENTS]).order_by("time", "id")
    for event in events:
        if event.to_state in Stage.values:
            rows.append({"stage": event.to_state,
                         "on": timezone.localdate(event.time).isoformat(),
                         "back": event.event_type == TransferEvent.STAGE_BACK})
    return rows


def _contracts(project) -> list[dict]:
    return [{"number": c.number, "title": c.title, "kind": c.kind,
             "signed_on": c.signed_on.isoformat(), "currency": c.currency,
             "amount_fen": c.amount_fen, "registration_number": c.registration_number or ""}
            for c in project.contracts.order_by("signed_on", "id")]


def _rewards(project) -> dict:
    from tmhub.transfer.models import RewardSplit

    splits = RewardSplit.objects.filter(
        Q(project=project) | Q(contract__project=project),
        status=SplitStatus.APPROVED).distinct()
    sums = RewardSplit.objects.filter(pk__in=splits.values("pk")).aggregate(
        amount=Sum("amount_fen"), team=Sum("team_fen"), office=Sum("office_fen"),
        institution=Sum("institution_fen"))
    return {"statements": splits.count(), "amount_fen": sums["amount"] or 0,
            "team_fen": sums["team"] or 0, "office_fen": sums["office"] or 0,
            "institution_fen": sums["institution"] or 0}


def _financing(project) -> dict:
    from tmhub.network.models import Financing

    rounds = list(Financing.objects.effective().filter(project=project)
                  .select_related("investor").order_by("financed_on", "pk"))
    return {"rounds": [{"kind": f.kind, "instrument": f.instrument,
                        "financed_on": f.financed_on.isoformat(),
                        "investor": f.investor_label, "amount_fen": f.amount_fen}
                       for f in rounds],
            "total_fen": sum(f.amount_fen for f in rounds)}


def _landings(project) -> list[dict]:
    from tmhub.districts.models import Landing

    return [{"kind": landing.kind, "title": landing.title,
             "occurred_on": landing.occurred_on.isoformat(),
             "district_zh": landing.district.name_zh, "district_en": landing.district.name_en,
             "company_name": landing.company_name, "amount_fen": landing.amount_fen}
            for landing in Landing.objects.filter(project=project)
            .select_related("district").order_by("occurred_on", "id")]


def read_facts(project) -> dict:
    """Every figure a case states about `project`, as the records stand now."""
    from tmhub.transfer.models import Receipt

    contracts = _contracts(project)
    receipts = Receipt.objects.filter(contract__project=project)
    return {
        "project": {"id": project.pk, "title": project.title,
                    "stage": project.stage,
                    "landed_on": project.landed_on.isoformat() if project.landed_on else ""},
        "parties": _parties(project),
        "stages": _stages(project),
        "contracts": contracts,
        "contract_value_fen": sum(c["amount_fen"] for c in contracts
                                  if c["currency"] == Currency.CNY),
        "income": {"received_fen": receipts.total_fen(),
                   "receipts": receipts.effective().count()},
        "rewards": _rewards(project),
        "managers": [{"user": a.user_id, "name": _person(a.user), "role": a.role,
                      "assigned_on": a.assigned_on.isoformat(),
                      "released_on": a.released_on.isoformat() if a.released_on else ""}
                     for a in project.assignments.select_related("user__manager_profile")
                     .order_by("role", "assigned_on", "id")],
        "financing": _financing(project),
        "landings": _landings(project),
    }


def public_facts(facts: dict, withheld) -> dict:
    """`facts` without the figures in `withheld` (WithheldFigure values): the keys are
    removed, not blanked, so no page, answer or embedded data can carry them."""
    public = copy.deepcopy(facts or {})
    withheld = set(withheld)
    if W.CONTRACT_VALUE in withheld:
        public.pop("contract_value_fen", None)
        for contract in public.get("contracts", []):
            contract.pop("amount_fen", None)
    if W.INCOME in withheld:
        public.pop("income", None)
    if W.REWARDS in withheld:
        public.pop("rewards", None)
    if W.FINANCING in withheld:
        for row in public.get("financing", {}).get("rounds", []):
            row.pop("amount_fen", None)
        public.get("financing", {}).pop("total_fen", None)
    from tmhub.districts.choices import LandingKind

    # A landing's amount is the contract's value or the financing round's amount.
    hides = {LandingKind.CONTRACT: W.CONTRACT_VALUE in withheld,
             LandingKind.INVESTMENT: W.FINANCING in withheld}
    for landing in public.get("landings", []):
        if hides.get(landing.get("kind"), False):
            landing.pop("amount_fen", None)
    return public


def consenting_parties(facts: dict) -> list[dict]:
    """The parties whose consent publication needs: every party but the owner institution
    (its review of the case is its consent)."""
    return [p for p in (facts or {}).get("parties", []) if p.get("role") != OWNER]


def readable(facts: dict) -> dict:
    """The facts with labels for a page (stage names, kinds, roles in the UI language)."""
    from django.utils.translation import get_language

    from tmhub.districts.choices import LandingKind
    from tmhub.network.choices import FinancingInstrument, FinancingKind
    from tmhub.transfer.choices import ContractKind, ManagerRole

    roles = {**dict(PartyRole.choices), OWNER: _("Owner institution"),
             PARTNER: _("Partner")}
    out = copy.deepcopy(facts or {})
    for row in out.get("parties", []):
        row["role_label"] = roles.get(row.get("role"), row.get("role"))
    for row in out.get("stages", []):
        row["label"] = dict(Stage.choices).get(row["stage"], row["stage"])
    for row in out.get("contracts", []):
        row["kind_label"] = dict(ContractKind.choices).get(row["kind"], row["kind"])
    for row in out.get("managers", []):
        row["role_label"] = dict(ManagerRole.choices).get(row["role"], row["role"])
    for row in out.get("financing", {}).get("rounds", []):
        row["kind_label"] = dict(FinancingKind.choices).get(row["kind"], row["kind"])
        row["instrument_label"] = dict(FinancingInstrument.choices).get(
            row["instrument"], row["instrument"])
    en = (get_language() or "").startswith("en")
    for row in out.get("landings", []):
        row["kind_label"] = dict(LandingKind.choices).get(row["kind"], row["kind"])
        row["district"] = (row.get("district_en") if en and row.get("district_en")
                           else row.get("district_zh", ""))
    return out
