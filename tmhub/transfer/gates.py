"""Stage gates: which evidence a project has, and what it still needs to enter a stage.

The gate of a stage is the `StageGate` rows in force today (rules as data): any one of their
evidence kinds opens it; a stage with no rows has no gate. A project's evidence is what it
recorded (`ProjectEvidence`: reports, companies founded, investments) and what its contracts
show: a contract linked to it (a signed contract) and money received under one (a receipt).

Lists (the board) call `prime(projects)` once: the rules and every card's evidence are then
read in a constant number of queries instead of a few per card.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.transfer.choices import EvidenceKind, Stage

_EVIDENCE = "_stage_evidence"  # cache on a project: the evidence kinds it holds
_RULES = "_stage_gates"  # cache on a project: {stage: [kinds]} in force

# How a missing kind is named after "needs:" (with an article, as a person would say it).
NEEDS = {
    EvidenceKind.VALUATION_REPORT: gettext_lazy("a valuation report"),
    EvidenceKind.EVALUATION_REPORT: gettext_lazy("an evaluation report"),
    EvidenceKind.SIGNED_CONTRACT: gettext_lazy("a signed contract"),
    EvidenceKind.CONTRACT_RECEIPT: gettext_lazy("a payment received under a contract"),
    EvidenceKind.COMPANY_FOUNDED: gettext_lazy("a company founded"),
    EvidenceKind.INVESTMENT_MADE: gettext_lazy("an investment made"),
}


def rules_in_force(on: datetime.date | None = None) -> dict[str, list[str]]:
    """{stage: [evidence kinds that open it]} for every gated stage, in one query."""
    from tmhub.transfer.models import StageGate

    rules: dict[str, list[str]] = defaultdict(list)
    for stage, kind in StageGate.objects.in_force(on).values_list("stage", "evidence_kind"):
        if kind not in rules[stage]:
            rules[stage].append(kind)
    for kinds in rules.values():
        kinds.sort(key=list(EvidenceKind.values).index)
    return dict(rules)


def evidence_of(projects: Iterable) -> dict[int, set[str]]:
    """{project id: evidence kinds it holds} for saved projects, in three queries."""
    from tmhub.transfer.models import Contract, ProjectEvidence, Receipt

    ids = [p.pk for p in projects]
    held: dict[int, set[str]] = {pk: set() for pk in ids}
    if not ids:
        return held
    today = timezone.localdate()
    for pk, kind in (
        ProjectEvidence.objects.filter(project_id__in=ids)
        .values_list("project_id", "kind")
        .distinct()
    ):
        held[pk].add(kind)
    for pk in (
        Contract.objects.filter(project_id__in=ids, signed_on__lte=today)
        .values_list("project_id", flat=True)
        .distinct()
    ):
        held[pk].add(EvidenceKind.SIGNED_CONTRACT)
    # Money actually received: a contract whose receipts add up to more than nothing.
    received = (
        Receipt.objects.filter(contract__project_id__in=ids)
        .values("contract_id", "contract__project_id")
        .annotate(total=Sum("amount_fen"))
        .filter(total__gt=0)
        .values_list("contract__project_id", flat=True)
    )
    for pk in received:
        held[pk].add(EvidenceKind.CONTRACT_RECEIPT)
    return held


def prime(projects: list) -> list:
    """Read the rules and the evidence of `projects` once, for the guards that follow."""
    rules = rules_in_force()
    held = evidence_of(projects)
    for project in projects:
        setattr(project, _RULES, rules)
        setattr(project, _EVIDENCE, held.get(project.pk, set()))
    return projects


def _rules(project) -> dict[str, list[str]]:
    cached = getattr(project, _RULES, None)
    return rules_in_force() if cached is None else cached


def held_by(project) -> set[str]:
    cached = getattr(project, _EVIDENCE, None)
    return evidence_of([project])[project.pk] if cached is None else cached


@dataclass(frozen=True)
class Gate:
    """The gate of one stage for one project: the kinds that open it and those held."""

    stage: str
    kinds: tuple[str, ...]
    held: frozenset[str]

    @property
    def is_open(self) -> bool:
        return not self.kinds or bool(self.held & set(self.kinds))

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def met_by(self) -> list[str]:
        return [k for k in self.kinds if k in self.held]

    @property
    def met_by_labels(self) -> list[str]:
        return [str(EvidenceKind(k).label) for k in self.met_by]

    @property
    def needs(self) -> str:
        """“needs: a valuation report or an evaluation report” (empty when open)."""
        return "" if self.is_open else needs_text(self.kinds)


def evidence_words(kinds) -> str:
    """“a valuation report or an evaluation report”: any one of `kinds`, in words."""
    names = [str(NEEDS[EvidenceKind(k)]) for k in kinds]
    if len(names) == 1:
        return names[0]
    return _("%(some)s or %(last)s") % {"some": _(", ").join(names[:-1]), "last": names[-1]}


def needs_text(kinds) -> str:
    return _("needs: %(evidence)s") % {"evidence": evidence_words(kinds)}


def refusal(target: str, kinds) -> str:
    """The message of a move refused for want of evidence."""
    return _("The project cannot enter “%(stage)s” without %(evidence)s: record it first.") % {
        "stage": Stage(target).label,
        "evidence": evidence_words(kinds),
    }


def gate(project, stage: str) -> Gate:
    """The gate of `stage` as it stands for `project` now."""
    kinds = tuple(_rules(project).get(stage, ()))
    held = frozenset(held_by(project)) if kinds else frozenset()
    return Gate(stage=stage, kinds=kinds, held=held)


def gates(project) -> list[Gate]:
    """Every gated stage, in stage order, with what `project` holds (for the project page)."""
    rules = _rules(project)
    held = frozenset(held_by(project))
    return [Gate(stage=s, kinds=tuple(rules[s]), held=held) for s in Stage.values if s in rules]
