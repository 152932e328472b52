"""Figures of an institution's year, for its annual filing (`tmhub.core.metrics`).

An institution files institution figures — its technology contracts, the money received under
them, its full-time staff and its registered technology managers — not the sum of its
managers' personal figures (two managers of one project would count its contract twice, and
a person's continuing-education hours are not the office's business data). Subjects are
organisation ids; each figure is one query for any number of institutions.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from tmhub.core.metrics import COUNT, FEN, Period, among, metric

INSTITUTION = "institution"  # subject ids are organisations' ids
INSTITUTION_FILING = "institution_filing"  # tag: pre-filled on an institution's filing


def _counted(rows) -> dict[int, int]:
    return {key: n for key, n in rows}


@metric("institution_contracts_signed", label=_("Technology contracts signed"), unit=COUNT,
        subject=INSTITUTION, tags={INSTITUTION_FILING}, order=10,
        definition=_("Technology contracts the institution signed in the period."))
def contracts_signed(ids: list[int], period: Period) -> dict[int, int]:
    if not apps.is_installed("tmhub.transfer"):
        return {}
    from tmhub.transfer.models import Contract

    signed = Contract.objects.filter(signed_on__range=(period.start, period.end))
    return _counted(among(signed, "institution_id", ids).values_list("institution_id")
                    .order_by().annotate(n=Count("pk")))


@metric("institution_income_fen", label=_("Technology income received"), unit=FEN,
        subject=INSTITUTION, tags={INSTITUTION_FILING}, order=11,
        definition=_("Money received in the period under the institution's technology "
                     "contracts, corrections included (fen)."))
def income_fen(ids: list[int], period: Period) -> dict[int, int]:
    if not apps.is_installed("tmhub.transfer"):
        return {}
    from tmhub.transfer.models import Receipt

    received = Receipt.objects.filter(received_on__range=(period.start, period.end))
    if period.as_of is not None:  # a reversal recorded after the cut-off did not stand then
        received = received.exclude(reverses__isnull=False,
                                    recorded_at__date__gt=period.as_of)
    return _counted(among(received, "contract__institution_id", ids)
                    .values_list("contract__institution_id").order_by()
                    .annotate(n=Sum("amount_fen")))


@metric("institution_fulltime_staff", label=_("Full-time staff"), unit=COUNT,
        subject=INSTITUTION, tags={INSTITUTION_FILING}, order=12,
        definition=_("Full-time staff of the technology-transfer office, as registered."))
def fulltime_staff(ids: list[int], period: Period) -> dict[int, int]:
    from tmhub.orgs.choices import RegistrationStatus
    from tmhub.orgs.models import InstitutionRegistration

    rows = among(InstitutionRegistration.objects.filter(status=RegistrationStatus.APPROVED),
                 "organization_id", ids).values_list("organization_id", "fulltime_staff")
    return dict(rows)


@metric("institution_registered_managers", label=_("Registered technology managers"),
        unit=COUNT, subject=INSTITUTION, tags={INSTITUTION_FILING}, order=13,
        definition=_("Technology managers employed by the institution whose registration "
                     "was in force at the end of the period."))
def registered_managers(ids: list[int], period: Period) -> dict[int, int]:
    from tmhub.talent.models import ManagerProfile

    registered = ManagerProfile.objects.filter(
        Q(is_listed=True), Q(registered_at__date__lte=period.end))
    return _counted(among(registered, "employer_id", ids).values_list("employer_id")
                    .order_by().annotate(n=Count("pk")))
