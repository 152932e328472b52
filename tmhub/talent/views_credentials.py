"""Pages of external training certificates: recorded with evidence by the manager (or their
employer's administrators), verified or rejected by the city; the evidence is served only
through a policy-checked view. The level they give is computed in `levels.py`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import get_restricted_or_404
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.forms_errors import add_service_errors
from tmhub.core.listing import RestrictedListView
from tmhub.talent import levels
from tmhub.talent.choices import TrainingLevel
from tmhub.talent.credentials import CredentialStatus, ExternalCertificate
from tmhub.talent.models import ManagerProfile


class CredentialForm(BootstrapFormMixin, forms.Form):
    issuer = forms.CharField(label=gettext_lazy("Issuing organisation"), max_length=200)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=TrainingLevel.choices)
    number = forms.CharField(label=gettext_lazy("Certificate number"), max_length=60)
    issued_on = forms.DateField(label=gettext_lazy("Date of issue"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (scan of the certificate)"),
        help_text=gettext_lazy("PDF, PNG, JPG or OFD, at most 10 MB."))


class DecisionForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)


@login_required
def credential_add(request, pk):
    """Record an external certificate for a manager (the manager, their employer, the city)."""
    profile = get_restricted_or_404(ManagerProfile, request.user, pk=pk)
    policies.require(request.user, "record_certificate", profile)
    form = CredentialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = levels.record_external_certificate(
                actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Certificate recorded: it counts for the training "
                                        "level once the city has verified it."))
            return redirect(certificate)
    return render(request, "talent/credential_form.html", {"form": form, "profile": profile})


@method_decorator(login_required, name="dispatch")
class CredentialListView(RestrictedListView):
    """External certificates the user may see; the city's verification queue (pending first)."""

    model = ExternalCertificate
    template_name = "talent/credential_list.html"

    def base_queryset(self):
        return ExternalCertificate.objects.select_related("profile")

    def get_queryset(self):
        queryset = super().get_queryset()
        state = self.request.GET.get("state", "")
        if state in CredentialStatus.values:
            queryset = queryset.filter(status=state)
        return queryset.order_by("status", "-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["state"] = self.request.GET.get("state", "")
        context["states"] = CredentialStatus.choices
        return context


@login_required
def credential_detail(request, pk):
    certificate = get_restricted_or_404(
        ExternalCertificate.objects.select_related("profile", "recorded_by", "verified_by"),
        request.user, pk=pk)
    return render(request, "talent/credential_detail.html", {
        "certificate": certificate,
        "buttons": levels.CREDENTIAL_WORKFLOW.buttons(certificate, request.user),
    })


@login_required
@require_POST
def credential_transition(request, pk, target):
    """Verify or reject (the city, not the person who recorded it)."""
    certificate = get_restricted_or_404(ExternalCertificate, request.user, pk=pk)
    policies.require(request.user, "verify", certificate)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        levels.decide_external_certificate(certificate, target, actor=request.user,
                                           reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded; the manager's training level follows "
                                    "the verified certificates."))
    return redirect("talent:credential-detail", pk=pk)


@login_required
def credential_evidence(request, pk):
    """The evidence file, for those who see the certificate (never a public URL)."""
    certificate = get_restricted_or_404(ExternalCertificate, request.user, pk=pk)
    if not certificate.evidence:
        raise Http404
    response = FileResponse(certificate.evidence.open("rb"), as_attachment=True)
    response["Cache-Control"] = "no-store"
    return response
