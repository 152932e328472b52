"""HTMX partials listing ranked matches with their reasons, loaded into the record pages.

A record's page asks for its matches with one include, the record in its context under its
own name; the include renders a heading and loads the partial below::

    {% include "matching/_achievements_for_demand.html" %}   {# needs `demand` #}
    {% include "matching/_demands_for_achievement.html" %}   {# needs `achievement` #}
    {% include "matching/_managers_for_project.html" %}      {# needs `project` #}

The source record must be visible to the user (else 404, like a missing record); the results
are re-read through the user's restricted querysets by the service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.matching import introductions, services
from tmhub.matching.forms import NeedForm
from tmhub.matching.models import IntroductionRequest
from tmhub.matching.policies import achievement_side, demand_side

LIMIT = 10
NO_PROVIDER = _("No service provider offers that yet. Try other words (patent, audit, legal…) "
                "or another field.")
EMPTY_HINT = _("No good match yet: nothing shares enough of this record's field and words. "
               "Matches appear here as soon as suitable records are published.")


def _partial(request, matches, kind, empty_text):
    return render(request, "matching/_results.html",
                  {"matches": matches, "kind": kind, "empty_text": empty_text,
                   "empty_hint": EMPTY_HINT if kind in ("achievement", "demand") else "",
                   # where a next step returns to: the record page the panel is on
                   "next_url": (request.htmx.current_url_abs_path if request.htmx
                                else request.get_full_path()) or ""})


def _next_steps(request, matches, pair):
    """Mark each match with the next step the user may take (``m.step``: "demand" to express
    interest, "achievement" to request an introduction, "done" once asked, "" for none)."""
    if not request.user.is_authenticated or not matches:
        return
    scope = get_scope(request.user)
    pairs = [pair(m.obj) for m in matches]
    asked = set(IntroductionRequest.objects.filter(
        achievement__in=[a for a, _d in pairs], demand__in=[d for _a, d in pairs])
        .values_list("achievement_id", "demand_id", "side"))
    for match, (achievement, demand) in zip(matches, pairs):
        side = ("demand" if demand_side(scope, demand)
                else "achievement" if achievement_side(scope, achievement) else "")
        match.step = "done" if side and (achievement.pk, demand.pk, side) in asked else side
        match.pair = (demand.pk, achievement.pk)


def achievements_for_demand(request, demand_pk):
    from tmhub.transfer.models import Demand

    demand = get_restricted_or_404(Demand.objects.select_related("field", "district"),
                                   request.user, pk=demand_pk)
    matches = services.achievements_for_demand(demand, user=request.user, limit=LIMIT)
    _next_steps(request, matches, lambda achievement: (achievement, demand))
    return _partial(request, matches, "achievement", _("No good match among the published "
                                                       "achievements."))


def demands_for_achievement(request, achievement_pk):
    from tmhub.transfer.models import Achievement

    achievement = get_restricted_or_404(
        Achievement.objects.select_related("field", "owner__district"), request.user,
        pk=achievement_pk)
    matches = services.demands_for_achievement(achievement, user=request.user, limit=LIMIT)
    _next_steps(request, matches, lambda demand: (achievement, demand))
    return _partial(request, matches, "demand", _("No good match among the published demands."))


def managers_for_project(request, project_pk):
    from tmhub.transfer.models import Project

    project = get_restricted_or_404(
        Project.objects.select_related("field", "institution__district"), request.user,
        pk=project_pk)
    matches = services.managers_for_project(project, user=request.user, limit=LIMIT)
    return _partial(request, matches, "manager", _("No technology manager fits this project "
                                                   "well enough yet."))


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
        empty = (NO_PROVIDER if form.is_bound and matches is not None
                 else _("Describe the need or choose a field."))
        return _partial(request, matches or [], "provider", empty)
    return render(request, "matching/providers.html", {"form": form, "matches": matches})




@require_POST
def request_introduction(request, demand_pk, achievement_pk):
    """The next step from a match: express interest (the demand's side) or request an
    introduction (the achievement's side). Both records must be published and visible, and
    the user on one side of the pair, else 404."""
    from tmhub.transfer.choices import AchievementStatus, DemandStatus
    from tmhub.transfer.models import Achievement, Demand

    demand = get_restricted_or_404(
        Demand.objects.filter(status=DemandStatus.PUBLISHED).select_related("organization"),
        request.user, pk=demand_pk)
    achievement = get_restricted_or_404(
        Achievement.objects.filter(status=AchievementStatus.PUBLISHED).select_related("owner"),
        request.user, pk=achievement_pk)
    try:
        introduction = introductions.request_introduction(
            actor=request.user, achievement=achievement, demand=demand,
            message=request.POST.get("message", "")[:1000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        side = None
    else:
        side = introduction.side
        messages.success(request, _("Done: the other side has been told and can contact you."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                           require_https=request.is_secure()):
        target = (achievement.get_absolute_url() if side == IntroductionRequest.Side.ACHIEVEMENT
                  else demand.get_absolute_url())
    return redirect(target)
