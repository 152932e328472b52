"""Shared test data of the oversight module: the seeded plan (re-seeded where a transactional
test flushed it) and a contract signed on a given day."""

import datetime
import importlib

from django.apps import apps

from tmhub.insights.models import Plan
from tmhub.insights.plan_data import PLAN

SEED = importlib.import_module("tmhub.insights.migrations.0002_seed_plan")


def seeded_plan() -> Plan:
    if not Plan.objects.filter(number=PLAN["number"]).exists():
        SEED.seed(apps, None)
    return Plan.objects.get(number=PLAN["number"])


def contract(personas, signed_on: datetime.date, amount_fen=1_000_000, received_on=None):
    from tmhub.transfer import services
    from tmhub.transfer.choices import ContractKind, PartyRole

    made = services.create_contract(
        actor=personas.institution_admin, institution=personas.university, title="成果许可合同",
        kind=ContractKind.LICENCE, amount_fen=amount_fen, signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    if received_on is not None:
        services.record_receipt(made, actor=personas.institution_admin, received_on=received_on,
                                amount_fen=amount_fen // 2)
    return made
