"""JSON lookups behind the searchable selects (tmhub.core.widgets.RemoteSelect).

``GET <lookup>?q=…`` answers ``{"results": [{"value": "12", "text": "…"}], "more": bool}``:
the best LIMIT matches, in the order a person expects (an exact match first, then names that
begin with the query, then the rest, names by pinyin). Every lookup reads through the model's
policy (``restrict``), like the list pages: a picker never offers a record its user may not
see, and a manager picker does not list the unlisted managers of other institutions.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from tmhub.core.models import Discipline
from tmhub.core.roles import Role

LIMIT = 20
MAX_QUERY = 100


def _query(request) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY]


def _answer(rows, label=str) -> JsonResponse:
    rows = list(rows[: LIMIT + 1])
    results = [{"value": str(row.pk), "text": label(row)} for row in rows[:LIMIT]]
    return JsonResponse({"results": results, "more": len(rows) > LIMIT})


def _rank(exact: Q, prefix: Q) -> Case:
    return Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


@require_GET
def disciplines(request):
    """NSFC disciplines by code (A0101) or name in either language; ``level`` keeps one
    level of the tree (the profile form offers first-level disciplines)."""
    rows = Discipline.objects.all()
    level = request.GET.get("level", "")
    if level.isdigit():
        rows = rows.filter(level=int(level))
    q = _query(request)
    if q:
        rows = (
            rows.filter(Q(code__istartswith=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
            .annotate(
                search_rank=_rank(
                    Q(code__iexact=q) | Q(name_zh=q) | Q(name_en__iexact=q),
                    Q(code__istartswith=q) | Q(name_zh__startswith=q) | Q(name_en__istartswith=q),
                )
            )
            .order_by("search_rank", "code")
        )
    return _answer(rows)


@require_GET
def organizations(request):
    """Active organisations the user may see, ranked like the registry's search."""
    from tmhub.orgs.filters import ranked_search
    from tmhub.orgs.models import Organization

    rows = Organization.objects.restrict(request.user).filter(is_active=True)
    rows = ranked_search(rows, _query(request))
    return _answer(rows)


@login_required
@require_GET
def managers(request):
    """Accounts of technology managers (the project pickers choose users) whose profile the
    user may see: the listed ones and those in the user's oversight."""
    from tmhub.accounts.selectors import users_with_role
    from tmhub.talent.models import ManagerProfile

    visible = ManagerProfile.objects.restrict(request.user).values("user_id")
    rows = users_with_role(Role.MANAGER).filter(pk__in=visible).select_related("manager_profile")
    q = _query(request)
    if q:
        rows = (
            rows.filter(
                Q(manager_profile__full_name__icontains=q)
                | Q(display_name__icontains=q)
                | Q(username__icontains=q)
                | Q(manager_profile__name_en__icontains=q)
            )
            .annotate(
                search_rank=_rank(
                    Q(manager_profile__full_name=q) | Q(username__iexact=q),
                    Q(manager_profile__full_name__startswith=q) | Q(username__istartswith=q),
                )
            )
            .order_by("search_rank", "manager_profile__name_pinyin", "id")
        )
    else:
        rows = rows.order_by("manager_profile__name_pinyin", "id")
    return _answer(rows, label=_manager_label)


def _manager_label(user) -> str:
    """The name on the manager's profile (what people search by), else the account's name."""
    profile = getattr(user, "manager_profile", None)
    return profile.full_name if profile is not None and profile.full_name else str(user)
