"""Figures of the title rounds for the dashboards (`tmhub.core.metrics`, issue 16 item 6).

Subjects are organisations' ids (the applicants' employers): a dashboard sums them by
institution kind and divides approved by decided for the pass rate. An application counts in
the period its result was decided (approved, or not approved after the vote or an upheld
objection). Each figure is one query for any number of institutions."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, Period, among, metric
from tmhub.evaluation.choices import APPROVED_ONCE
from tmhub.evaluation.choices import ApplicationStatus as S

INSTITUTION = "institution"  # subject ids are organisations' ids (as tmhub.talent.metrics)


def _decided(ids, period, statuses):
    from tmhub.evaluation.models import TitleApplication

    rows = TitleApplication.objects.filter(status__in=statuses,
                                           decided_at__date__range=(period.start, period.end))
    return {key: n for key, n in among(rows, "institution_id", ids).order_by()
            .values_list("institution_id").annotate(n=Count("pk"))}


@metric("title_applications_decided", label=_("Title applications decided"), unit=COUNT,
        subject=INSTITUTION, order=60,
        definition=_("Title applications of the institution's staff whose result was decided "
                     "in the period (approved or not approved)."))
def applications_decided(ids: list[int], period: Period) -> dict[int, int]:
    return _decided(ids, period, (*APPROVED_ONCE, S.NOT_APPROVED))


@metric("title_applications_approved", label=_("Titles approved"), unit=COUNT,
        subject=INSTITUTION, order=61,
        definition=_("Title applications of the institution's staff approved in the period, "
                     "after the public notice of the result."))
def applications_approved(ids: list[int], period: Period) -> dict[int, int]:
    return _decided(ids, period, APPROVED_ONCE)
