"""Permission cases of every My work page and endpoint. Each signed-in persona reads its own
list (what a list contains is scoped in test_items and test_deadlines); an institution's patent
portfolio is its administrators' and the city's; a fee payment is recorded by who keeps the
patent (an empty form changes nothing)."""

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.mywork import services
from tmhub.mywork.models import FeePayment, ReminderSettings
from tmhub.mywork.tests.helpers import add_patent
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
        login_required_page("mywork:receivables", ok=SIGNED_IN),
        api("my-items", ok=SIGNED_IN, anon_status=401),
        api("ip-deadlines", ok=SIGNED_IN, anon_status=401),
        api("receivables", ok=SIGNED_IN, anon_status=401),
    ]
