"""Title pages: the one-step eligibility check and the rules in force (SPEC §6, issue 16)."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from tmhub.evaluation.forms import EligibilityForm
from tmhub.evaluation.models import TitleLevel
from tmhub.evaluation.services.titles import (
    check_eligibility,
    performance_in_force,
    procedure_in_force,
    profile_initial,
    routes_in_force,
)


def _bases(rows):
    """The distinct (legal basis, start, confirmed) of a level's routes, shown once under its
    table rather than on every row."""
    seen = {}
    for row in rows:
        seen.setdefault((row.legal_basis_text, row.effective_from, row.confirmed), None)
    return [{"text": text, "since": since, "confirmed": confirmed}
            for text, since, confirmed in seen]


@require_http_methods(["GET"])
def home(request):
    """Public: may I apply for a level, and why — each condition explained — with every rule
    in force, its legal basis and whether its figure is confirmed."""
    asked = "level" in request.GET
    form = EligibilityForm(request.GET if asked else None,
                           initial=profile_initial(request.user))
    verdict = None
    if asked and form.is_valid():
        verdict = check_eligibility(**form.cleaned_data)
    levels = []
    for level in TitleLevel.objects.all():
        routes = routes_in_force(level)
        levels.append({"level": level, "routes": routes,
                       "performance": performance_in_force(level, None),
                       "bases": _bases(routes)})
    return render(request, "evaluation/home.html", {
        "form": form, "verdict": verdict,
        "asked_level": form.cleaned_data.get("level") if verdict else None,
        "levels": levels, "procedure": procedure_in_force(),
        "rating_links": _rating_links(request),
    })


def _rating_links(request):
    from tmhub.core.access import get_scope
    from tmhub.evaluation.nav import rating_links

    return rating_links(get_scope(request.user))
