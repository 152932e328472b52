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
    levels = [{"level": level, "routes": routes_in_force(level),
               "performance": performance_in_force(level, None)}
              for level in TitleLevel.objects.all()]
    return render(request, "evaluation/home.html", {
        "form": form, "verdict": verdict,
        "asked_level": form.cleaned_data.get("level") if verdict else None,
        "levels": levels, "procedure": procedure_in_force(),
    })
