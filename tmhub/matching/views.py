"""HTMX partials listing ranked matches with their reasons, loaded into the record pages.

A record's page asks for its matches with one include, the record in its context under its
own name; the include renders a heading and loads the partial below::

    {% include "matching/_achievements_for_demand.html" %}   {# needs `demand` #}
    {% include "matching/_demands_for_achievement.html" %}   {# needs `achievement` #}
    {% include "matching/_managers_for_project.html" %}      {# needs `project` #}

The source record must be visible to the user (else 404, like a missing record); the results
are re-read through the user's restricted querysets by the service.
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from tmhub.core.access import get_restricted_or_404
from tmhub.matching import services
from tmhub.matching.forms import NeedForm

LIMIT = 10


def _partial(request, matches, kind, empty_text):
    return render(request, "matching/_results.html",
                  {"matches": matches, "kind": kind, "empty_text": empty_text})


def achievements_for_demand(request, demand_pk):
    from tmhub.transfer.models import Demand

    demand = get_restricted_or_404(Demand.objects.select_related("field", "district"),
                                   request.user, pk=demand_pk)
    matches = services.achievements_for_demand(demand, user=request.user, limit=LIMIT)
    return _partial(request, matches, "achievement", _("No published achievement matches yet."))


def demands_for_achievement(request, achievement_pk):
    from tmhub.transfer.models import Achievement

    achievement = get_restricted_or_404(
        Achievement.objects.select_related("field", "owner__district"), request.user,
        pk=achievement_pk)
    matches = services.demands_for_achievement(achievement, user=request.user, limit=LIMIT)
    return _partial(request, matches, "demand", _("No published demand matches yet."))


def managers_for_project(request, project_pk):
    from tmhub.transfer.models import Project

    project = get_restricted_or_404(
        Project.objects.select_related("field", "institution__district"), request.user,
        pk=project_pk)
    matches = services.managers_for_project(project, user=request.user, limit=LIMIT)
    return _partial(request, matches, "manager", _("No technology manager matches yet."))


def providers_for_need(request):
    """A need described in free text (and an industry field) → service providers.

    Loaded as a partial by HTMX; opened directly it is a page with the form."""
    form = NeedForm(request.GET or None)
    matches = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        matches = services.providers_for_need(data["q"], user=request.user,
                                              industry_field=data["field"],
                                              district=data["district"], limit=LIMIT)
    if request.htmx:
        return _partial(request, matches or [], "provider",
                        _("Describe the need or choose a field."))
    return render(request, "matching/providers.html", {"form": form, "matches": matches})


