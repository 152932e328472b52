"""Results of the title rounds (issue 16 item 6): the public notice list, the public
verification of a qualification number, and the pass rates for the bureau and the city."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from tmhub.core.access import get_scope
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.metrics import Period
from tmhub.core.params import positive_int
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel
from tmhub.evaluation.policies import is_bureau
from tmhub.evaluation.services import results as services


class NoticeFilterForm(BootstrapFormMixin, forms.Form):
    level = forms.ModelChoiceField(TitleLevel.objects.all(), label=_("Level"), required=False,
                                   to_field_name="code", empty_label=_("All levels"))
    direction = forms.ModelChoiceField(TitleDirection.objects.all(), label=_("Direction"),
                                       required=False, to_field_name="code",
                                       empty_label=_("All directions"))


class VerifyForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(label=_("Qualification number"), max_length=60)


def notice_list(request):
    """Public: the titles whose result is under public notice today (公示), with the period
    and how to object; name, institution, level and direction only."""
    rows = services.public_notices()
    form = NoticeFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["level"]:
            rows = rows.filter(level=form.cleaned_data["level"])
        if form.cleaned_data["direction"]:
            rows = rows.filter(direction=form.cleaned_data["direction"])
    page_number = positive_int(request.GET.get("page") or 1)
    paginator = Paginator(rows, 50)
    if page_number is None or page_number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.page(page_number)
    return render(request, "evaluation/notice_list.html", {
        "form": form, "page_obj": page, "paginator": paginator,
        "object_list": page.object_list, "is_paginated": paginator.num_pages > 1,
        "today": timezone.localdate()})


def _verification_page(request, number):
    application = services.find_by_number(number)
    shown = services.normalise_number(number)[:40]
    response = render(request, "evaluation/title_verify.html", {
        "number": shown, "found": services.verification(application) if application else None,
        "form": VerifyForm(initial={"number": shown})}, status=200 if application else 404)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def title_lookup(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        number = services.normalise_number(form.cleaned_data["number"])
        if "/" in number or not number.isprintable():
            return _verification_page(request, number)
        return redirect(reverse("evaluation:title-verify", args=[number]))
    response = render(request, "evaluation/title_verify.html", {"form": form, "lookup": True})
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def title_verify(request, number):
    """Public: is this qualification number a title approved on the platform? An unknown
    number answers 404 (guessing numbers is visibly fruitless)."""
    return _verification_page(request, number)


def pass_rates(request):
    """The bureau's and the city's pass rates of a year, by level, direction and kind of
    institution (others: 404)."""
    if not request.user.is_authenticated:
        raise Http404
    scope = get_scope(request.user)
    if not (is_bureau(scope) or scope.is_municipal):
        raise Http404
    today = timezone.localdate()
    year = positive_int(request.GET.get("year") or today.year)
    if year is None or not 2000 <= year <= today.year:
        raise Http404
    rates = services.pass_rates(TitleApplication.objects.restrict(request.user),
                                Period.year(year))
    return render(request, "evaluation/pass_rates.html", {
        "rates": rates, "year": year, "years": list(range(today.year, today.year - 6, -1))})
