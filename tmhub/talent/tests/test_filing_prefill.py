"""The annual filing's pre-fill, built from a manager's real year (issue 11, item 5).

A manager registered in 2025 works on two projects, makes an introduction, signs contracts,
receives money and earns class hours, each recorded through the services on the day it
happened (the clock is moved, nothing is written to the database by hand). The filing for 2025
is opened on 1 January 2026; a contract of December 2025 is recorded only on 20 January. The
filing shows every figure the records give, money in yuan, and keeps them at submission.
"""

from __future__ import annotations

import datetime
import re
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.talent import filing
from tmhub.talent.choices import FilingStatus
from tmhub.talent.models import AnnualFiling
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = pytest.mark.django_db

transfer = pytest.importorskip("tmhub.transfer.services")
training_hours = pytest.importorskip("tmhub.training.services.hours")


@contextmanager
def on(day: datetime.date):
    """Everything inside happens at noon (Beijing) on `day`: what `timezone.now()` and
    `timezone.localdate()` answer, so records carry the day they were made."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _contract(personas, project, signed_on, amount_fen, title):
    from tmhub.transfer.choices import ContractKind, PartyRole

    return transfer.create_contract(
        actor=personas.institution_admin, institution=personas.university, project=project,
        title=title, kind=ContractKind.LICENCE, amount_fen=amount_fen, signed_on=signed_on,
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )


def _a_year_of_work(personas):
    """The manager's 2025, recorded as it happened (plus records of 2024 and 2026 that must not
    count)."""
    from tmhub.transfer.choices import ActivityKind

    manager = personas.manager
    with on(datetime.date(2025, 1, 6)):
        profile = make_profile(manager, employer=personas.university, district=personas.haidian)
        registration = register(profile, employer_admin=personas.institution_admin,
                                municipal=personas.municipal_admin)
    with on(datetime.date(2025, 2, 10)):
        battery = transfer.create_project(actor=personas.institution_admin,
                                          institution=personas.university,
                                          title="固态电池电解质转化项目", lead=manager)
    with on(datetime.date(2025, 3, 5)):
        transfer.record_activity(battery, actor=manager, kind=ActivityKind.INTRODUCTION,
                                 summary="向企业引荐该成果", manager=manager,
                                 counterpart=personas.company)
    with on(datetime.date(2025, 5, 20)):
        training_hours.record_external_hours(actor=personas.institution_admin, trainee=manager,
                                             date=datetime.date(2025, 5, 20),
                                             title="技术转移专题研修", hours=Decimal("12.5"))
    with on(datetime.date(2025, 6, 1)):
        licence = _contract(personas, battery, datetime.date(2025, 6, 1), 120_000_000,
                            "固态电池专利许可合同")
    with on(datetime.date(2025, 7, 15)):
        transfer.record_receipt(licence, actor=personas.institution_admin,
                                received_on=datetime.date(2025, 7, 15), amount_fen=30_000_050)
    with on(datetime.date(2025, 11, 3)):
        robot = transfer.create_project(actor=personas.institution_admin,
                                        institution=personas.university,
                                        title="协作机器人关节转化项目", lead=manager)
    return registration, licence, robot


def _form_values(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="figure_(\w+)"[^>]*?value="([^"]*)"', page))


def test_a_managers_year_fills_every_figure_of_the_filing(personas):
    registration, licence, robot = _a_year_of_work(personas)
    # When the city opens the 2025 filings on 1 January 2026
    with on(datetime.date(2026, 1, 1)):
        assert filing.open_filings(2025, actor=personas.municipal_admin) >= 1
    item = AnnualFiling.objects.get(registration=registration, year=2025)
    # And a contract signed in December 2025 is recorded only on 20 January, with its receipt,
    # and 2026 money arrives under the licence
    with on(datetime.date(2026, 1, 20)):
        late = _contract(personas, robot, datetime.date(2025, 12, 20), 50_000_000,
                         "机器人关节技术开发合同")
        transfer.record_receipt(late, actor=personas.institution_admin,
                                received_on=datetime.date(2025, 12, 28), amount_fen=10_000_000)
        transfer.record_receipt(licence, actor=personas.institution_admin,
                                received_on=datetime.date(2026, 1, 20), amount_fen=5_000_000)
    expected = {
        "transfer_projects_served": 2,  # both projects ran in 2025 with the manager on them
        "transfer_contracts_signed": 2,  # June's licence and December's late contract
        "transfer_income_fen": 40_000_050,  # 300,000.50 + 100,000.00 yuan; January's not
        "transfer_introductions": 1,
        "training_hours": 13,  # 12.5 class hours, rounded half up
    }
    # Then the manager's filing page shows each figure the records give, money in yuan
    with on(datetime.date(2026, 2, 1)):
        client = client_for(personas.manager)
        client.cookies["django_language"] = "en"
        page = client.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
        shown = _form_values(page)
        assert shown == {
            "transfer_projects_served": "2", "transfer_contracts_signed": "2",
            "transfer_income_fen": "400000.50", "transfer_introductions": "1",
            "training_hours": "13",
        }
        assert "In yuan, with at most two decimals." in page
        assert "Transfer income received (yuan)" in page and "(fen)" not in page
        # And confirming them as shown files exactly the records' figures, in fen
        response = client.post(reverse("talent:filing-detail", args=[item.pk]),
                               {**{f"figure_{k}": v for k, v in shown.items()},
                                "summary": "全年服务两个项目"})
        assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == FilingStatus.SUBMITTED
    assert item.prefilled == expected and item.figures == expected
    assert item.corrections_note == ""


def test_a_corrected_figure_is_measured_against_the_records_at_filing_time(personas):
    registration, licence, robot = _a_year_of_work(personas)
    with on(datetime.date(2026, 1, 1)):
        filing.open_filings(2025, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration=registration, year=2025)
    with on(datetime.date(2026, 2, 1)):
        # Filing the figures as they were on 1 January is a correction once the records moved
        _contract(personas, robot, datetime.date(2025, 12, 20), 50_000_000, "迟录入的合同")
        with pytest.raises(Exception) as refused:
            filing.submit_filing(item, actor=personas.manager, figures=dict(item.prefilled))
        assert "corrections_note" in refused.value.message_dict
        item = filing.submit_filing(item, actor=personas.manager,
                                    figures={**item.prefilled, "transfer_contracts_signed": 1},
                                    corrections_note="一份合同属于其他经理人")
    assert item.prefilled["transfer_contracts_signed"] == 2
    assert item.figures["transfer_contracts_signed"] == 1


def test_money_typed_in_yuan_is_stored_in_fen(personas):
    registration, _licence, _robot = _a_year_of_work(personas)
    with on(datetime.date(2026, 1, 1)):
        filing.open_filings(2025, actor=personas.municipal_admin)
    item = AnnualFiling.objects.get(registration=registration, year=2025)
    with on(datetime.date(2026, 2, 1)):
        client = client_for(personas.manager)
        shown = _form_values(client.get(reverse("talent:filing-detail", args=[item.pk]))
                             .content.decode())
        shown["transfer_income_fen"] = "300000.55"
        response = client.post(reverse("talent:filing-detail", args=[item.pk]),
                               {**{f"figure_{k}": v for k, v in shown.items()},
                                "corrections_note": "一笔款项记错"})
        assert response.status_code == 302
        # the filed page shows both in yuan
        page = client.get(reverse("talent:filing-detail", args=[item.pk])).content.decode()
        assert "¥300,000.55" in page and "¥300,000.50" in page
    item.refresh_from_db()
    assert item.figures["transfer_income_fen"] == 30_000_055
    # and more than two decimals is refused on the form, nothing filed
    other = AnnualFiling.objects.filter(pk=item.pk, status=FilingStatus.SUBMITTED)
    assert other.exists()
