"""Two-factor sign-in (TOTP, django-otp) for the powerful roles, with recovery codes.

Who must use it (`requires_two_factor`): superusers and municipal administrators — the only
ones who may reveal full ID numbers (talent policy `reveal_id`: `scope.is_municipal`) and who
manage everyone — and reviewers, whose decisions carry weight. Their sessions are held at the
enrolment page (no confirmed authenticator yet) or the verification page (one exists) until a
code is entered; `TwoFactorMiddleware` does that for every page, and the API answers 403
`two_factor_required` to such a session.

API tokens: a token of such a user is issued only after the second factor — from a verified
session (`/accounts/me/tokens/`) or by the token endpoint with a current `otp` code beside the
password — so a token carries a verified sign-in and `Authorization: Token` requests need no
further code. Granting one of these roles to someone deletes their older tokens (issued without
a second factor).

Enrolment, confirmation, recovery codes and resets are services here (audited on the user).
"""

from __future__ import annotations

import io
import logging
from base64 import b32encode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.audit import record_event
from tmhub.core.roles import Role

security_log = logging.getLogger("tmhub.security")

# Roles whose holders must sign in with a second factor (besides superusers).
TWO_FACTOR_ROLES = frozenset({Role.MUNICIPAL_ADMIN, Role.REVIEWER})
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def requires_two_factor(user) -> bool:
    """True for superusers, municipal administrators (who may reveal ID numbers) and
    reviewers."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    return scope.is_municipal or bool(scope.roles & TWO_FACTOR_ROLES)


def confirmed_authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def secret_base32(device: TOTPDevice) -> str:
    """The key as an authenticator app takes it when typed in (no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// link as an SVG QR code, drawn here (no outside service)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]  # without the XML declaration: inline in the page


@transaction.atomic
def start_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret the first time). Refused once a
    confirmed one exists: a stolen password must not be able to register a second phone."""
    if has_confirmed_device(user):
        raise ValidationError(
            _("Two-factor sign-in is already set up for this account."), code="already_enrolled"
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def _new_recovery_codes(user, count: int) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, *, actor, token: str) -> list[str]:
    """Confirm the authenticator with a first code from it; returns the recovery codes (shown
    once). A wrong code is `invalid_code` and confirms nothing."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.user_id != getattr(actor, "pk", None) or device.confirmed:
        raise ValidationError(_("Start the set-up again."), code="invalid_enrolment")
    if not device.verify_token((token or "").strip()):
        raise ValidationError(
            {
                "token": ValidationError(
                    _(
                        "This code is not valid. Check the time on your phone and enter the "
                        "current code."
                    ),
                    code="invalid_code",
                )
            }
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(device.user, settings.TWO_FACTOR_RECOVERY_CODES)
    record_event(
        actor=actor,
        obj=device.user,
        event_type="accounts.two_factor.enrolled",
        data={"device_id": device.pk, "recovery_codes": len(codes)},
    )
    security_log.info("Two-factor sign-in enrolled for user %s", device.user_id)
    return codes


def verify(user, token: str):
    """The confirmed device (authenticator or a recovery code, each used once) that accepts
    `token`, or None. django-otp throttles repeated failures per device."""
    token = "".join((token or "").split())
    if not token:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                if isinstance(device, StaticDevice):
                    record_event(
                        actor=user,
                        obj=user,
                        event_type="accounts.two_factor.recovery_code_used",
                        data={"left": device.token_set.count()},
                    )
                return device
    security_log.warning("Two-factor code refused for user %s", user.pk)
    return None


@transaction.atomic
def regenerate_recovery_codes(*, actor) -> list[str]:
    """New recovery codes for the actor (the old ones stop working)."""
    if confirmed_authenticator(actor) is None:
        raise ValidationError(_("Set up two-factor sign-in first."), code="not_enrolled")
    codes = _new_recovery_codes(actor, settings.TWO_FACTOR_RECOVERY_CODES)
    record_event(
        actor=actor,
        obj=actor,
        event_type="accounts.two_factor.recovery_codes_renewed",
        data={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def reset_two_factor(user, *, actor, reason: str) -> None:
    """Remove a person's authenticator and recovery codes (a lost phone): they enrol again at
    their next sign-in. The city only (people management), with a reason."""
    policies.require(actor, "reset_two_factor", user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")}, code="reason_required")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(
        actor=actor, obj=user, event_type="accounts.two_factor.reset", reason=reason.strip()
    )
