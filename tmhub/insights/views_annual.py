"""The annual statistical report (tmhub.insights.annual): a page with both formats and the
data checks, and its xlsx and PDF downloads, for any year as of any day, in the reader's
scope (the joint conference's members)."""

from __future__ import annotations

import datetime
from operator import attrgetter

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tmhub.core.access import get_scope
from tmhub.core.tabular.exporting import ExportColumn, export_rows
from tmhub.insights import annual
from tmhub.insights.policies import is_conference_member

FIRST_YEAR = 2000


def _params(request):
    """(scope, year, as_of) of a request: members only (others 404); the year defaults to the
    last full year, the day to today; a bad or future value is 404."""
    scope = get_scope(request.user)
    if not is_conference_member(scope):
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
        as_of = datetime.date.fromisoformat(request.GET.get("as_of") or today.isoformat())
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= today.year or as_of > today:
        raise Http404
    return scope, year, as_of


@login_required
@require_GET
def annual_report(request):
    scope, year, as_of = _params(request)
    report = annual.build(year, as_of, scope)
    return render(request, "insights/annual_report.html", {
        "report": report, "year": year, "as_of": as_of,
        "national": [f for f in report.figures if f.section == "national"],
        "autm": [f for f in report.figures if f.section == "autm"],
        "checks": annual.checks(year, scope), "years": range(timezone.localdate().year,
                                                              FIRST_YEAR - 1, -1),
    })


def title(year) -> str:
    return _("Annual statistical report on technology transfer, %(year)s") % {"year": year}


@login_required
@require_GET
def annual_xlsx(request):
    scope, year, as_of = _params(request)
    report = annual.build(year, as_of, scope)
    sections = {"national": _("National annual report on technology transfer"),
                "autm": _("AUTM Licensing Survey key metrics")}
    columns = [ExportColumn(_("Section"), lambda f: sections[f.section]),
               ExportColumn(_("Figure"), attrgetter("label")),
               ExportColumn(_("Value"), attrgetter("value")),
               ExportColumn(_("Unit"), attrgetter("unit")),
               ExportColumn(_("Note"), attrgetter("note"))]
    return export_rows(report.figures, columns, "xlsx",
                       f"annual-report-{year}-as-of-{as_of.isoformat()}")


@login_required
@require_GET
def annual_pdf(request):
    scope, year, as_of = _params(request)
    body = annual.pdf(annual.build(year, as_of, scope), title(year))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="annual-report-{year}-as-of-{as_of.isoformat()}.pdf"')
    return response
