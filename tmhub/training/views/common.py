"""Helpers shared by the training views."""

from django.http import Http404
from django.shortcuts import render

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.training.models import Cohort


def managed_cohort_or_404(request, pk):
    """A cohort the user may see *and* run (the cohort policy's `manage`); else a 404."""
    cohort = get_restricted_or_404(
        Cohort.objects.select_related("programme__provider"), request.user, pk=pk)
    if not policies.allows(request.user, "manage", cohort):
        raise Http404
    return cohort


def form_page(request, template_context):
    return render(request, "training/form.html", template_context)
