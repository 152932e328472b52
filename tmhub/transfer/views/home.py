"""The transfer dashboard: the user's own transfer work with links to every register."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from tmhub.core.access import get_scope
from tmhub.transfer import selectors
from tmhub.transfer.choices import AchievementStatus, DemandStatus
from tmhub.transfer.models import Achievement, Contract, Demand, Project, RewardSplit


def home(request):
    user, scope = request.user, get_scope(request.user)
    year = timezone.localdate().year
    context = {
        "year": year,
        "published_achievements": Achievement.objects.filter(
            status=AchievementStatus.PUBLISHED).count(),
        "published_demands": Demand.objects.filter(status=DemandStatus.PUBLISHED).count(),
        "recent_achievements": Achievement.objects.restrict(user).filter(
            status=AchievementStatus.PUBLISHED).select_related("owner", "field")
        .order_by("-published_at")[:6],
        "recent_demands": Demand.objects.restrict(user).filter(status=DemandStatus.PUBLISHED)
        .select_related("organization").order_by("-published_at")[:6],
    }
    if scope.is_authenticated:
        projects = Project.objects.restrict(user)
        contracts = Contract.objects.restrict(user)
        splits = RewardSplit.objects.restrict(user)
        context.update({
            "funnel": selectors.stage_funnel(projects),
            "project_count": projects.count(),
            "my_drafts": Achievement.objects.restrict(user).exclude(
                status=AchievementStatus.PUBLISHED).count(),
            "my_demands": Demand.objects.restrict(user, "change").count(),
            "contracts": selectors.contract_totals(contracts, year),
            "income": selectors.income_totals(contracts, year),
            "rewards": selectors.reward_totals(splits, year),
            "pending_splits": splits.filter(status="draft").count(),
            "recent_projects": projects.select_related("institution").order_by(
                "-updated_at")[:8],
        })
        if scope.has_role("manager"):
            context["mine"] = {
                "projects": selectors.projects_served(user, year),
                "contracts": selectors.contracts_signed(user, year),
                "income_fen": selectors.income_fen(user, year),
                "introductions": selectors.introductions_made(user, year),
            }
    context["last_year"] = datetime.date(year - 1, 1, 1).year
    return render(request, "transfer/home.html", context)
