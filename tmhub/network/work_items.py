"""What awaits a person's action in the resource network (My work, tmhub.core.work_items):
introductions a provider's users must answer (by the need's deadline), ratings due after a
completed collaboration (by the window's close), and the catalogue entries the city must
review. Rows are narrowed by the network's policies and its workflows' own rules."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core import work_items
from tmhub.core.access import VIEW, Scope, get_scope
from tmhub.network.choices import CollaborationStatus, IntroductionStatus, ServiceStatus
from tmhub.network.models import Collaboration, Introduction, ProviderService
from tmhub.network.policies import rater_side
from tmhub.network.workflows import INTRODUCTION_WORKFLOW, SERVICE_WORKFLOW


def _as_scope(actor) -> Scope:
    return actor if isinstance(actor, Scope) else get_scope(actor)


@work_items.register("network.introduction_to_answer", module="network",
                     label=_("Introductions to answer"))
def introductions_to_answer(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = (work_items.restrict(Introduction.objects.filter(status=IntroductionStatus.SENT),
                                scope, VIEW).select_related("need", "provider"))
    for introduction in rows:
        if not work_items.steps_open_to(INTRODUCTION_WORKFLOW, introduction, scope):
            continue
        if introduction.provider_id not in scope.orgs("service_provider"):
            continue  # the need's side may withdraw it, but the answer is the provider's
        yield work_items.WorkItem(
            title=_("Answer the introduction to “%(need)s”") % {"need": introduction.need.title},
            url=reverse("network:introduction-detail", args=[introduction.pk]),
            action_label=_("Answer"), due_on=introduction.need.deadline,
            record=introduction)


@work_items.register("network.rating_due", module="network", label=_("Ratings due"))
def ratings_due(scope):
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    today = timezone.localdate()
    rows = (work_items.restrict(Collaboration.objects.filter(
        status=CollaborationStatus.COMPLETED, rating_closes_on__gte=today,
        ratings_released_at__isnull=True), scope, VIEW)
        .select_related("project", "provider").prefetch_related("ratings"))
    for collaboration in rows:
        side = rater_side(scope, collaboration)
        if side is None or any(r.rater_side == side for r in collaboration.ratings.all()):
            continue
        yield work_items.WorkItem(
            title=_("Rate the collaboration %(name)s") % {"name": str(collaboration)},
            url=reverse("network:collaboration-rate", args=[collaboration.pk]),
            action_label=_("Rate"), due_on=collaboration.rating_closes_on,
            record=collaboration)


@work_items.register("network.service_review", module="network",
                     label=_("Catalogue entries to review"))
def services_to_review(scope):
    scope = _as_scope(scope)
    if not scope.is_municipal:
        return
    rows = (work_items.restrict(ProviderService.objects.filter(
        status=ServiceStatus.SUBMITTED), scope, VIEW).select_related("provider"))
    for service in rows:
        if not work_items.steps_open_to(SERVICE_WORKFLOW, service, scope):
            continue
        yield work_items.WorkItem(
            title=_("Review the catalogue entry “%(title)s” of %(provider)s")
            % {"title": service.title, "provider": service.provider.name},
            url=service.get_absolute_url(), action_label=_("Review"), record=service)


@work_items.register("network.financing_approval", module="network",
                     label=_("Financing rounds to approve"))
def financing_to_approve(scope):
    """Pending rounds and reversals the person may approve, never their own (four-eyes)."""
    from tmhub.network.choices import FinancingStatus
    from tmhub.network.models import Financing
    from tmhub.network.workflows import FINANCING_WORKFLOW

    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    rows = (work_items.restrict(Financing.objects.filter(status=FinancingStatus.PENDING),
                                scope, VIEW)
            .exclude(recorded_by_id=scope.user_id)
            .select_related("project", "company"))
    for financing in rows:
        if not work_items.steps_open_to(FINANCING_WORKFLOW, financing, scope,
                                        enabled_only=True):
            continue
        yield work_items.WorkItem(
            title=_("Approve the financing round %(name)s") % {"name": str(financing)},
            url=financing.get_absolute_url(), action_label=_("Review"), record=financing)
