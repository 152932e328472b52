"""The transfer dashboard: the user's own transfer work with links to every register."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from tmhub.core import metrics, result_cache
from tmhub.core.access import CHANGE, get_scope
from tmhub.core.roles import Role
from tmhub.transfer import selectors
from tmhub.transfer.choices import AchievementStatus, DemandStatus, SplitStatus, Stage
from tmhub.transfer.models import Achievement, Contract, Demand, Project, RewardSplit

# A manager's own figures of the year, from the metrics registry (tmhub.transfer.metrics).
MINE = {
    "projects": "transfer_projects_served",
    "contracts": "transfer_contracts_signed",
    "income_fen": "transfer_income_fen",
    "introductions": "transfer_introductions",
}


UNPUBLISHED = [s for s in AchievementStatus.values if s != AchievementStatus.PUBLISHED]


def home(request):
    user, scope = request.user, get_scope(request.user)
    year = timezone.localdate().year
    context = {
        "year": year,
        # The same two figures for everyone: counted once per change of any record.
        "published_achievements": result_cache.remember(
            "transfer:published-achievements",
            Achievement.objects.filter(status=AchievementStatus.PUBLISHED).count,
        ),
        "published_demands": result_cache.remember(
            "transfer:published-demands",
            Demand.objects.filter(status=DemandStatus.PUBLISHED).count,
        ),
        "recent_achievements": Achievement.objects.restrict(user)
        .filter(status=AchievementStatus.PUBLISHED)
        .select_related("owner", "field")
        .order_by("-published_at")[:6],
        "recent_demands": Demand.objects.restrict(user)
        .filter(status=DemandStatus.PUBLISHED)
        .select_related("organization")
        .order_by("-published_at")[:6],
    }
    if scope.is_authenticated:
        projects = Project.objects.restrict(user)
        context.update(result_cache.remember(
            f"transfer:home:{year}", lambda: _own_figures(user, scope, year), user=user))
        context["funnel"] = [(stage, Stage(stage).label, count)
                             for stage, count in context.pop("stage_counts")]
        context["recent_projects"] = (
            projects.select_related("institution").order_by("-updated_at")[:8])
    context["last_year"] = datetime.date(year - 1, 1, 1).year
    return render(request, "transfer/home.html", context)


def _own_figures(user, scope, year: int) -> dict:
    """The signed-in user's counts and totals of the year in their own scope: a dozen
    aggregates, counted once per change of any record (tmhub.core.result_cache) rather than
    on every visit of the page they land on. Plain numbers only; the rows are read live."""
    projects = Project.objects.restrict(user)
    contracts = Contract.objects.restrict(user)
    splits = RewardSplit.objects.restrict(user)
    figures = {
        "stage_counts": [(stage, count) for stage, _label, count
                         in selectors.stage_funnel(projects)],
        "project_count": projects.count(),
        # Listing the other statuses (not excluding one) lets the database read the few
        # unpublished rows through the status index instead of all of them.
        "my_drafts": Achievement.objects.restrict(user).filter(status__in=UNPUBLISHED).count(),
        "my_demands": Demand.objects.restrict(user, CHANGE).count(),
        "contracts": selectors.contract_totals(contracts, year),
        "income": selectors.income_totals(contracts, year),
        "rewards": selectors.reward_totals(splits, year),
        "pending_splits": splits.filter(status=SplitStatus.DRAFT).count(),
    }
    if scope.has_role(Role.MANAGER):
        mine = metrics.compute(MINE.values(), [user.pk], metrics.Period.year(year))
        figures["mine"] = {name: mine[key][user.pk] for name, key in MINE.items()}
    return figures
