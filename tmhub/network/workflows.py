"""The review of a catalogue entry: the provider drafts and submits, the city publishes or
returns it with a reason; a public entry can be withdrawn and drafted again."""

from django.utils.translation import gettext_lazy as _

from tmhub.core.roles import Role
from tmhub.core.workflow import Transition, Workflow
from tmhub.network.choices import NetworkEvent as E
from tmhub.network.choices import ServiceStatus as S


def is_own_provider(scope, service) -> bool:
    """A user of the service's provider organisation (service-provider role)."""
    return service.provider_id in scope.orgs(Role.SERVICE_PROVIDER)


def is_city(scope, service=None) -> bool:
    return scope.is_municipal


def own_or_city(scope, service) -> bool:
    return is_own_provider(scope, service) or is_city(scope, service)


SERVICE_WORKFLOW = Workflow([
    Transition(S.DRAFT, S.SUBMITTED, is_own_provider, E.SERVICE_SUBMITTED,
               label=_("Submit for city review")),
    Transition(S.SUBMITTED, S.PUBLISHED, is_city, E.SERVICE_PUBLISHED,
               label=_("Publish"), style="success"),
    Transition(S.SUBMITTED, S.REJECTED, is_city, E.SERVICE_RETURNED,
               label=_("Return to the provider"), style="outline-danger", needs_reason=True),
    Transition((S.REJECTED, S.WITHDRAWN), S.DRAFT, is_own_provider,
               E.SERVICE_REOPENED, label=_("Edit again"), style="outline-secondary"),
    Transition(S.PUBLISHED, S.WITHDRAWN, own_or_city, E.SERVICE_WITHDRAWN,
               label=_("Withdraw from the directory"), style="outline-danger",
               asks_reason=True),
])


def buttons(service, user):
    return SERVICE_WORKFLOW.buttons(service, user)



# ---------------------------------------------------------------- needs and introductions
from django.utils import timezone  # noqa: E402

from tmhub.network.choices import IntroductionStatus as I  # noqa: E402
from tmhub.network.choices import NeedEvent as NE  # noqa: E402
from tmhub.network.choices import NeedStatus as N  # noqa: E402


def works_the_project(scope, need) -> bool:
    """The project's institution administrators and active managers (and the city)."""
    from tmhub.core import policies
    from tmhub.core.access import CHANGE

    if scope.is_municipal:
        return True
    return policies.policy_for(need.project).covers(scope, need.project, CHANGE)


def is_introduced_provider(scope, introduction) -> bool:
    return introduction.provider_id in scope.orgs(Role.SERVICE_PROVIDER)


def poster_side(scope, introduction) -> bool:
    return works_the_project(scope, introduction.need)


def need_is_open(introduction) -> None:
    from django.core.exceptions import ValidationError

    if introduction.need.status != N.OPEN:
        raise ValidationError(_("The need is no longer open."), code="need_not_open")


def _answered(step) -> None:
    from tmhub.core.actors import actor_user

    step.obj.answered_by = actor_user(step.actor)
    step.obj.answered_at = timezone.now()


NEED_WORKFLOW = Workflow([
    Transition(N.OPEN, N.CLOSED, works_the_project, NE.NEED_CLOSED,
               label=_("Close the need (found what was needed)"), style="success",
               asks_reason=True),
    Transition(N.OPEN, N.CANCELLED, works_the_project, NE.NEED_CANCELLED,
               label=_("Cancel the need"), style="outline-danger", needs_reason=True),
])

INTRODUCTION_WORKFLOW = Workflow([
    Transition(I.SENT, I.ACCEPTED, is_introduced_provider, NE.INTRODUCTION_ACCEPTED,
               label=_("Accept"), style="success", asks_reason=True, guards=(need_is_open,),
               effects=(_answered,)),
    Transition(I.SENT, I.DECLINED, is_introduced_provider, NE.INTRODUCTION_DECLINED,
               label=_("Decline"), style="outline-danger", needs_reason=True,
               effects=(_answered,)),
    Transition(I.SENT, I.WITHDRAWN, poster_side, NE.INTRODUCTION_WITHDRAWN,
               label=_("Withdraw the introduction"), style="outline-secondary",
               needs_reason=True),
])


# ---------------------------------------------------------------- collaborations
from tmhub.network.choices import RATING_WINDOW_DAYS  # noqa: E402
from tmhub.network.choices import CollaborationEvent as CE  # noqa: E402
from tmhub.network.choices import CollaborationStatus as C  # noqa: E402


def project_side(scope, collaboration) -> bool:
    """Who works the collaboration's project (its institution's administrators, its active
    managers) and the city."""
    from tmhub.core import policies
    from tmhub.core.access import CHANGE

    return scope.is_municipal or policies.policy_for(collaboration.project).covers(
        scope, collaboration.project, CHANGE)


def either_side(scope, collaboration) -> bool:
    return project_side(scope, collaboration) or (
        collaboration.provider_id in scope.orgs(Role.SERVICE_PROVIDER))


def outcome_recorded(collaboration) -> None:
    from django.core.exceptions import ValidationError

    if not (collaboration.outcome or "").strip():
        raise ValidationError(_("Record the outcome before completing the collaboration."),
                              code="outcome_missing")


def _completed(step) -> None:
    import datetime

    today = timezone.localdate()
    step.obj.completed_on = today
    step.obj.rating_closes_on = today + datetime.timedelta(days=RATING_WINDOW_DAYS)


COLLABORATION_WORKFLOW = Workflow([
    Transition(C.ACTIVE, C.COMPLETED, project_side, CE.COMPLETED,
               label=_("Complete the collaboration"), style="success",
               guards=(outcome_recorded,), effects=(_completed,)),
    Transition(C.ACTIVE, C.CANCELLED, either_side, CE.CANCELLED,
               label=_("Cancel the collaboration"), style="outline-danger", needs_reason=True),
])


# ---------------------------------------------------------------- financing approval
from django.utils.translation import gettext  # noqa: E402

from tmhub.core.workflow import FourEyes, TransitionError, created_by  # noqa: E402
from tmhub.network.choices import FinancingEvent as FE  # noqa: E402
from tmhub.network.choices import FinancingStatus as F  # noqa: E402

FINANCING_APPROVAL_STEP = "network.financing.approve"


class SecondPersonAlways(FourEyes):
    """Four-eyes that fails closed: money is approved by a second person unless a rule in
    force (core.FourEyesRule, seeded by migration 0006) has expressly lifted it; a missing
    rule row (a flushed test database, a deleted row) keeps the rule."""

    def refusal(self, obj, actor):
        from tmhub.core.actors import actor_user

        user_id = getattr(actor_user(actor), "pk", None)
        if user_id is None:
            return None
        rule = self.rule()
        if rule is not None and not rule.second_person_required:
            return None
        if user_id not in set(self.prepared_by(obj)):
            return None
        name = rule.name if rule is not None else gettext(
            "a financing round is approved by someone other than who recorded it")
        return TransitionError(
            gettext("You drafted or submitted this record, so another person must take this "
                    "step (four-eyes rule: %(rule)s).") % {"rule": name},
            code="same_person_approval")


FINANCING_FOUR_EYES = SecondPersonAlways(FINANCING_APPROVAL_STEP, created_by("recorded_by"))


def approves_financing(scope, financing) -> bool:
    """Who approves a round: for a project's round the administrators of its institution; for
    a company's own round the city (the project's managers and the company record them)."""
    from tmhub.core import policies

    return policies.allows(scope, "approve", financing)


def _decided(step) -> None:
    from tmhub.core.actors import actor_user

    step.obj.decided_by = actor_user(step.actor)
    step.obj.decided_at = timezone.now()


FINANCING_WORKFLOW = Workflow([
    Transition(F.PENDING, F.APPROVED, approves_financing, FE.APPROVED,
               label=_("Approve the round"), style="success", effects=(_decided,),
               four_eyes=FINANCING_FOUR_EYES,
               confirm=_("Approve this round? It will count in the financing figures; a "
                         "mistake is corrected only by a reversal.")),
    Transition(F.PENDING, F.RETURNED, approves_financing, FE.RETURNED,
               label=_("Return to who recorded it"), style="outline-danger",
               needs_reason=True, effects=(_decided,)),
])
