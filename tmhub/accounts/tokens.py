"""API tokens (django-rest-knox): issued, listed, revoked and rotated here, and only here.

A token is stored as a SHA-512 digest (knox); the plain key is returned once by `issue_token`
and never again. Every token expires (`TOKEN_LIFETIME_HOURS`). A user's tokens are rotated
(all deleted) when their password changes or their account is deactivated: `User.save()`
calls `rotate_tokens` so every path — views, admin, management commands, services — is covered.

Tests and other apps sign in to the API with::

    from tmhub.accounts.tokens import issue_token
    _token, key = issue_token(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_event

logger = logging.getLogger("tmhub.security")


def token_lifetime() -> datetime.timedelta:
    """How long a new token lives (settings.TOKEN_LIFETIME_HOURS)."""
    return datetime.timedelta(hours=settings.TOKEN_LIFETIME_HOURS)


def _model():
    from tmhub.accounts.models import ApiToken  # local import: models import this module

    return ApiToken


@transaction.atomic
def issue_token(*, user, actor=None, name: str = "", lifetime: datetime.timedelta | None = None):
    """Create a token for `user`; returns `(token, key)`. The plain key is shown only now.

    `actor` defaults to `user` (people issue their own tokens); another actor must be allowed
    to manage `user`'s tokens (the city)."""
    actor = user if actor is None else actor
    policies.require(actor, "manage_tokens", user)
    token, key = _model().objects.create(
        user=user, expiry=lifetime or token_lifetime(), name=(name or "")[:100]
    )
    record_event(
        actor=actor, obj=user, event_type="accounts.token.issued",
        data={"token_id": token.pk, "name": token.name, "prefix": token.prefix,
              "expiry": token.expiry.isoformat() if token.expiry else None},
    )
    return token, key


@transaction.atomic
def revoke_token(token, *, actor, reason: str = "") -> None:
    """Delete one token (it answers 401 from now on); audited on its owner. Only the owner
    and the city may (the ApiToken policy); anyone else gets 404."""
    policies.require(actor, CHANGE, token)
    user = token.user
    data = {"token_id": token.pk, "name": token.name, "prefix": token.prefix}
    deleted, _rows = _model().objects.filter(pk=token.pk).delete()
    if deleted:
        record_event(actor=actor, obj=user, event_type="accounts.token.revoked",
                     reason=reason, data=data)


@transaction.atomic
def rotate_tokens(user, *, actor, reason: str) -> int:
    """Delete every token of `user` (password changed or reset, account deactivated).

    Returns how many were deleted; writes an audit event only when there were any.
    """
    tokens = _model().objects.filter(user_id=user.pk)
    ids = list(tokens.values_list("pk", flat=True))
    if not ids:
        return 0
    tokens.delete()
    record_event(actor=actor, obj=user, event_type="accounts.token.rotated", reason=reason,
                 data={"token_ids": ids, "count": len(ids)})
    logger.info("API tokens of user %s rotated (%s): %d deleted", user.pk, reason, len(ids))
    return len(ids)


def active_tokens(user):
    """A user's tokens that have not expired, newest first."""
    return _model().objects.filter(user_id=user.pk, expiry__gt=timezone.now()).order_by(
        "-created", "-pk"
    )


@transaction.atomic
def expire_token(token) -> None:
    """Remove a token found expired when it was used (it answers 401 `token_expired`)."""
    data = {"token_id": token.pk, "name": token.name, "prefix": token.prefix}
    deleted, _rows = _model().objects.filter(pk=token.pk).delete()
    if deleted:
        record_event(actor=SYSTEM, obj=token.user, event_type="accounts.token.expired",
                     data=data)


@transaction.atomic
def delete_expired_tokens() -> int:
    """Remove expired tokens (they already answer 401); one audit event per owner, listing
    the tokens removed. Returns how many were removed."""
    from tmhub.accounts.models import User

    expired = _model().objects.filter(expiry__lte=timezone.now())
    by_owner: dict[int, list[int]] = {}
    for user_id, token_id in expired.values_list("user_id", "pk"):
        by_owner.setdefault(user_id, []).append(token_id)
    if not by_owner:
        return 0
    deleted, _rows = _model().objects.filter(
        pk__in=[pk for ids in by_owner.values() for pk in ids]).delete()
    for owner in User.objects.filter(pk__in=by_owner):
        record_event(actor=SYSTEM, obj=owner, event_type="accounts.token.expired",
                     data={"token_ids": by_owner[owner.pk], "count": len(by_owner[owner.pk])})
    return deleted
