"""Every write to talent programmes and nominations (issue 17 item 6; plan task 3).

The evidence of a nomination is gathered from the records when it is submitted
(`attach_evidence`), so the bureau reviews figures the nominator cannot type in: the manager's
latest published rating (total, level, round), the technology contracts of the transfer
projects they are or were assigned to (ProjectAssignment → project → contracts), with their
value and the income received under them. The sums are the metrics registry's figures
(`transfer_contracts_signed`, `transfer_contract_value_fen`, `transfer_income_fen`) over every
day up to the day of submission — one definition for filings, ratings and nominations."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import metrics, policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.evaluation.models import Nomination, Rating, TalentProgramme
from tmhub.evaluation.policies_spotlight import may_nominate
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind
from tmhub.evaluation.spotlight_choices import NominationStatus
from tmhub.evaluation.spotlight_workflows import NOMINATION_WORKFLOW

# Records before this day are not on the platform: the evidence period starts here.
EARLIEST = datetime.date(1990, 1, 1)
PROGRAMME_FIELDS = ("name_zh", "name_en", "issuer", "year", "description", "opens_on",
                    "closes_on")
CONTRACTS_SHOWN = 50  # contracts listed one by one in the evidence (all are counted)


# ---------------------------------------------------------------- programmes
def _validate_programme(programme: TalentProgramme) -> None:
    programme.full_clean(exclude=["created_by"])
    if programme.closes_on < programme.opens_on:
        raise field_error("closes_on", _("The window closes before it opens."),
                          "dates_reversed")


@transaction.atomic
def create_programme(*, actor, **values) -> TalentProgramme:
    """The city or the 市人才工作局 enters a programme with its nomination window."""
    programme = TalentProgramme(created_by=actor_user(actor),
                                **{k: values[k] for k in PROGRAMME_FIELDS if k in values})
    policies.require(actor, "create", programme)
    _validate_programme(programme)
    programme.save()
    record_change(actor=actor, obj=programme, action=ObjectChange.Action.CREATE, before=None)
    return programme


@transaction.atomic
def update_programme(programme: TalentProgramme, *, actor, **values) -> TalentProgramme:
    policies.require(actor, "change", programme)
    programme = TalentProgramme.objects.select_for_update().get(pk=programme.pk)
    before = snapshot(programme)
    for key in PROGRAMME_FIELDS:
        if key in values:
            setattr(programme, key, values[key])
    _validate_programme(programme)
    programme.save()
    record_change(actor=actor, obj=programme, action=ObjectChange.Action.UPDATE, before=before)
    return programme


# ---------------------------------------------------------------- evidence
def latest_published_rating(manager) -> Rating | None:
    """The manager's rating in the latest published round (by cut-off), if any."""
    return (Rating.objects.filter(subject_kind=SubjectKind.MANAGER, manager=manager,
                                  round__status=RoundStatus.PUBLISHED)
            .select_related("round", "system").order_by("-round__period_end",
                                                         "-round__published_at").first())


def gather_evidence(manager, as_of: datetime.date) -> dict:
    """The evidence from records about `manager` as of `as_of` (a JSON-ready dict)."""
    from tmhub.evaluation.services.cases import published_cases_for_manager
    from tmhub.transfer.models import Contract

    period = metrics.Period(EARLIEST, as_of)
    figures = metrics.compute(("transfer_contracts_signed", "transfer_contract_value_fen",
                               "transfer_income_fen"), [manager.pk], period)
    contracts = (Contract.objects.filter(project__assignments__user=manager,
                                         signed_on__range=(period.start, period.end))
                 .distinct().order_by("-signed_on", "-id")
                 .values("id", "number", "title", "kind", "amount_fen", "currency",
                         "signed_on", "project_id"))
    rating = latest_published_rating(manager)
    return {
        "as_of": str(as_of),
        "rating": None if rating is None else {
            "id": rating.pk, "total": str(rating.total), "level": rating.level,
            "level_name": str(rating.level_name), "round_id": rating.round_id,
            "round_name": rating.round.name, "cutoff": str(rating.round.period_end)},
        "contract_count": figures["transfer_contracts_signed"][manager.pk],
        "contract_value_fen": figures["transfer_contract_value_fen"][manager.pk],
        "income_fen": figures["transfer_income_fen"][manager.pk],
        "contracts": [{**c, "signed_on": str(c["signed_on"])}
                      for c in contracts[:CONTRACTS_SHOWN]],
        # Published cases only: a draft is not yet evidence anyone has checked.
        "cases": [{"id": case.pk, "title": case.title_zh,
                   "published_on": str(timezone.localdate(case.published_at))}
                  for case in published_cases_for_manager(manager)
                  .filter(published_at__date__lte=as_of).order_by("-published_at")],
    }


def attach_evidence(nomination: Nomination) -> None:
    """Fill the nomination's evidence from the records of today (a workflow effect: the
    submission saves it)."""
    today = timezone.localdate()
    nomination.evidence = gather_evidence(nomination.manager, today)
    nomination.evidence_as_of = today
    rating_id = (nomination.evidence.get("rating") or {}).get("id")
    nomination.rating_id = rating_id


# ---------------------------------------------------------------- nominations
def nominable_profiles(actor):
    """The registered managers `actor` may nominate: the city any, an institution's
    administrators their own staff."""
    from tmhub.core.access import get_scope
    from tmhub.core.roles import Role
    from tmhub.talent.models import ManagerProfile

    listed = ManagerProfile.objects.filter(is_listed=True).select_related("employer")
    scope = get_scope(actor)
    if scope.is_municipal:
        return listed
    return listed.filter(employer_id__in=scope.orgs(Role.INSTITUTION_ADMIN))


@transaction.atomic
def create_nomination(*, actor, programme: TalentProgramme, manager,
                      statement: str) -> Nomination:
    """A draft nomination of `manager` to an open `programme`: by their employer's
    administrator (the institution nominates) or by the city (no institution)."""
    from tmhub.core.access import get_scope
    from tmhub.core.roles import Role

    policies.require(actor, "create", Nomination)
    from tmhub.talent.models import ManagerProfile

    profile = ManagerProfile.objects.filter(user_id=manager.pk).first()  # as saved now
    if not may_nominate(actor, profile):
        raise field_error("manager", _("You may nominate only registered managers of your "
                                       "own institution."), "not_nominable")
    if not programme.is_open():
        raise field_error("programme", _("The programme takes nominations from %(opens)s to "
                                         "%(closes)s.") % {"opens": programme.opens_on,
                                                           "closes": programme.closes_on},
                          "programme_closed")
    if Nomination.objects.filter(programme=programme, manager=manager).exists():
        raise field_error("manager", _("This manager is already nominated to this programme."),
                          "already_nominated")
    scope = get_scope(actor)
    institution = None if scope.is_municipal and \
        profile.employer_id not in scope.orgs(Role.INSTITUTION_ADMIN) else profile.employer
    nomination = Nomination(programme=programme, manager=manager, institution=institution,
                            statement=(statement or "").strip(), created_by=actor_user(actor))
    NOMINATION_WORKFLOW.set_initial(nomination, NominationStatus.DRAFT)
    nomination.full_clean(exclude=["created_by", "manager", "programme", "institution"])
    nomination.save()
    record_change(actor=actor, obj=nomination, action=ObjectChange.Action.CREATE, before=None)
    return nomination


def _locked(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related("programme", "manager").get(
        pk=nomination.pk)


@transaction.atomic
def edit_nomination(nomination: Nomination, *, actor, statement: str) -> Nomination:
    """The nominator edits the statement of a draft or a returned nomination."""
    policies.require(actor, "edit", nomination)
    nomination = _locked(nomination)
    policies.require(actor, "edit", nomination)
    before = snapshot(nomination)
    nomination.statement = (statement or "").strip()
    if not nomination.statement:
        raise field_error("statement", _("Write the statement of the manager's contribution."),
                          "statement_missing")
    nomination.full_clean(exclude=["created_by", "manager", "programme", "institution"])
    nomination.save()
    record_change(actor=actor, obj=nomination, action=ObjectChange.Action.UPDATE, before=before)
    return nomination


@transaction.atomic
def step_nomination(nomination: Nomination, target: str, *, actor,
                    reason: str = "") -> Nomination:
    """One step of the nomination's workflow (submit, review, return, accept, decline)."""
    policies.require(actor, "view", nomination)
    nomination = _locked(nomination)
    NOMINATION_WORKFLOW.transition(nomination, target, actor=actor, reason=reason, locked=True)
    return nomination
