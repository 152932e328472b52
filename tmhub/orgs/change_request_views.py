"""Pages of identity change requests: ask (the organisation's editors), the city's queue,
one request with its decision buttons, and the step itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.core.forms_errors import add_service_errors
from tmhub.orgs import services
from tmhub.orgs.change_requests import (
    CHANGE_REQUEST_WORKFLOW,
    ChangeRequestStatus,
    IdentityChangeRequest,
)
from tmhub.orgs.forms import IdentityChangeForm
from tmhub.orgs.models import Organization

DONE = {
    ChangeRequestStatus.APPROVED: gettext_lazy(
        "Approved: the organisation's record now shows the new values."
    ),
    ChangeRequestStatus.REJECTED: gettext_lazy("Rejected: the requester sees your opinion."),
    ChangeRequestStatus.WITHDRAWN: gettext_lazy("Request withdrawn."),
}


def identity_change_context(user, organization) -> dict:
    """What the organisation's page shows of identity changes: the button to ask for one, and
    the latest requests the user may read (a waiting one first)."""
    return {
        "can_request_identity_change": policies.allows(
            user, "create", IdentityChangeRequest(organization=organization)
        ),
        "identity_changes": list(
            IdentityChangeRequest.objects.restrict(user)
            .filter(organization=organization)
            .select_related("organization")
            .order_by("-created_at", "-id")[:3]
        ),
    }


@login_required
def identity_change_create(request, org_pk):
    organization = get_restricted_or_404(Organization, request.user, pk=org_pk)
    policies.require(request.user, "create", IdentityChangeRequest(organization=organization))
    form = IdentityChangeForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.request_identity_change(
                organization, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Sent to the city for review. The record keeps its current values until the "
                    "request is approved."
                ),
            )
            return redirect(change_request)
    return render(
        request,
        "orgs/identity_change_form.html",
        {
            "form": form,
            "organization": organization,
        },
    )


@login_required
def identity_change_list(request):
    """The city's queue (waiting requests first); others see the requests of organisations
    whose record they edit."""
    requests = (
        IdentityChangeRequest.objects.restrict(request.user)
        .select_related("organization", "requested_by")
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in ChangeRequestStatus.values:
        requests = requests.filter(status=status)
    return render(
        request,
        "orgs/identity_change_list.html",
        {
            "requests": requests[:200],
            "status": status,
            "statuses": ChangeRequestStatus.choices,
            "is_queue": policies.allows(request.user, "view_queue", IdentityChangeRequest),
        },
    )


def identity_change_detail(request, pk):
    change_request = get_restricted_or_404(
        IdentityChangeRequest.objects.select_related("organization", "requested_by", "decided_by"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "orgs/identity_change_detail.html",
        {
            "change_request": change_request,
            "buttons": CHANGE_REQUEST_WORKFLOW.buttons(change_request, request.user),
        },
    )


@login_required
@require_POST
def identity_change_transition(request, pk, target):
    change_request = get_restricted_or_404(IdentityChangeRequest, request.user, pk=pk)
    try:
        services.decide_identity_change(
            change_request,
            target,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            expected_status=change_request.status,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE.get(target, _("Done.")))
    return redirect("orgs:identity-change-detail", pk=pk)
