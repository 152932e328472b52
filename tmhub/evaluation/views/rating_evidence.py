"""Citing one's latest published rating on a title application (issue 17 item 4): attach and
detach, posted from the application page (the applicant, while the application is a draft or
returned; anyone else: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tmhub.core.access import CHANGE, get_restricted_or_404
from tmhub.evaluation.models import TitleApplication
from tmhub.evaluation.services import rating_use as services


def _editable(request, pk):
    return get_restricted_or_404(TitleApplication.objects.select_related("applicant"),
                                 request.user, CHANGE, pk=pk)


@login_required
@require_POST
def evidence_attach(request, pk):
    application = _editable(request, pk)
    try:
        services.attach_rating(application, actor=request.user,
                               rating_id=request.POST.get("rating"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your rating is cited as evidence; its figures are kept "
                                    "as they are today."))
    return redirect(application.get_absolute_url() + "#rating-evidence")


@login_required
@require_POST
def evidence_detach(request, pk):
    application = _editable(request, pk)
    try:
        services.detach_rating(application, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The rating is no longer cited."))
    return redirect(application.get_absolute_url() + "#rating-evidence")


def evidence_context(application, user, can_change: bool) -> dict:
    """What the application page shows of the cited rating: the snapshot (to whoever sees
    the application: reviewers read it as evidence), whether the rating changed since, a link
    to its explanation (for those the rating's own policy lets read it) and, for the
    applicant while editable, the rating they may cite."""
    from tmhub.core import policies
    from tmhub.evaluation.models import RatingEvidence

    evidence = RatingEvidence.objects.restrict(user).filter(application=application).first()
    attachable = services.attachable_rating(application) if can_change else None
    return {
        "evidence": evidence,
        "evidence_stale": services.is_stale(evidence),
        "evidence_rating_url": evidence.rating.get_absolute_url()
        if evidence and evidence.rating_id and policies.allows(user, "view", evidence.rating)
        else "",
        "attachable_rating": attachable,
        "attachable_is_cited": bool(attachable and evidence and evidence.rating_id ==
                                    attachable.pk and not services.is_stale(evidence)),
    }
