"""The chain in a district (issue 15 item 8): demand publication → technology matching →
negotiation → landing, as counts on the district page and, behind each count, the list of the
demands it counts (tmhub.districts.metrics.chain_demands decides both, so they agree)."""

from __future__ import annotations

import django_filters
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from tmhub.core import metrics
from tmhub.core.access import VIEW, get_scope
from tmhub.core.listing import RestrictedListView
from tmhub.core.metrics import Period
from tmhub.core.models import District
from tmhub.core.tabular.exporting import ExportColumn
from tmhub.districts.metrics import CHAIN_STEPS, PLAN_PERIOD, chain_counts, chain_demands
from tmhub.districts.policies import runs_district
from tmhub.transfer import search as token_search
from tmhub.transfer.models import Demand

STEPS = dict(CHAIN_STEPS)


def periods() -> dict[str, Period]:
    """The two periods the district page shows: this year (to today's year) and the plan's."""
    return {"year": Period.year(timezone.localdate().year), "plan": PLAN_PERIOD}


def district_or_404(code: str) -> District:
    """The district of a page's URL code; a code no district could have is a missing page
    without a query."""
    if not (code.isascii() and code.isalnum() and len(code) <= 12):
        raise Http404
    return get_object_or_404(District, code=code)


def _rate(count: int, before: int | None):
    """The share of the step before that reached this step (None for the first step or when
    the step before is empty)."""
    if before is None or not before:
        return None
    return round(100 * count / before)


def chain_rows(district: District) -> list[dict]:
    """One row per step: its metric, and for each period its count, its share of the step
    before and the link to the demands counted (one query per period)."""
    computed = {name: chain_counts([district.pk], period) for name, period in periods().items()}
    rows, before = [], {name: None for name in computed}
    for step, key in CHAIN_STEPS:
        cells = {}
        for name, counts in computed.items():
            count = counts[step].get(district.pk, 0)
            cells[name] = {"count": count, "rate": _rate(count, before[name]),
                           "url": reverse("districts:chain", args=[district.code, step])
                           + f"?period={name}"}
            before[name] = count
        rows.append({"step": step, "metric": metrics.get(key), **cells})
    return rows


class ChainDemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    # the view reads the period (it decides the cohort); the field keeps it across searches
    period = django_filters.ChoiceFilter(
        label=_("Period"), method="keep", empty_label=None,
        choices=[("year", _("This year")), ("plan", _("Plan period 2022–2025"))])

    class Meta:
        model = Demand
        fields = ["q", "period"]

    def search(self, queryset, name, value):
        return token_search.search(queryset, value or "")

    def keep(self, queryset, name, value):
        return queryset


@method_decorator(login_required, name="dispatch")
class DistrictChainList(RestrictedListView):
    """The demands one step of a district's chain counts, in one period, for the city and the
    district's officers; restricted like every demand list as well (the count on the district
    page covers every demand, the list those the reader may read), searchable, paginated and
    exportable."""

    model = Demand
    filterset_class = ChainDemandFilter
    template_name = "districts/chain_list.html"
    export_filename = "district-chain"

    def dispatch(self, request, *args, **kwargs):
        code, step = kwargs["code"], kwargs["step"]
        if step not in STEPS:
            raise Http404
        self.district = district_or_404(code)
        # which demands went how far is the district's working knowledge: the page's counts are
        # public, the lists behind them are for whoever runs the district (others: 404)
        if not runs_district(get_scope(request.user), self.district.pk):
            raise Http404
        self.step = step
        self.period_name = request.GET.get("period") or "year"
        if self.period_name not in periods():
            raise Http404
        self.period = periods()[self.period_name]
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        ids = chain_demands(self.step, [self.district.pk], self.period).values("pk")
        return (Demand.objects.filter(pk__in=ids).select_related("organization", "field")
                .order_by("-published_at", "-pk"))

    def get_export_columns(self):
        return [
            ExportColumn(_("Title"), lambda d: d.title),
            ExportColumn(_("Enterprise"), lambda d: d.organization.name),
            ExportColumn(_("Industry field"), lambda d: d.field.name if d.field_id else ""),
            ExportColumn(_("Published at"), lambda d: timezone.localtime(d.published_at).date()),
            ExportColumn(_("Status"), lambda d: d.get_status_display()),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counted = chain_demands(self.step, [self.district.pk], self.period).count()
        readable = self.base_queryset().restrict(self.request.user, VIEW).count()
        context.update(district=self.district, step=self.step,
                       metric=metrics.get(STEPS[self.step]), period=self.period,
                       period_name=self.period_name, counted=counted,
                       this_year=periods()["year"].start.year,
                       hidden=max(0, counted - readable),
                       steps=[(step, metrics.get(key)) for step, key in CHAIN_STEPS])
        return context
