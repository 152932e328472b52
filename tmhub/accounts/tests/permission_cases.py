"""Permission cases of the two-factor pages (the rest of accounts is in core's cases).

The matrix's clients of the two-factor roles (municipal administrator, reviewer) have completed
the second factor (conftest.client_for); everyone else has no authenticator."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.core.tests.permission_matrix import SIGNED_IN, login_required_page

ENROLLED = {"municipal_admin", "reviewer"}


def cases(personas):
    # A reviewer who lost their phone: only the city may reset them (here with no reason, so
    # the reset is refused by the service and nothing changes).
    person = create_user(actor=SYSTEM, username="p_lost_phone", password=None)
    grant_membership(actor=SYSTEM, user=person, role=Role.REVIEWER)
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    return [
        # set-up: the enrolment page (others) or the status page (already enrolled)
        login_required_page("accounts:two-factor-setup", changes=False),
        login_required_page("accounts:two-factor-setup", method="post", changes=False),
        # verification: a verified session goes on; one without an authenticator to set-up
        login_required_page("accounts:two-factor-verify", ok_status=302, changes=False),
        login_required_page(
            "accounts:two-factor-verify", method="post", ok_status=302, changes=False
        ),
        # new recovery codes: shown to the enrolled; others are sent back to set-up
        login_required_page(
            "accounts:two-factor-recovery-codes",
            method="post",
            ok=ENROLLED,
            special={p: 302 for p in SIGNED_IN - ENROLLED},
            target=TOTPDevice,
        ),
        # the city's reset of someone else (no reason given: refused, nothing removed)
        login_required_page(
            "accounts:two-factor-reset",
            (person,),
            method="post",
            ok={"municipal_admin"},
            ok_status=302,
            data={"reason": ""},
            changes=False,
            target=TOTPDevice,
        ),
        # personal data: my own copy (everyone signed in), the city's log and anonymisation
        login_required_page("accounts:my-data", changes=False),
        login_required_page("accounts:my-data", query="format=json", changes=False),
        login_required_page("accounts:personal-data-log", ok={"municipal_admin"}),
        login_required_page("accounts:anonymise", (person,), ok={"municipal_admin"}),
        login_required_page(
            "accounts:anonymise",
            (person,),
            method="post",
            ok={"municipal_admin"},
            changes=False,
        ),
    ]
