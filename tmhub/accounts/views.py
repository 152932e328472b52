"""Account pages beyond Django's auth views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def profile(request):
    memberships = request.user.memberships.filter(is_active=True).select_related(
        "organization", "district"
    )
    return render(request, "accounts/profile.html", {"memberships": memberships})
