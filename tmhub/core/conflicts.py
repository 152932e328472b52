"""A write that lost a race: someone else changed the record first, or held it locked too long.

Either way the answer is 409 "changed by someone else, reload", never a 500: the API through
`tmhub.core.api.errors`, the UI through `tmhub.core.middleware.ConflictMiddleware` (a message
and a redirect back to the page the user was on). Services raise `ConflictError` when the
record they locked is no longer in the state the caller saw; `is_lock_error` recognises the
databases' lock timeouts, deadlocks and serialization failures.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

CONFLICT_MESSAGE = _("This record was changed by someone else. Reload the page and try again.")

# SQLite: SQLITE_BUSY (5, "database is locked") and SQLITE_LOCKED (6, "database table is
# locked"), with their extended codes. PostgreSQL: lock_not_available (lock_timeout, NOWAIT),
# serialization_failure and deadlock_detected.
_SQLITE_CODES = {5, 6}
_SQLITE_MESSAGES = ("database is locked", "database table is locked")
_POSTGRES_STATES = {"55P03", "40001", "40P01"}


class ConflictError(ValidationError):
    """The record changed since the caller read it (a lost race): answered 409."""

    def __init__(self, message=None, code: str = "conflict"):
        super().__init__(message or CONFLICT_MESSAGE, code=code)


def is_lock_error(exc: BaseException) -> bool:
    """Whether `exc` is a database refusing a write because another one holds the lock."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__ or exc
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _SQLITE_CODES
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state is not None:
        return state in _POSTGRES_STATES
    return any(text in str(exc) for text in _SQLITE_MESSAGES)


def is_conflict(exc: BaseException) -> bool:
    return isinstance(exc, ConflictError) or is_lock_error(exc)


def ensure_unchanged(seen, current) -> None:
    """Refuse with ConflictError when the caller saw `seen` but the locked row holds `current`
    (`seen` None: the caller did not say what it saw, nothing to compare)."""
    if seen is not None and str(seen) != str(current):
        raise ConflictError()
