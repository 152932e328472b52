"""Exports of a published round's results to .xlsx (issue 17 item 4), for appointments and
performance reviews: the city exports every rating of the round, an institution's
administrators the ratings of their own staff (policies_rating_use.export_q). Anyone else
gets 404. Each exported manager is one row of the personal-data access log, as every export
with people's data (tmhub.core.listing, tmhub.talent.personal_data.log_export)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views.decorators.http import require_GET

from tmhub.core.access import get_restricted_or_404, get_scope
from tmhub.core.listing import EXPORT_FORMATS, EXPORT_MAX_ROWS, RestrictedListView
from tmhub.core.tabular.exporting import export_rows
from tmhub.evaluation.filters_ratings import RatingRoundFilter
from tmhub.evaluation.models import RatingRound
from tmhub.evaluation.policies_rating_use import export_q, may_export_results
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind
from tmhub.evaluation.services import rating_use as services


class ExportRoundListView(LoginRequiredMixin, RestrictedListView):
    """The published rounds whose results the caller exports, with a download per kind of
    subject the caller may export."""

    model = RatingRound
    filterset_class = RatingRoundFilter
    template_name = "evaluation/partials/rating_export_list.html"

    def get(self, request, *args, **kwargs):
        if not may_export_results(get_scope(request.user)):
            raise Http404
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return services.exportable_rounds(self.request.user).select_related(
            "manager_system", "institution_system")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["exports_institutions"] = get_scope(self.request.user).is_municipal
        return context


@login_required
@require_GET
def round_export(request, pk: int):
    """`?kind=manager|institution` (managers by default), `?format=xlsx|csv` (xlsx)."""
    if not may_export_results(get_scope(request.user)):
        raise Http404
    round_ = get_restricted_or_404(RatingRound.objects.select_related(
        "manager_system", "institution_system"), request.user, pk=pk)
    kind = request.GET.get("kind") or SubjectKind.MANAGER
    fmt = request.GET.get("format") or "xlsx"
    if round_.status != RoundStatus.PUBLISHED or kind not in SubjectKind.values or \
            fmt not in EXPORT_FORMATS or export_q(get_scope(request.user), kind) is None:
        raise Http404
    ratings = list(services.exported_ratings(round_, request.user, kind)[:EXPORT_MAX_ROWS])
    columns = services.export_columns(round_, kind, ratings)
    people = services.people_of(ratings)
    if people:  # PIPL: one access-log row per manager exported
        from tmhub.talent.personal_data import log_export

        log_export(request, people, columns)
    return export_rows(ratings, columns, fmt, f"ratings-{round_.pk}-{kind}")
