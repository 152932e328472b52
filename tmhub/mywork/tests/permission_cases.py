"""Permission cases of every My work page and endpoint. Each signed-in persona reads its own
list (what a list contains is scoped in test_items and test_deadlines); an institution's patent
portfolio is its administrators' and the city's; a fee payment is recorded by who keeps the
patent, and so is a status change; a contract's running royalty is read with the contract, its
terms and reports entered by who may change it and reversed by its institution's
administrators (an empty form changes nothing)."""

import datetime

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.mywork import services
from tmhub.mywork.models import FeePayment, IPStatusChange, ReminderSettings, RoyaltyTerms
from tmhub.mywork.tests.helpers import add_patent
from tmhub.transfer import services as transfer_services
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.tests.chain import make_achievement

KEEPERS = {"municipal_admin", "institution_admin"}


def cases(personas):
    achievement = make_achievement(personas, actor=personas.institution_admin)
    patent = add_patent(achievement, personas.institution_admin)
    # The patent is the achievement's: who may change it (here its institution's
    # administrators, and the city) records its fees.
    payers = KEEPERS
    # The calendar address is its own key: whoever holds it reads it, without signing in.
    feed = services.calendar_settings(personas.manager, actor=personas.manager)
    fee = services.record_fee_payment(patent, actor=personas.institution_admin, year=5,
                                      paid_on=datetime.date(2019, 10, 20), amount_fen=120_000)
    licence = transfer_services.create_contract(
        actor=personas.institution_admin, institution=personas.university,
        title="提成许可合同", kind=ContractKind.LICENCE, amount_fen=10_000_000,
        signed_on=datetime.date(2025, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    services.set_royalty_terms(licence, actor=personas.institution_admin, rate_percent="3.00",
                               period_months=3, first_period_start=datetime.date(2025, 3, 1),
                               report_within_days=30, payment_within_days=30, ends_on=None)
    report = services.record_royalty_report(
        licence, actor=personas.institution_admin, period_start=datetime.date(2025, 3, 1),
        received_on=datetime.date(2025, 6, 10), net_sales_fen=1_000_000)
    # The licence (no project, so no manager of its own) is read by its institution's
    # administrators, the city, the district and the licensee (a party); changed by the
    # institution and the city; corrected by the institution's administrators only.
    readers = {"municipal_admin", "institution_admin", "enterprise", "district_officer"}
    return [
        Case("mywork:calendar", (feed.calendar_key,), ok=EVERYONE),
        Case("mywork:calendar", ("not-a-key",), ok=frozenset()),
        login_required_page("mywork:settings", ok=SIGNED_IN),
        login_required_page("mywork:settings", ok=SIGNED_IN, method="post",
                            data={"digest": "sometimes"}, target=ReminderSettings,
                            changes=False),
        # Each person resets their own address (a new row or key is theirs: not a refusal).
        login_required_page("mywork:calendar-reset", ok=SIGNED_IN, method="post",
                            ok_status=302, target=feed),
        login_required_page("mywork:home", ok=SIGNED_IN),
        login_required_page("mywork:home", ok=SIGNED_IN, query="due=30&module=transfer"),
        login_required_page("mywork:patents-home", ok={"municipal_admin"},
                            special={"institution_admin": 302}),
        login_required_page("mywork:patents", (personas.university,), ok=KEEPERS),
        login_required_page("mywork:patents", (personas.university,), ok=KEEPERS,
                            query="within=30"),
        login_required_page("mywork:fee-pay", (patent,), ok=payers, method="post", data={},
                            ok_status=302, target=FeePayment, changes=False),
        # Reversing a payment: the institution's administrators (an empty reason is refused
        # with a message; nothing changes).
        login_required_page("mywork:fee-reverse", (fee,), ok={"institution_admin"},
                            method="post", data={}, ok_status=302, target=fee, changes=False),
        login_required_page("mywork:ip-status", (patent,), ok=payers, method="post", data={},
                            ok_status=302, target=IPStatusChange, changes=False),
        login_required_page("mywork:receivables", ok=SIGNED_IN),
        login_required_page("mywork:royalties", ok=SIGNED_IN),
        login_required_page("mywork:royalties", ok=SIGNED_IN, query="q=提成&owing=1"),
        login_required_page("mywork:royalty-contract", (licence,), ok=readers),
        login_required_page("mywork:royalty-contract", (licence,), ok=KEEPERS, method="post",
                            data={"action": "terms"}, ok_status=400, target=RoyaltyTerms,
                            changes=False),
        login_required_page("mywork:royalty-reverse", (report,), ok={"institution_admin"},
                            method="post",
                            data={}, ok_status=400, target=report, changes=False),
        api("my-items", ok=SIGNED_IN, anon_status=401),
        api("ip-deadlines", ok=SIGNED_IN, anon_status=401),
        api("receivables", ok=SIGNED_IN, anon_status=401),
    ]
