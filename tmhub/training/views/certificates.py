"""Certificates: lists, detail, PDF, revocation (asked, then approved by another person), and
the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tmhub.core import policies
from tmhub.core.access import VIEW, get_restricted_or_404
from tmhub.core.forms import ReasonForm
from tmhub.core.listing import RestrictedListView
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.training import services
from tmhub.training.choices import RevocationStatus
from tmhub.training.filters import CertificateFilter
from tmhub.training.forms import VerifyForm
from tmhub.training.models import Certificate
from tmhub.training.pdf import render_certificate
from tmhub.training.services.certificates import find_by_number, normalise_number
from tmhub.training.workflows import REVOCATION_WORKFLOW

CERTIFICATE_RELATIONS = ("enrolment__cohort__programme__provider", "trainee", "organization")


class CertificateListView(LoginRequiredMixin, RestrictedListView):
    model = Certificate
    filterset_class = CertificateFilter
    template_name = "training/certificate_list.html"
    export_filename = "training-certificates"

    def base_queryset(self):
        return Certificate.objects.select_related("organization",
                                                  "enrolment__cohort__programme__provider")

    def get_export_columns(self):
        return [
            ExportColumn(gettext_lazy("Certificate number"), lambda c: c.number),
            ExportColumn(gettext_lazy("Holder"), lambda c: c.holder_name),
            ExportColumn(gettext_lazy("Level"), lambda c: c.get_level_display()),
            ExportColumn(gettext_lazy("Employer"), lambda c: c.organization or ""),
            ExportColumn(gettext_lazy("Provider"),
                         lambda c: c.enrolment.cohort.programme.provider.name),
            ExportColumn(gettext_lazy("Class hours"), lambda c: c.hours),
            ExportColumn(gettext_lazy("Issued at"), lambda c: c.issued_at),
            ExportColumn(gettext_lazy("Status"), lambda c: c.get_status_display()),
        ]


def verify_url_for(request, certificate) -> str:
    return request.build_absolute_uri(verification_path(certificate.number))


def verification_path(number: str) -> str:
    """The public page (/certificates/verify/<n>/ once wired; the training copy until then)."""
    from django.urls import NoReverseMatch

    try:
        return reverse("certificates:verify", args=[number])
    except NoReverseMatch:
        return reverse("training:certificate-verify", args=[number])


@login_required
def certificate_detail(request, pk):
    certificate = get_restricted_or_404(Certificate.objects.select_related(
        *CERTIFICATE_RELATIONS), request.user, pk=pk)
    pending = services.open_revocation(certificate)
    may_decide = pending is not None and policies.allows(request.user, VIEW, pending)
    return render(request, "training/certificate_detail.html", {
        "certificate": certificate,
        "verify_path": verification_path(certificate.number),
        "can_revoke": pending is None and policies.allows(request.user, "revoke", certificate),
        "pending_revocation": pending if may_decide else None,
        "revocation_steps": [
            (b, reverse(REVOCATION_URLS[b.target], args=[certificate.pk]))
            for b in REVOCATION_WORKFLOW.buttons(pending, request.user)
        ] if may_decide else [],
        "reason_form": ReasonForm(),
        "show_history": policies.allows(request.user, "view_history", certificate),
    })


@login_required
def certificate_pdf(request, pk):
    certificate = get_restricted_or_404(Certificate.objects.select_related(
        *CERTIFICATE_RELATIONS), request.user, pk=pk)
    pdf = render_certificate(certificate, verify_url_for(request, certificate))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return response


@login_required
@require_POST
def certificate_revoke(request, pk):
    """Ask for the revocation (step one of two): another administrator approves it."""
    certificate = get_restricted_or_404(Certificate, request.user, pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.request_revocation(certificate, actor=request.user,
                                    reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Revocation requested. The certificate stays valid until "
                                    "another administrator approves it."))
    return redirect(certificate)


def _decide_revocation(request, pk, target, success):
    certificate = get_restricted_or_404(Certificate, request.user, pk=pk)
    revocation = services.open_revocation(certificate)
    if revocation is None or not policies.allows(request.user, VIEW, revocation):
        raise Http404
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.decide_revocation(revocation, target, actor=request.user,
                                   reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(certificate)


@login_required
@require_POST
def revocation_approve(request, pk):
    return _decide_revocation(request, pk, RevocationStatus.APPROVED,
                              _("The revocation was approved: the certificate is revoked."))


@login_required
@require_POST
def revocation_decline(request, pk):
    return _decide_revocation(request, pk, RevocationStatus.DECLINED,
                              _("The revocation was declined: the certificate stays valid."))


REVOCATION_URLS = {RevocationStatus.APPROVED: "training:revocation-approve",
                   RevocationStatus.DECLINED: "training:revocation-decline"}


@never_cache
def certificate_verify(request, number):
    """Public: valid / revoked / unknown, with what the certificate says (holder, level, hours,
    issuer, date of issue).

    An unknown number answers 404 so that guessing numbers is visibly fruitless; the page
    never shows why a certificate was revoked, nor anything about the holder beyond the name.
    """
    return _verification_page(request, number)


def _verification_page(request, number):
    certificate = find_by_number(number)
    shown = normalise_number(number)[:40]
    response = render(request, "training/certificate_verify.html", {
        "number": shown, "certificate": certificate,
        "provider": certificate.enrolment.cohort.programme.provider if certificate else None,
        "form": VerifyForm(initial={"number": shown}),
    }, status=200 if certificate else 404)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def certificate_lookup(request):
    """Public: the verification form; submitting it opens the verification page. A number no
    address can carry (a slash) is answered here: no certificate has it."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        number = normalise_number(form.cleaned_data["number"])
        if "/" in number:
            return _verification_page(request, number)
        return redirect(verification_path(number))
    response = render(request, "training/certificate_verify.html", {"form": form, "lookup": True})
    response["X-Robots-Tag"] = "noindex"
    return response
