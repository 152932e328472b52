"""Helpers shared by the training views."""

from django.http import Http404

from tmhub.core.access import get_restricted_or_404
from tmhub.training.models import Cohort
from tmhub.training.services.permissions import manages_cohort


def managed_cohort_or_404(request, pk):
    """A cohort the user may see *and* run; anything else is a 404."""
    cohort = get_restricted_or_404(
        Cohort.objects.select_related("programme__provider"), request.user, pk=pk)
    if not manages_cohort(request.user, cohort):
        raise Http404
    return cohort


def form_page(request, template_context):
    from django.shortcuts import render

    return render(request, "training/form.html", template_context)
