"""`Authorization: Token <key>` for the API: knox tokens that expire, with clear 401 messages."""

from __future__ import annotations

import binascii
import datetime
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from tmhub.accounts import tokens
from tmhub.accounts.models import ApiToken

# `last_used_at` is written at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("This API token has expired; sign in again to get a new one.")
    default_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    """knox's scheme with our token model: an expired token answers 401 `token_expired` (and is
    deleted), an unknown or revoked one 401 `authentication_failed`."""

    def authenticate_credentials(self, token):
        invalid = exceptions.AuthenticationFailed(_("Invalid or revoked API token."))
        try:
            token = token.decode("utf-8")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise invalid from None
        candidates = ApiToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user")
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            now = timezone.now()
            if auth_token.expiry is not None and auth_token.expiry <= now:
                tokens.expire_token(auth_token)
                raise TokenExpired()
            if not auth_token.user.is_active:
                raise exceptions.AuthenticationFailed(_("This account is deactivated."))
            if auth_token.last_used_at is None or (
                now - auth_token.last_used_at >= LAST_USED_RESOLUTION
            ):
                ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
                auth_token.last_used_at = now
            return auth_token.user, auth_token
        raise invalid


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme: `Authorization: Token <key>` (as before the move to knox)."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization",
                                                   token_prefix="Token")
