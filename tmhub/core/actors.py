"""The platform itself as an actor: scheduled jobs, seed data and system steps act as SYSTEM.

Services take a keyword-only `actor`. A person is a `User`; work nobody asked for in a request
(reminders, overdue filings, index upkeep, the demo data) passes `SYSTEM`, which every policy
lets through and the audit log shows as "System". `None` is not an actor: a caller that forgot
to say who acts is refused (`tmhub.core.policies.require`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class SystemActor:
    """The one platform actor; not a user row, never authenticated, never restricted."""

    pk = None
    id = None
    is_authenticated = False
    is_active = True
    is_superuser = False
    username = "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return str(_("System"))

    def get_full_name(self) -> str:
        return str(self)

    def __reduce__(self):  # pickles (Celery arguments, caches) to the same singleton
        return (_system, ())


def _system() -> SystemActor:
    return SYSTEM


SYSTEM = SystemActor()


def is_system(actor) -> bool:
    return actor is SYSTEM


def actor_user(actor):
    """The user row to store as an audit row's actor (None for SYSTEM)."""
    return actor if getattr(actor, "pk", None) else None


def actor_name(actor) -> str:
    """The name kept on audit rows, so history still names a person after their account goes."""
    if actor is None or is_system(actor):
        return "system"
    shown = (getattr(actor, "display_name", "") or "").strip()
    if not shown or shown == actor.username:
        return actor.username[:150]
    return f"{shown} ({actor.username})"[:150]
