"""Every write of stage evidence: a report, a company founded or an investment, on a project.

Signed contracts and receipts are evidence too, but they are read from the contract records
(`tmhub.transfer.gates`): recording them twice would let the two disagree.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.transfer.choices import DERIVED_EVIDENCE, EvidenceKind
from tmhub.transfer.models import ProjectEvidence
from tmhub.transfer.services.achievements import check_attachment
from tmhub.transfer.services.projects import _bump, _locked

# Kinds recorded on the project (the others come from contracts and receipts).
RECORDED_KINDS = [k for k in EvidenceKind if k not in DERIVED_EVIDENCE]
# Kinds whose amount is the point of the record (an investment is its sum).
AMOUNT_REQUIRED = frozenset({EvidenceKind.INVESTMENT_MADE})


@transaction.atomic
def record_evidence(
    project,
    *,
    actor,
    kind,
    occurred_on,
    title,
    party="",
    amount_fen=None,
    note="",
    upload=None,
) -> ProjectEvidence:
    """Record one piece of stage evidence, with who recorded it and when (and a file)."""
    project = _locked(project)
    policies.require(actor, "record_evidence", project)
    if kind in DERIVED_EVIDENCE:
        raise field_error(
            "kind",
            _(
                "Signed contracts and their receipts are read from the contract records: "
                "record the contract (or the receipt) instead."
            ),
            "derived_evidence",
        )
    if not (party or "").strip():
        raise field_error(
            "party",
            _("Name who issued the report, the company founded or the investor."),
            "party_required",
        )
    if kind in AMOUNT_REQUIRED and not amount_fen:
        raise field_error("amount_fen", _("Record the amount invested."), "amount_required")
    evidence = ProjectEvidence(
        project=project,
        kind=kind,
        occurred_on=occurred_on,
        title=title,
        party=party.strip(),
        amount_fen=amount_fen,
        note=note,
        recorded_by=actor_user(actor),
    )
    if upload is not None:
        evidence.original_name = check_attachment(upload)
    evidence.full_clean(exclude=["file"])
    if upload is not None:
        evidence.file.save(evidence.original_name, upload, save=False)
    evidence.save()
    record_change(
        actor=actor, obj=evidence, action=ObjectChange.Action.CREATE, before=None, related=project
    )
    _bump(project)
    return evidence
